"""The link between a disease and a symptom: how often, and according to whom."""

from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from simple_history.models import HistoricalRecords

from gard.frequency import FEW, FREQUENCY_ORDER, SMALL_SAMPLE_FRACTIONS, Frequency
from gard.models.base import NaturalKeyManager
from gard.models.diseases import Disease
from gard.models.phenotypes import Phenotype, parse_hpo_id
from gard.models.sources import Source
from gard.text import fold

FREQUENCY_RANK = Case(
    *(When(frequency=value, then=Value(rank)) for rank, value in enumerate(FREQUENCY_ORDER)),
    output_field=IntegerField(),
)


class AnnotationQuerySet(models.QuerySet):
    def symptoms(self):
        """Rows that say a disease has a symptom: the symptom table's rows, what search and the finder
        count. Not NOT rows, nor inheritance, onset or other aspects."""
        return self.filter(SYMPTOM_ROWS)

    def not_seen(self):
        """Rows that say a disease does NOT have a symptom."""
        return self.filter(aspect=Aspect.PHENOTYPE, negated=True)

    def for_table(self):
        """Symptom rows in a stable order: by term, then the most frequent statement first."""
        return self.symptoms().annotate(frequency_rank=FREQUENCY_RANK).order_by("phenotype_id", "frequency_rank", "pk")

    def overview(self):
        """Every row of a disease in one light query, with each term's organ systems (a row per system)."""
        return self.values_list(
            "phenotype_id",
            "phenotype__hpo_id",
            "phenotype__name",
            "aspect",
            "negated",
            "frequency",
            "frequency_raw",
            "citations",
            "phenotype__categories__hpo_id",
            "phenotype__categories__name",
            "record__prefix",
            "record__accession",
            "source__short_name",
        ).order_by("phenotype__search_name", "pk")

    def in_shown_groups(self, groups):
        """Rows the disease page shows under these groups (``gard.frequency.SHOWN_ORDER``): a small sample
        under ``FEW`` only, not under the group its share would give."""
        small = Q(frequency_raw__in=SMALL_SAMPLE_FRACTIONS)
        condition = Q(frequency__in=[group for group in groups if group != FEW]) & ~small
        if FEW in groups:
            condition |= small
        return self.filter(condition)

    def matching(self, query: str):
        """Rows whose term matches a medical term, any other name, or an HPO ID."""
        hpo_id = parse_hpo_id(query)
        folded = fold(query)
        if not folded and not hpo_id:
            return self
        condition = Q(search_name__contains=folded) | Q(synonyms__search_name__contains=folded) if folded else Q()
        if hpo_id:
            condition |= Q(hpo_id=hpo_id)
        matches = Phenotype.objects.filter(condition).values("pk")
        return self.filter(phenotype__in=matches)


class Aspect(models.TextChoices):
    """HPO annotation aspects: only phenotypic abnormalities are rows of the symptom table."""

    PHENOTYPE = "P", "Symptom"
    INHERITANCE = "I", "Inheritance"
    CLINICAL_COURSE = "C", "Onset and clinical course"
    MODIFIER = "M", "Clinical modifier"
    HISTORY = "H", "Past medical history"


# "The symptom rows of a disease", once: as a condition for the ORM (migrations' historical models
# have no custom querysets, so they filter with this), and as SQL for the search index's statements.
SYMPTOM_ROWS = Q(aspect=Aspect.PHENOTYPE, negated=False)


def symptom_rows_sql(alias: str) -> str:
    """``SYMPTOM_ROWS`` as a SQL condition on gard_annotation under ``alias``."""
    return f"{alias}.aspect = '{Aspect.PHENOTYPE.value}' AND NOT {alias}.negated"


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
    negated = models.BooleanField(
        "not seen in this disease", default=False, help_text="The source states the disease does NOT have it."
    )
    aspect = models.CharField(max_length=1, choices=Aspect, default=Aspect.PHENOTYPE)
    record = models.ForeignKey(
        "gard.Identifier",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="annotations",
        help_text="For imported rows: the disease record (OMIM, ORPHA, DECIPHER) that states it.",
    )
    onset = models.CharField(max_length=10, blank=True, help_text="HPO onset term, if the source gives one.")
    sex = models.CharField(max_length=10, blank=True)
    modifier = models.CharField(max_length=100, blank=True)
    evidence = models.CharField(max_length=3, blank=True, help_text="IEA, PCS or TAS.")
    citations = models.CharField(max_length=1000, blank=True, help_text="The source's references, ';'-separated.")
    import_ref = models.CharField(
        max_length=255, unique=True, null=True, blank=True, editable=False, help_text="Key of an imported row."
    )

    objects = NaturalKeyManager.from_queryset(AnnotationQuerySet)("disease__slug", "phenotype__hpo_id", "source__key")
    history = HistoricalRecords(excluded_fields=["import_ref"])

    class Meta:
        ordering = ["disease", "phenotype__search_name"]
        constraints = [
            # A document states a term once per disease (imported rows are keyed by import_ref).
            models.UniqueConstraint(
                fields=["disease", "phenotype", "source"],
                condition=Q(import_ref__isnull=True),
                name="annotation_unique_per_source",
            ),
            # NULL sources are distinct in SQL, so editor-added rows need their own rule.
            models.UniqueConstraint(
                fields=["disease", "phenotype"],
                condition=Q(source__isnull=True),
                name="annotation_unique_editor_added",
            ),
        ]
        indexes = [
            # The symptom page lists a term's diseases; the disease page reads its rows by aspect.
            models.Index(fields=["phenotype", "disease"], name="annotation_by_phenotype"),
            models.Index(fields=["disease", "aspect", "negated"], name="annotation_by_disease_aspect"),
        ]

    def __str__(self):
        return f"{self.disease}: {self.phenotype}"

    def natural_key(self):
        return (self.disease.slug, self.phenotype.hpo_id, self.source.key if self.source_id else None)

    @property
    def pmids(self) -> list[str]:
        return [ref.strip() for ref in self.citations.split(";") if ref.strip().startswith("PMID:")]

    natural_key.dependencies = ["gard.disease", "gard.phenotype", "gard.source"]
