"""Keeping the search index and the cached pages in step with edits made one row at a time (admin, fixtures).

Bulk imports bypass these signals: they rebuild the index and raise the content generation once at the end.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from gard.cache import bump_content_generation
from gard.models import (
    Annotation,
    Disease,
    Gene,
    Identifier,
    Phenotype,
    PhenotypeAltId,
    PhenotypeSynonym,
    Reference,
    Resource,
    Section,
    Source,
    Synonym,
)
from gard.search import reindex_diseases, reindex_phenotypes


@receiver([post_save, post_delete], sender=Disease)
def disease_changed(sender, instance, **kwargs):
    reindex_diseases([instance.pk])


@receiver([post_save, post_delete], sender=Synonym)
@receiver([post_save, post_delete], sender=Annotation)
@receiver([post_save, post_delete], sender=Identifier)
def disease_row_changed(sender, instance, **kwargs):
    reindex_diseases([instance.disease_id])


@receiver(m2m_changed, sender=Identifier.genes.through)
def record_genes_changed(sender, instance, action, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, Identifier):
        reindex_diseases([instance.disease_id])
    else:  # changed from the gene's side
        reindex_diseases(Identifier.objects.filter(genes=instance).values_list("disease_id", flat=True).distinct())


@receiver([post_save, post_delete], sender=Phenotype)
def phenotype_changed(sender, instance, **kwargs):
    reindex_phenotypes([instance.pk])
    if not kwargs.get("created") and not kwargs.get("raw"):
        # Its name is part of the index rows of the diseases that have it.
        reindex_diseases(
            Annotation.objects.filter(phenotype=instance.pk).values_list("disease_id", flat=True).distinct()
        )


@receiver([post_save, post_delete], sender=PhenotypeSynonym)
def phenotype_synonym_changed(sender, instance, **kwargs):
    reindex_phenotypes([instance.phenotype_id])


# -- the content generation: cached pages are keyed by it (gard/cache.py) ---------------------

CONTENT_MODELS = (
    Disease,
    Identifier,
    Synonym,
    Section,
    Resource,
    Reference,
    Annotation,
    Phenotype,
    PhenotypeSynonym,
    PhenotypeAltId,
    Source,
    Gene,
)
CONTENT_LINKS = (Identifier.genes.through, Phenotype.parents.through, Phenotype.categories.through)


def content_changed(sender, **kwargs):
    """Any save or delete of a row a public page shows (fixture loads too): cached pages are out of date."""
    bump_content_generation()


def content_links_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        bump_content_generation()


for model in CONTENT_MODELS:
    post_save.connect(content_changed, sender=model, dispatch_uid=f"content-generation-save-{model.__name__}")
    post_delete.connect(content_changed, sender=model, dispatch_uid=f"content-generation-delete-{model.__name__}")
for through in CONTENT_LINKS:
    m2m_changed.connect(content_links_changed, sender=through, dispatch_uid=f"content-generation-{through.__name__}")
