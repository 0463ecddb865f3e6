"""Human Phenotype Ontology terms: the symptoms and signs."""

import re

from django.core.validators import RegexValidator
from django.db import models

from gard.models.base import NaturalKeyManager
from gard.text import fold

HPO_ID_PATTERN = r"^HP:\d{7}$"


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


def parse_hpo_id(text: str) -> str | None:
    """'HP:0001284', 'hp_0001284' or '0001284' as 'HP:0001284'; None for anything else."""
    match = re.fullmatch(r"\s*(?:hp[:_ ]?)?(\d{7})\s*", text, flags=re.IGNORECASE)
    return f"HP:{match.group(1)}" if match else None
