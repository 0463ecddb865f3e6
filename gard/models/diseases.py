"""A disease and what its page says: identifiers, other names, sections, resources, references."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from gard.models.base import NaturalKeyManager
from gard.models.sources import Source
from gard.text import fold, name_key

# Sources whose texts an import writes (definitions, other names): not an editor's or a document's.
IMPORTED_TEXT_SOURCES = ("orphanet", "disease-ontology")


class DiseaseQuerySet(models.QuerySet):
    def starting_with(self, letter: str):
        """Diseases filed under a letter of the A-Z list ("0-9" for names starting otherwise)."""
        if letter == "0-9":
            return self.exclude(search_name__gte="a", search_name__lt="{")
        return self.filter(search_name__startswith=letter.lower())

    def overdue_for_review(self):
        """Diseases whose next review date has passed (today's date in the site's time zone)."""
        return self.filter(next_review_due__lt=timezone.localdate())

    def with_own_content(self):
        """Diseases holding something besides imported catalogue data: an editor's summary, sections,
        references or resources from documents or editors, editors' other names or symptom rows.
        Imports never merge such a page away or retire it."""
        from gard.models.annotations import Annotation

        imported_sources = Source.objects.filter(key__in=IMPORTED_TEXT_SOURCES)
        return self.filter(
            ~Q(summary="")
            | Q(pk__in=Section.objects.exclude(source__in=imported_sources).values("disease_id"))
            | Q(pk__in=Reference.objects.values("disease_id"))
            | Q(pk__in=Resource.objects.values("disease_id"))
            | Q(pk__in=Synonym.objects.filter(source__isnull=True).values("disease_id"))
            | Q(pk__in=Annotation.objects.filter(import_ref__isnull=True).values("disease_id"))
        )

    def without_definition(self):
        """Diseases no one defines: no editor's summary and no summary section from any source."""
        return self.filter(summary="").exclude(
            pk__in=Section.objects.filter(kind=SectionKind.SUMMARY).values("disease_id")
        )

    def summary_sources(self) -> dict[str, int]:
        """How many of these pages say what the disease is from each kind of text, in the order the page
        prefers them (gard.diseases.family.what_it_is): an editor's summary, a document's (or an editor's
        summary section), Orphanet's definition, the Disease Ontology's, else a paragraph assembled from data."""
        editors = set(self.exclude(summary="").values_list("pk", flat=True))
        best = {}
        for disease, key in Section.objects.filter(kind=SectionKind.SUMMARY, disease__in=self).values_list(
            "disease_id", "source__key"
        ):
            rank = IMPORTED_TEXT_SOURCES.index(key) + 1 if key in IMPORTED_TEXT_SOURCES else 0
            best[disease] = min(rank, best.get(disease, rank))
        labels = ["a document", "Orphanet", "Disease Ontology"]
        counts = {"editors' summary": len(editors), **dict.fromkeys(labels, 0)}
        for disease, rank in best.items():
            if disease not in editors:
                counts[labels[rank]] += 1
        counts["assembled from the page's data"] = self.count() - sum(counts.values())
        return counts

    def with_written_pages(self):
        """Diseases with sections written from documents or by editors, beyond the catalogue data."""
        imported_sources = Source.objects.filter(key__in=IMPORTED_TEXT_SOURCES)
        return self.filter(pk__in=Section.objects.exclude(source__in=imported_sources).values("disease_id"))

    def for_page(self):
        """Everything a disease page shows besides its symptom table, in a fixed number of queries."""
        return self.prefetch_related(
            "identifiers__genes",
            "synonyms",
            Prefetch("sections", queryset=Section.objects.select_related("source")),
            Prefetch("resources", queryset=Resource.objects.select_related("source")),
            "references",
        )


class DiseaseManager(models.Manager.from_queryset(DiseaseQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Disease(models.Model):
    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300, unique=True)
    search_name = models.CharField(max_length=300, editable=False, db_index=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by every editor's save; two saves from one version conflict."
    )
    last_reviewed = models.DateField(null=True, blank=True, help_text="When an editor last checked the page.")
    next_review_due = models.DateField(null=True, blank=True, db_index=True)
    summary = models.TextField(
        blank=True,
        help_text="What the disease is, in plain words, written by the site's editors. Shown first on the page, "
        "before any imported definition; imports never change it.",
    )
    # Written by the open-data import (gard/importers/open_data.py), read-only: what Orphanet, the
    # Disease Ontology and Mondo say of the page's records, kept with the disease so the page reads it
    # with no query of its own (gard/diseases/family.py turns it into sentences).
    open_data = models.JSONField(default=dict, blank=True, editable=False)
    orpha_group = models.CharField(
        max_length=20,
        blank=True,
        editable=False,
        help_text="For a page the open-data import made for an Orphanet group of diseases: its ORPHA code.",
    )

    objects = DiseaseManager()
    history = HistoricalRecords(excluded_fields=["search_name", "open_data"])

    class Meta:
        ordering = ["search_name", "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("disease-detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)


class DiseaseRedirect(models.Model):
    """An address a disease page no longer answers at, leading to the page that holds it now: a page
    merged into another (one disease from two records), or a page whose slug an editor changed."""

    slug = models.SlugField(max_length=300, unique=True)
    disease = models.ForeignKey(Disease, on_delete=models.CASCADE, related_name="redirects")
    history = HistoricalRecords()

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return f"{self.slug} → {self.disease.slug}"


class Identifier(models.Model):
    """An external record of the disease: OMIM:203700, ORPHA:726."""

    class Prefix(models.TextChoices):
        OMIM = "OMIM", "OMIM"
        ORPHA = "ORPHA", "Orphanet"
        DECIPHER = "DECIPHER", "DECIPHER"

    URLS = {
        "OMIM": "https://omim.org/entry/{}",
        "ORPHA": "https://www.orpha.net/en/disease/detail/{}",
        "DECIPHER": "https://www.deciphergenomics.org/syndrome/{}",
    }

    disease = models.ForeignKey(Disease, on_delete=models.CASCADE, related_name="identifiers")
    prefix = models.CharField(max_length=10, choices=Prefix)
    accession = models.CharField(max_length=20, validators=[RegexValidator(r"^\d+$")])
    name = models.CharField(max_length=300, blank=True, help_text="The record's own name for the disease.")
    imported = models.BooleanField(default=False, editable=False, help_text="Created by the HPO import.")
    genes = models.ManyToManyField("Gene", related_name="records", blank=True)

    objects = NaturalKeyManager("prefix", "accession")
    history = HistoricalRecords()

    class Meta:
        ordering = ["prefix", "accession"]
        constraints = [
            # One record belongs to one disease; the import attaches by this key.
            models.UniqueConstraint(fields=["prefix", "accession"], name="identifier_unique_curie"),
        ]

    def __str__(self):
        return self.curie

    def save(self, *args, **kwargs):
        """Moving a record to another disease moves what the import attached through it."""
        super().save(*args, **kwargs)
        self.annotations.exclude(disease=self.disease_id).update(disease=self.disease_id)
        self.synonyms.exclude(disease=self.disease_id).update(disease=self.disease_id)

    def natural_key(self):
        return (self.prefix, self.accession)

    @property
    def curie(self):
        return f"{self.prefix}:{self.accession}"

    @property
    def url(self):
        return self.URLS[self.prefix].format(self.accession)


class Synonym(models.Model):
    """Another name of a disease."""

    disease = models.ForeignKey(Disease, on_delete=models.CASCADE, related_name="synonyms")
    name = models.CharField(max_length=300)
    search_name = models.CharField(max_length=300, editable=False, db_index=True)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, help_text="Empty: written by an editor."
    )
    record = models.ForeignKey(
        Identifier,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="synonyms",
        editable=False,
        help_text="For imported names: the record that uses this name.",
    )

    objects = NaturalKeyManager("disease__slug", "name")
    history = HistoricalRecords()

    class Meta:
        ordering = ["search_name", "pk"]
        constraints = [
            # The same name spelt with other accents, case or apostrophes is listed once.
            models.UniqueConstraint(fields=["disease", "search_name"], name="synonym_unique_per_disease"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        if self.disease_id and name_key(self.name) == name_key(self.disease.name):
            raise ValidationError({"name": "This is the disease's own name."})

    def natural_key(self):
        return (self.disease.slug, self.name)

    natural_key.dependencies = ["gard.disease"]


class Reference(models.Model):
    """A numbered citation on a disease page; sections cite it as [n]."""

    disease = models.ForeignKey(Disease, on_delete=models.CASCADE, related_name="references")
    number = models.PositiveSmallIntegerField()
    citation = models.TextField()
    url = models.URLField(blank=True, max_length=500)
    accessed = models.DateField(null=True, blank=True)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, help_text="Empty: added by an editor."
    )

    objects = NaturalKeyManager("disease__slug", "number")
    history = HistoricalRecords()

    class Meta:
        ordering = ["disease", "number"]
        constraints = [
            # Citation markers [n] in the text resolve through this number.
            models.UniqueConstraint(fields=["disease", "number"], name="reference_unique_number"),
        ]

    def __str__(self):
        return f"[{self.number}] {self.citation[:80]}"

    @property
    def citation_sentence(self):
        """The citation ending in a full stop, as a reference list prints it."""
        text = self.citation.rstrip()
        return text if text.endswith((".", "?", "!")) else text + "."

    def natural_key(self):
        return (self.disease.slug, self.number)

    natural_key.dependencies = ["gard.disease"]


class SectionKind(models.TextChoices):
    """The sections of a disease page, in the order the page shows them."""

    SUMMARY = "summary", "Summary"
    FREQUENCY = "frequency", "How common is it?"
    SYMPTOMS = "symptoms", "Symptoms"
    CAUSE = "cause", "Cause"
    INHERITANCE = "inheritance", "Inheritance"
    DIAGNOSIS = "diagnosis", "Diagnosis and testing"
    TREATMENT = "treatment", "Treatment"
    PROGNOSIS = "prognosis", "Prognosis"
    SPECIALISTS = "specialists", "Finding a specialist"
    RELATED = "related", "Related diseases"
    RESEARCH = "research", "Research"
    ORGANIZATIONS = "organizations", "Organizations"
    LIVING = "living", "Living with the disease"
    LEARN_MORE = "learn_more", "Learn more"
    QUESTIONS = "questions", "Questions from readers"
    HISTORY = "history", "History and name"
    GLOSSARY = "glossary", "Glossary"


SECTION_ORDER = {kind: position for position, kind in enumerate(SectionKind.values)}


class Section(models.Model):
    """A source's text for one section of a disease page.

    The body is plain text: paragraphs are separated by a blank line, a line
    starting with "• " is a list item, and [n] cites reference n.
    """

    disease = models.ForeignKey(Disease, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(max_length=20, choices=SectionKind)
    body = models.TextField()
    last_updated = models.DateField(null=True, blank=True)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, help_text="Empty: written by an editor."
    )

    objects = NaturalKeyManager("disease__slug", "kind", "source__key")
    history = HistoricalRecords()

    class Meta:
        ordering = ["disease", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["disease", "kind", "source"], name="section_unique_per_source"),
            models.UniqueConstraint(
                fields=["disease", "kind"], condition=Q(source__isnull=True), name="section_unique_editor_written"
            ),
        ]

    def __str__(self):
        return f"{self.disease}: {self.get_kind_display()}"

    def natural_key(self):
        return (self.disease.slug, self.kind, self.source.key if self.source_id else None)

    natural_key.dependencies = ["gard.disease", "gard.source"]


class Resource(models.Model):
    """A place to get help or learn more, listed under a section of the page."""

    disease = models.ForeignKey(Disease, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField("section", max_length=20, choices=SectionKind)
    group = models.CharField(max_length=200, help_text='Heading within the section, e.g. "Testing Resources".')
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True, max_length=500)
    position = models.PositiveSmallIntegerField(default=0)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, help_text="Empty: added by an editor."
    )

    objects = NaturalKeyManager("disease__slug", "kind", "group", "name")
    history = HistoricalRecords()

    class Meta:
        ordering = ["disease", "kind", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["disease", "kind", "group", "name"], name="resource_unique_in_group"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.disease.slug, self.kind, self.group, self.name)

    natural_key.dependencies = ["gard.disease"]


class Gene(models.Model):
    """A gene associated with disease records (genes_to_phenotype)."""

    symbol = models.CharField(max_length=30, db_index=True)
    ncbi_id = models.PositiveIntegerField("NCBI Gene ID", unique=True)

    class Meta:
        ordering = ["symbol"]

    def __str__(self):
        return self.symbol

    @property
    def url(self):
        return f"https://www.ncbi.nlm.nih.gov/gene/{self.ncbi_id}"
