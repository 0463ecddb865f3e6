"""Finding diseases by name, other name, identifier, or symptom."""

import re
from dataclasses import dataclass, field

from django.db.models import Q

from gard.models import Annotation, Disease, Identifier, Synonym, parse_hpo_id
from gard.text import fold

IDENTIFIER = re.compile(r"^\s*(OMIM|ORPHA|ORPHANET|DECIPHER)\s*[:_ ]?\s*(\d+)\s*$", re.IGNORECASE)


class Rank:
    """Better matches have smaller ranks."""

    IDENTIFIER = 0
    EXACT_NAME = 1
    NAME_PREFIX = 2
    OTHER_NAME = 3
    NAME_WORDS = 4
    SYMPTOM = 5


@dataclass
class Result:
    disease: Disease
    rank: int
    reasons: list[str] = field(default_factory=list)


def parse_identifier(query: str) -> tuple[str, str] | None:
    match = IDENTIFIER.match(query)
    if not match:
        return None
    prefix = match.group(1).upper()
    return ("ORPHA" if prefix == "ORPHANET" else prefix), str(int(match.group(2)))


def _all_words(field_name: str, words: list[str]) -> Q:
    condition = Q()
    for word in words:
        condition &= Q(**{f"{field_name}__contains": word})
    return condition


def search_diseases(query: str) -> list[Result]:
    """Diseases matching the query, best first; each result says why it matched."""
    folded = fold(query)
    words = folded.split()
    results: dict[int, Result] = {}

    def add(disease, rank, reason=None):
        result = results.setdefault(disease.pk, Result(disease, rank))
        result.rank = min(result.rank, rank)
        if reason and reason not in result.reasons:
            result.reasons.append(reason)

    if identifier := parse_identifier(query):
        prefix, accession = identifier
        for found in Identifier.objects.filter(prefix=prefix, accession=accession).select_related("disease"):
            add(found.disease, Rank.IDENTIFIER, f"Identifier {found.curie}")
    if words:
        for disease in Disease.objects.filter(_all_words("search_name", words)):
            if disease.search_name == folded:
                add(disease, Rank.EXACT_NAME)
            elif disease.search_name.startswith(folded):
                add(disease, Rank.NAME_PREFIX)
            else:
                add(disease, Rank.NAME_WORDS)
        for synonym in Synonym.objects.filter(_all_words("search_name", words)).select_related("disease"):
            add(synonym.disease, Rank.OTHER_NAME, f"Other name: {synonym.name}")
    hpo_id = parse_hpo_id(query)
    symptom_match = Q(phenotype__hpo_id=hpo_id) if hpo_id else Q()
    if words:
        symptom_match |= _all_words("phenotype__search_name", words)
        symptom_match |= _all_words("phenotype__synonyms__search_name", words)
    if symptom_match:
        annotations = (
            Annotation.objects.filter(pk__in=Annotation.objects.filter(symptom_match).values("pk"))
            .select_related("disease", "phenotype")
            .order_by("phenotype__search_name")
        )
        for annotation in annotations:
            phenotype = annotation.phenotype
            add(annotation.disease, Rank.SYMPTOM, f"Symptom: {phenotype.name} ({phenotype.hpo_id})")
    return sorted(results.values(), key=lambda r: (r.rank, r.disease.search_name, r.disease.pk))
