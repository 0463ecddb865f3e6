"""Full-text search tables (SQLite FTS5), filled from the rows already there."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from gard.search.index import DISEASE_ROW_SQL, PHENOTYPE_ROW_SQL, create_search_tables

    with schema_editor.connection.cursor() as cursor:
        create_search_tables(cursor)
        cursor.execute(f"INSERT INTO gard_disease_fts(rowid, name, other_names, genes, symptoms) {DISEASE_ROW_SQL}")
        cursor.execute(f"INSERT INTO gard_phenotype_fts(rowid, name, other_names) {PHENOTYPE_ROW_SQL}")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS gard_disease_fts")
        cursor.execute("DROP TABLE IF EXISTS gard_phenotype_fts")


class Migration(migrations.Migration):
    dependencies = [("gard", "0003_catalogue")]

    operations = [migrations.RunPython(create_index, drop_index)]
