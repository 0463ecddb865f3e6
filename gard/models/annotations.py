"""The link between a disease and a symptom: how often, and according to whom."""

from django.db import models
from django.db.models import Case, Count, IntegerField, Q, Value, When

from gard.models.base import NaturalKeyManager
from gard.models.diseases import Disease
from gard.models.phenotypes import Phenotype, parse_hpo_id
from gard.models.sources import Source
from gard.text import fold


class Frequency(models.TextChoices):
    """How often a symptom occurs, in the groups HPO uses (HP:0040279 and below)."""

    OBLIGATE = "obligate", "100% of people have these symptoms"
    VERY_FREQUENT = "very_frequent", "80%-99% of people have these symptoms"
    FREQUENT = "frequent", "30%-79% of people have these symptoms"
    OCCASIONAL = "occasional", "5%-29% of people have these symptoms"
    VERY_RARE = "very_rare", "1%-4% of people have these symptoms"
    EXCLUDED = "excluded", "0% of people have these symptoms"
    UNKNOWN = "unknown", "Percent of people who have these symptoms is not available through HPO"

    @classmethod
    def short_labels(cls):
        return {
            cls.OBLIGATE: "100%",
            cls.VERY_FREQUENT: "80%-99%",
            cls.FREQUENT: "30%-79%",
            cls.OCCASIONAL: "5%-29%",
            cls.VERY_RARE: "1%-4%",
            cls.EXCLUDED: "0%",
            cls.UNKNOWN: "Percent not available",
        }


FREQUENCY_RANK = Case(
    *(When(frequency=value, then=Value(rank)) for rank, value in enumerate(Frequency.values)),
    output_field=IntegerField(),
)


class AnnotationQuerySet(models.QuerySet):
    def for_table(self):
        """Rows of a symptom table in GARD's order: most frequent group first, then by name."""
        return (
            self.select_related("phenotype", "source")
            .prefetch_related("phenotype__synonyms")
            .annotate(frequency_rank=FREQUENCY_RANK)
            .order_by("frequency_rank", "phenotype__search_name", "phenotype__hpo_id")
        )

    def matching(self, query: str):
        """Rows whose term matches a medical term, any other name, or an HPO ID."""
        hpo_id = parse_hpo_id(query)
        folded = fold(query)
        condition = Q(phenotype__search_name__contains=folded) | Q(phenotype__synonyms__search_name__contains=folded)
        if hpo_id:
            condition |= Q(phenotype__hpo_id=hpo_id)
        if not folded and not hpo_id:
            return self
        matches = Annotation.objects.filter(condition).values("pk")
        return self.filter(pk__in=matches)

    def group_counts(self):
        return dict(self.order_by().values_list("frequency").annotate(n=Count("pk")))


class Annotation(models.Model):
    """A symptom of a disease: which term, how often, and according to which source."""

    disease = models.ForeignKey(Disease, on_delete=models.CASCADE, related_name="annotations")
    phenotype = models.ForeignKey(Phenotype, on_delete=models.PROTECT, related_name="annotations")
    frequency = models.CharField(max_length=20, choices=Frequency, default=Frequency.UNKNOWN)
    frequency_raw = models.CharField(
        max_length=50, blank=True, help_text="The frequency exactly as the source gives it."
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, help_text="Empty: added by an editor."
    )

    objects = NaturalKeyManager.from_queryset(AnnotationQuerySet)("disease__slug", "phenotype__hpo_id", "source__key")

    class Meta:
        ordering = ["disease", "phenotype__search_name"]
        constraints = [
            # A source states a term once per disease; the table shows one row per source.
            models.UniqueConstraint(fields=["disease", "phenotype", "source"], name="annotation_unique_per_source"),
            # NULL sources are distinct in SQL, so editor-added rows need their own rule.
            models.UniqueConstraint(
                fields=["disease", "phenotype"],
                condition=Q(source__isnull=True),
                name="annotation_unique_editor_added",
            ),
        ]

    def __str__(self):
        return f"{self.disease}: {self.phenotype}"

    def natural_key(self):
        return (self.disease.slug, self.phenotype.hpo_id, self.source.key if self.source_id else None)

    natural_key.dependencies = ["gard.disease", "gard.phenotype", "gard.source"]
