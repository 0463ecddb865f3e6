"""Human Phenotype Ontology terms: the symptoms and signs."""

import re

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from gard.models.base import NaturalKeyManager
from gard.text import fold

HPO_ID_PATTERN = r"^HP:\d{7}$"
SCOPE_NOTES = {"BROAD": "broader term", "NARROW": "narrower term", "RELATED": "related term"}


class PhenotypeQuerySet(models.QuerySet):
    def for_page(self):
        """What a symptom page shows about the term itself, in a fixed number of queries."""
        return self.prefetch_related("synonyms", "parents", "children", "categories")

    def find(self, hpo_id: str):
        """The term with this ID, or the current term an older (alt) ID leads to; None if neither."""
        retired = PhenotypeAltId.objects.filter(alt_id=hpo_id).values("phenotype")
        terms = list(self.filter(models.Q(hpo_id=hpo_id) | models.Q(pk__in=retired)))
        return next((term for term in terms if term.hpo_id == hpo_id), terms[0] if terms else None)


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


class PhenotypeSynonym(models.Model):
    """Another name of an HPO term; layperson names are plain-language ones."""

    phenotype = models.ForeignKey(Phenotype, on_delete=models.CASCADE, related_name="synonyms")
    name = models.CharField(max_length=300)
    search_name = models.CharField(max_length=300, editable=False, db_index=True)
    scope = models.CharField(max_length=10, blank=True, help_text="EXACT, BROAD, NARROW or RELATED.")
    layperson = models.BooleanField("plain-language name", default=False)
    imported = models.BooleanField(default=False, editable=False)

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

    @property
    def scope_note(self) -> str:
        """How the name relates to the term, when it is not simply another name for it."""
        return SCOPE_NOTES.get(self.scope, "")


def parse_hpo_id(text: str) -> str | None:
    """'HP:0001284', 'hp_0001284' or '0001284' as 'HP:0001284'; None for anything else."""
    match = re.fullmatch(r"\s*(?:hp[:_ ]?)?(\d{7})\s*", text, flags=re.IGNORECASE)
    return f"HP:{match.group(1)}" if match else None
