"""The content model: diseases, their other names, symptoms (HPO terms) and sources.

Every row that comes from a document or a data release points at its
``Source``; rows with no source were written by an editor. Each model has a
natural key so fixtures load by key, never by database id, and a reload
updates rows in place.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.urls import reverse
from django.utils.text import slugify

from gard.text import fold, name_key

HPO_ID_PATTERN = r"^HP:\d{7}$"


class NaturalKeyManager(models.Manager):
    """Looks rows up by the lookups that make their natural key."""

    def __init__(self, *lookups):
        super().__init__()
        self.lookups = lookups

    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(self.lookups, key, strict=True)))


class Source(models.Model):
    """A document or data release the content comes from, shown with its attribution."""

    key = models.SlugField(max_length=100, unique=True, help_text="Stable key used by imports.")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=300)
    url = models.URLField(blank=True, max_length=500)
    licence = models.CharField(max_length=200)
    licence_url = models.URLField(blank=True)
    document = models.CharField(max_length=200, blank=True, help_text="File name of the project's copy, if any.")
    reviewed = models.CharField(max_length=50, blank=True, help_text="Review date as the source states it.")
    published = models.DateField(null=True, blank=True)
    notice = models.TextField(blank=True, help_text="Disclaimer printed by the source.")

    objects = NaturalKeyManager("key")

    class Meta:
        ordering = ["title", "key"]

    def __str__(self):
        return f"{self.publisher}: {self.title}"

    def natural_key(self):
        return (self.key,)


class DiseaseQuerySet(models.QuerySet):
    def starting_with(self, letter: str):
        """Diseases filed under a letter of the A-Z list ("#" for the rest)."""
        if letter == "#":
            return self.exclude(search_name__regex=r"^[a-z]")
        return self.filter(search_name__startswith=letter.lower())

    def for_page(self):
        """Everything a disease page shows besides its symptom table, in a fixed number of queries."""
        return self.prefetch_related(
            "identifiers",
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

    objects = DiseaseManager()

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

    objects = NaturalKeyManager("prefix", "accession")

    class Meta:
        ordering = ["prefix", "accession"]
        constraints = [
            # One record belongs to one disease; the import attaches by this key.
            models.UniqueConstraint(fields=["prefix", "accession"], name="identifier_unique_curie"),
        ]

    def __str__(self):
        return self.curie

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

    objects = NaturalKeyManager("disease__slug", "name")

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


class Phenotype(models.Model):
    """A Human Phenotype Ontology term: a symptom or sign."""

    hpo_id = models.CharField(
        "HPO ID",
        max_length=10,
        unique=True,
        validators=[RegexValidator(HPO_ID_PATTERN, "Write the ID as HP:0001234.")],
    )
    name = models.CharField(max_length=300)
    search_name = models.CharField(max_length=300, editable=False, db_index=True)
    definition = models.TextField(blank=True)

    objects = NaturalKeyManager("hpo_id")

    class Meta:
        ordering = ["search_name", "hpo_id"]

    def __str__(self):
        return f"{self.name} ({self.hpo_id})"

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.hpo_id,)

    @property
    def url(self):
        return f"https://hpo.jax.org/browse/term/{self.hpo_id}"


class PhenotypeSynonym(models.Model):
    """Another name of an HPO term; layperson names are plain-language ones."""

    phenotype = models.ForeignKey(Phenotype, on_delete=models.CASCADE, related_name="synonyms")
    name = models.CharField(max_length=300)
    search_name = models.CharField(max_length=300, editable=False, db_index=True)

    objects = NaturalKeyManager("phenotype__hpo_id", "name")

    class Meta:
        ordering = ["phenotype", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["phenotype", "name"], name="phenotype_synonym_unique"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.phenotype.hpo_id, self.name)

    natural_key.dependencies = ["gard.phenotype"]


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


def parse_hpo_id(text: str) -> str | None:
    """'HP:0001284', 'hp_0001284' or '0001284' as 'HP:0001284'; None for anything else."""
    match = re.fullmatch(r"\s*(?:hp[:_ ]?)?(\d{7})\s*", text, flags=re.IGNORECASE)
    return f"HP:{match.group(1)}" if match else None


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
