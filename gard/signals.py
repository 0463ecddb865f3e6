"""Keeping the search index in step with edits made one row at a time (admin, fixtures).

Bulk imports bypass these signals and rebuild the index once at the end.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from gard.models import Annotation, Disease, Identifier, Phenotype, PhenotypeSynonym, Synonym
from gard.search import reindex_diseases, reindex_phenotypes


@receiver([post_save, post_delete], sender=Disease)
def disease_changed(sender, instance, **kwargs):
    reindex_diseases([instance.pk])


@receiver([post_save, post_delete], sender=Synonym)
@receiver([post_save, post_delete], sender=Annotation)
@receiver([post_save, post_delete], sender=Identifier)
def disease_row_changed(sender, instance, **kwargs):
    reindex_diseases([instance.disease_id])


@receiver([post_save, post_delete], sender=Phenotype)
def phenotype_changed(sender, instance, **kwargs):
    reindex_phenotypes([instance.pk])


@receiver([post_save, post_delete], sender=PhenotypeSynonym)
def phenotype_synonym_changed(sender, instance, **kwargs):
    reindex_phenotypes([instance.phenotype_id])
