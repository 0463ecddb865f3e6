"""Keeping the cached pages in step with edits made one row at a time (admin, fixtures, a shell).

Bulk imports bypass these signals: they raise the content generation once at the end. The search index
keeps itself current the same way (``gard.search.signals``).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

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

# The content generation: cached pages are keyed by it (gard/cache.py).

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
