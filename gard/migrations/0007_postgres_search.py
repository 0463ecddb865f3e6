"""Full-text search tables for PostgreSQL, filled from the rows already there.

On PostgreSQL: the unaccent extension, the gard_fold() function, and the tables
gard_disease_fts and gard_phenotype_fts with their generated tsvector and GIN
indexes (gard/search.py, PostgresSearch). SQLite has its FTS5 tables from 0004,
so this does nothing there.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from gard.search.index import create_search_tables, rebuild_search_index

    with schema_editor.connection.cursor() as cursor:
        create_search_tables(cursor)
        rebuild_search_index(cursor, ranked=False)  # migration 0011 adds the rank once the names exist


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from gard.search.index import drop_search_tables

    with schema_editor.connection.cursor() as cursor:
        drop_search_tables(cursor)


class Migration(migrations.Migration):
    dependencies = [("gard", "0006_history_review_generation")]

    operations = [migrations.RunPython(create_index, drop_index)]
