"""Human Phenotype Ontology terms: the symptoms and signs."""

import re

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from gard.models.base import NaturalKeyManager
from gard.text import fold

# An HPO ID as HPO writes it: HP: and seven digits.
HPO_ID = re.compile(r"HP:\d{7}")
HPO_ID_PATTERN = rf"^{HPO_ID.pattern}$"
# How people write one: any case, ":", "_" or a space after "HP", and the number with or without its
# leading zeros once the prefix makes it an ID; or the seven digits alone.
HPO_ID_SPELLING = re.compile(r"\s*(?:hp\s*[:_]?\s*(\d{1,7})|(\d{7}))\s*", re.IGNORECASE)
SCOPE_NOTES = {"BROAD": "broader term", "NARROW": "narrower term", "RELATED": "related term"}


class PhenotypeQuerySet(models.QuerySet):
    def for_page(self):
        """What a symptom page shows about the term itself, in a fixed number of queries."""
        return self.prefetch_related("synonyms", "parents", "children", "categories")

    def by_ids(self, hpo_ids) -> dict:
        """Each ID (as ``parse_hpo_id`` gives it) that names a term: ``{id: (term, whether the ID is an
        older one of it)}``. A term's own ID wins over another term's older ID.

        One query (with this queryset's prefetches); one more only when several IDs were asked for and a
        term was found by an older ID, to tell which.
        """
        wanted = list(dict.fromkeys(hpo_ids))
        if not wanted:
            return {}
        retired = PhenotypeAltId.objects.filter(alt_id__in=wanted)
        terms = list(self.filter(models.Q(hpo_id__in=wanted) | models.Q(pk__in=retired.values("phenotype"))))
        found = {term.hpo_id: (term, False) for term in terms if term.hpo_id in wanted}
        by_alt_id = {term.pk: term for term in terms if term.hpo_id not in found}
        if len(wanted) == 1 and by_alt_id and not found:
            found[wanted[0]] = (next(iter(by_alt_id.values())), True)
        elif by_alt_id:
            missing = [hpo_id for hpo_id in wanted if hpo_id not in found]
            for alt_id, pk in retired.filter(alt_id__in=missing, phenotype__in=by_alt_id).values_list(
                "alt_id", "phenotype"
            ):
                found[alt_id] = (by_alt_id[pk], True)
        return found

    def find(self, text: str):
        """The term an HPO ID names, however it is written (``parse_hpo_id``), or the current term an
        older (alt) ID leads to; None if neither."""
        hpo_id = parse_hpo_id(text or "")
        term, _ = self.by_ids([hpo_id] if hpo_id else []).get(hpo_id, (None, False))
        return term


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
    comment = models.TextField(blank=True)
    is_obsolete = models.BooleanField(default=False)
    replaced_by = models.CharField(
        max_length=10, blank=True, help_text="For an obsolete term: the term to use instead."
    )
    parents = models.ManyToManyField("self", symmetrical=False, related_name="children", blank=True)
    categories = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="category_members",
        blank=True,
        help_text="The organ systems (top-level terms under Phenotypic abnormality) above this term.",
    )
    # Precomputed by the HPO import for the symptom finder (gard/finder/statistics.py).
    ancestors = models.JSONField(
        default=list, editable=False, help_text="HPO IDs of every is_a ancestor of the term, itself excluded."
    )
    disease_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Diseases with this term or a more specific one among their symptoms."
    )
    information_content = models.FloatField(
        null=True, editable=False, help_text="-ln(share of diseases with the term); higher is more specific."
    )

    objects = NaturalKeyManager.from_queryset(PhenotypeQuerySet)("hpo_id")
    # What the HPO import derives is left out: only an editor's saves are recorded.
    history = HistoricalRecords(excluded_fields=["search_name", "ancestors", "disease_count", "information_content"])

    class Meta:
        ordering = ["search_name", "hpo_id"]

    def __str__(self):
        return f"{self.name} ({self.hpo_id})"

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("symptom-detail", args=[self.hpo_id])

    def natural_key(self):
        return (self.hpo_id,)

    @property
    def url(self):
        """The term on the HPO's own site."""
        return f"https://hpo.jax.org/browse/term/{self.hpo_id}"

    def names_for(self, plain: bool) -> list:
        """Other names, plain-language (layperson) ones first when ``plain``; needs synonyms prefetched."""
        synonyms = list(self.synonyms.all())
        if plain:
            synonyms.sort(key=lambda synonym: not synonym.layperson)
        return synonyms

    def display_name(self, plain: bool) -> str:
        """The first plain-language name for families, the medical term otherwise."""
        if plain:
            layperson = next((s.name for s in self.synonyms.all() if s.layperson), None)
            if layperson:
                return layperson
        return self.name


class PhenotypeAltId(models.Model):
    """A retired ID of an HPO term, still found in older records; it leads to the current term."""

    alt_id = models.CharField(max_length=10, unique=True)
    phenotype = models.ForeignKey(Phenotype, on_delete=models.CASCADE, related_name="alt_ids")

    class Meta:
        ordering = ["alt_id"]

    def __str__(self):
        return f"{self.alt_id} → {self.phenotype.hpo_id}"


class EditorRowsHistory(HistoricalRecords):
    """The history of the rows editors write: the import's own rows (``imported``) are left out.

    The HPO import retires dropped names one row at a time (a queryset delete), and a record of each would
    cost an insert per row and say nothing an editor needs: the release is their history.
    """

    def create_historical_record(self, instance, history_type, using=None):
        if not instance.imported:
            super().create_historical_record(instance, history_type, using=using)


class PhenotypeSynonym(models.Model):
    """Another name of an HPO term; layperson names are plain-language ones."""

    phenotype = models.ForeignKey(Phenotype, on_delete=models.CASCADE, related_name="synonyms")
    name = models.CharField(max_length=300)
    search_name = models.CharField(max_length=300, editable=False, db_index=True)
    scope = models.CharField(max_length=10, blank=True, help_text="EXACT, BROAD, NARROW or RELATED.")
    layperson = models.BooleanField("plain-language name", default=False)
    imported = models.BooleanField(default=False, editable=False)

    objects = NaturalKeyManager("phenotype__hpo_id", "name")
    history = EditorRowsHistory(excluded_fields=["search_name"])

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

    @property
    def scope_note(self) -> str:
        """How the name relates to the term, when it is not simply another name for it."""
        return SCOPE_NOTES.get(self.scope, "")


def parse_hpo_id(text: str) -> str | None:
    """The HPO ID a text names, as HP:0001234; None when it is not written as one.

    ``HP:0001250``, ``hp:0001250``, ``HP_0001250``, ``HP 0001250``, ``0001250`` (seven digits) and
    ``HP:1250`` (the prefix and the number without its leading zeros, padded: HPO IDs are always
    seven digits, so the prefix makes it unambiguous) all name HP:0001250. Bare digits other than
    seven, fewer than seven digits that start with a zero (``HP:00012``, an ID cut short), and
    HP:0000000 are not read as an ID. Every place that reads an HPO ID someone typed uses this.
    """
    match = HPO_ID_SPELLING.fullmatch(text)
    if not match:
        return None
    digits = match.group(1) or match.group(2)
    if len(digits) < 7 and digits.startswith("0"):
        return None  # leading zeros but not seven digits: a cut-off ID, not a number to pad
    if int(digits) == 0:
        return None  # HP:0000000 is no term
    return f"HP:{int(digits):07}"


def is_hpo_id(text: str) -> bool:
    """Whether a text is an HPO ID exactly as HPO writes it (files are checked with this)."""
    return HPO_ID.fullmatch(text) is not None
