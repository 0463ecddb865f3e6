"""Keeping the search index in step with edits made one row at a time (admin, fixtures, a shell).

Bulk imports bypass these signals: they rebuild the index once at the end.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from gard.models import Annotation, Disease, Identifier, Phenotype, PhenotypeSynonym, Section, Synonym
from gard.search.index import reindex_diseases, reindex_phenotypes


@receiver([post_save, post_delete], sender=Disease)
def disease_changed(sender, instance, **kwargs):
    reindex_diseases([instance.pk])


@receiver([post_save, post_delete], sender=Synonym)
@receiver([post_save, post_delete], sender=Annotation)
@receiver([post_save, post_delete], sender=Identifier)
@receiver([post_save, post_delete], sender=Section)  # a summary counts in the disease's weight
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
