"""The symptom finder's term statistics: ancestors, disease count and information content.

The import keeps them current (gard/finder/statistics.py); the data step fills them
in a database that already holds a catalogue, so the finder works before the next
import.
"""

from django.db import migrations, models


def fill_statistics(apps, schema_editor):
    from gard.finder.statistics import store_term_statistics

    store_term_statistics(apps.get_model("gard", "Phenotype"), apps.get_model("gard", "Annotation"))


class Migration(migrations.Migration):
    dependencies = [
        ("gard", "0007_postgres_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="phenotype",
            name="ancestors",
            field=models.JSONField(
                default=list,
                editable=False,
                help_text="HPO IDs of every is_a ancestor of the term, itself excluded.",
            ),
        ),
        migrations.AddField(
            model_name="phenotype",
            name="disease_count",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Diseases with this term or a more specific one among their symptoms.",
            ),
        ),
        migrations.AddField(
            model_name="phenotype",
            name="information_content",
            field=models.FloatField(
                editable=False,
                help_text="-ln(share of diseases with the term); higher is more specific.",
                null=True,
            ),
        ),
        migrations.RunPython(fill_statistics, migrations.RunPython.noop, elidable=True),
    ]
