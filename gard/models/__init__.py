"""The content model: diseases, their other names, symptoms (HPO terms) and sources.

Every row that comes from a document or a data release points at its
``Source``; rows with no source were written by an editor. Each model has a
natural key so fixtures load by key, never by database id, and a reload
updates rows in place.
"""

from gard.models.annotations import FREQUENCY_RANK, SYMPTOM_ROWS, Annotation, Aspect, Frequency
from gard.models.diseases import (
    IMPORTED_TEXT_SOURCES,
    SECTION_ORDER,
    Disease,
    DiseaseRedirect,
    Gene,
    Identifier,
    Reference,
    Resource,
    Section,
    SectionKind,
    Synonym,
)
from gard.models.phenotypes import (
    HPO_ID,
    HPO_ID_PATTERN,
    Phenotype,
    PhenotypeAltId,
    PhenotypeSynonym,
    is_hpo_id,
    parse_hpo_id,
)
from gard.models.search import SearchName, SearchWord
from gard.models.sources import ContentGeneration, Source

__all__ = [
    "FREQUENCY_RANK",
    "HPO_ID",
    "IMPORTED_TEXT_SOURCES",
    "HPO_ID_PATTERN",
    "SECTION_ORDER",
    "SYMPTOM_ROWS",
    "Annotation",
    "Aspect",
    "ContentGeneration",
    "Disease",
    "DiseaseRedirect",
    "Frequency",
    "Gene",
    "Identifier",
    "Phenotype",
    "PhenotypeAltId",
    "PhenotypeSynonym",
    "Reference",
    "Resource",
    "SearchName",
    "SearchWord",
    "Section",
    "SectionKind",
    "Source",
    "Synonym",
    "is_hpo_id",
    "parse_hpo_id",
]
