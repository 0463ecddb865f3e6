"""The full-text index rows carry what search orders by (subtype, words, weight: gard/search/index.py,
RANK_COLUMNS), read from the names migration 0010 built, so ranking a search joins no other table."""

from django.db import migrations


def add_rank(apps, schema_editor):
    from gard.search.index import create_search_tables, drop_search_tables, rebuild_search_index

    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            for column, default in (("subtype", 0), ("words", 99), ("weight", 0)):
                cursor.execute(
                    f"ALTER TABLE gard_disease_fts ADD COLUMN IF NOT EXISTS {column} integer NOT NULL DEFAULT {default}"
                )
        else:  # an FTS5 table takes no new column: made afresh
            drop_search_tables(cursor)
            create_search_tables(cursor)
        rebuild_search_index(cursor)


class Migration(migrations.Migration):
    dependencies = [("gard", "0010_search_names")]

    operations = [migrations.RunPython(add_rank, migrations.RunPython.noop)]
