"""Search over the whole catalogue, through the database's own full-text index (``gard.search.index``).

Text is folded the same way on both sides (accents, case and punctuation
ignored), and the last word of a query matches as a prefix so suggestions
work as the user types.

Ranking, the same on both: an exact identifier (ORPHA:64) first, then diseases
whose name is the query, then names starting with it, then other names (and
gene symbols), then the words anywhere; within each tier by relevance (BM25 on
SQLite, ``ts_rank`` on PostgreSQL, both weighting the name above other names and
genes above symptoms), then by name. A result outside the first two tiers says
which of its other names, genes and symptoms hold the query's words.
"""

import re
from dataclasses import dataclass, field

from django.db import connection

from gard.models import Annotation, Disease, Identifier, Phenotype, parse_hpo_id
from gard.search.index import backend, placeholders, query_words
from gard.symptoms.lookup import search_terms
from gard.text import fold

IDENTIFIER = re.compile(r"^\s*(OMIM|ORPHA|ORPHANET|DECIPHER)\s*[:_ ]?\s*(\d+)\s*$", re.IGNORECASE)


class Tier:
    """Better matches have smaller tiers."""

    IDENTIFIER = 0
    EXACT_NAME = 1
    NAME_PREFIX = 2
    OTHER_NAME = 3
    ANYWHERE = 4
    SYMPTOM = 5


TIER_LABELS = {
    Tier.IDENTIFIER: "Identifier",
    Tier.EXACT_NAME: "Name",
    Tier.NAME_PREFIX: "Name",
    Tier.OTHER_NAME: "Other name",
    Tier.ANYWHERE: "Words in the name or symptoms",
    Tier.SYMPTOM: "Has this symptom",
}


@dataclass
class Result:
    disease_id: int
    tier: int
    reasons: list[str] = field(default_factory=list)
    disease: Disease | None = None


@dataclass
class Results:
    """One page of results and the total, in the shape Django's Paginator can use."""

    query: str
    total: int
    items: list[Result]
    symptoms: list[Phenotype] = field(default_factory=list)
    symptom: Phenotype | None = None  # the term an HPO ID query names
    hpo_id: str | None = None  # the HPO ID the query names, as HP:0001234: the symptom's own ID or an older one


def parse_identifier(query: str) -> tuple[str, str] | None:
    match = IDENTIFIER.match(query)
    if not match:
        return None
    prefix = match.group(1).upper()
    return ("ORPHA" if prefix == "ORPHANET" else prefix), str(int(match.group(2)))


# The number of diseases the words match, and one ranked page of them.
COUNT_SQL = "SELECT count(*) FROM gard_disease_fts f WHERE {disease_match} {not_in}"
RANKED_SQL = f"""
SELECT f.rowid,
  CASE WHEN d.search_name = %(folded)s THEN {Tier.EXACT_NAME}
       WHEN substr(d.search_name, 1, length(%(folded)s)) = %(folded)s THEN {Tier.NAME_PREFIX}
       WHEN {{names_match}} THEN {Tier.OTHER_NAME}
       ELSE {Tier.ANYWHERE} END AS tier
FROM gard_disease_fts f JOIN gard_disease d ON d.id = f.rowid
WHERE {{disease_match}} {{not_in}}
ORDER BY tier, {{disease_relevance}}, {{name_order}}
LIMIT %(limit)s OFFSET %(offset)s
"""


# -- searching ---------------------------------------------------------------------------


def _reasons(search_backend, expressions: dict, results: list[Result]) -> None:
    """Why each result outside the name tiers matched: its other names, genes and symptoms with the words."""
    by_id = {result.disease_id: result for result in results if result.tier >= Tier.OTHER_NAME}
    if not by_id:
        return
    with connection.cursor() as cursor:
        matched = search_backend.matched_entries(cursor, expressions, list(by_id))
    for rowid, (other_names, genes, symptoms) in matched.items():
        reasons = by_id[rowid].reasons
        reasons += [f"Other name: {name}" for name in other_names]
        reasons += [f"Gene: {symbol}" for symbol in genes]
        reasons += [f"Symptom: {name}" for name in symptoms]


def _by_identifier(query: str) -> list[Result]:
    identifier = parse_identifier(query)
    if not identifier:
        return []
    prefix, accession = identifier
    found = Identifier.objects.filter(prefix=prefix, accession=accession).values_list("disease_id", flat=True)
    return [Result(pk, Tier.IDENTIFIER, [f"Identifier {prefix}:{accession}"]) for pk in found]


def _by_symptom(symptom: Phenotype, offset: int, limit: int) -> tuple[int, list[Result]]:
    # The diseases the symptom page lists: rows that say a disease has it (not NOT, inheritance or onset rows).
    having = Annotation.objects.symptoms().filter(phenotype=symptom).values("disease")
    diseases = Disease.objects.filter(pk__in=having).order_by("search_name")
    reason = f"Symptom: {symptom.name} ({symptom.hpo_id})"
    page = diseases.values_list("pk", flat=True)[offset : offset + limit]
    return diseases.count(), [Result(pk, Tier.SYMPTOM, [reason]) for pk in page]


def _by_text(query: str, exclude: list[int], offset: int, limit: int) -> tuple[int, list[Result]]:
    words = query_words(query)
    if not words:
        return 0, []
    search_backend = backend()
    expressions = search_backend.expressions(words)
    marks, excluded = placeholders("exclude", exclude)
    parts = {
        "disease_match": search_backend.disease_match,
        "names_match": search_backend.names_match,
        "disease_relevance": search_backend.disease_relevance,
        "name_order": search_backend.name_order,
        "not_in": f"AND f.rowid NOT IN ({marks})" if exclude else "",
    }
    with connection.cursor() as cursor:
        cursor.execute(COUNT_SQL.format(**parts), {**expressions, **excluded})
        total = cursor.fetchone()[0]
        if limit <= 0:
            return total, []
        cursor.execute(
            RANKED_SQL.format(**parts),
            {**expressions, **excluded, "folded": fold(query), "limit": limit, "offset": offset},
        )
        ranked = [Result(rowid, tier) for rowid, tier in cursor.fetchall()]
    _reasons(search_backend, expressions, ranked)
    return total, ranked


def search(query: str, offset: int = 0, limit: int = 20) -> Results:
    """One page of diseases matching the query, best first, each saying why it matched."""
    query = query.strip()
    head = _by_identifier(query)  # an exact identifier's disease comes first, on the first page
    page = head[offset : offset + limit]
    rest_offset, rest_limit = max(0, offset - len(head)), limit - len(page)
    symptom = None
    if hpo_id := parse_hpo_id(query):
        symptom = Phenotype.objects.find(hpo_id)
        total, rest = _by_symptom(symptom, rest_offset, rest_limit) if symptom else (0, [])
    else:
        total, rest = _by_text(query, [result.disease_id for result in head], rest_offset, rest_limit)
    page += rest
    diseases = Disease.objects.in_bulk([result.disease_id for result in page])
    for result in page:
        result.disease = diseases.get(result.disease_id)
    items = [r for r in page if r.disease is not None]
    return Results(query, len(head) + total, items, symptom=symptom, hpo_id=hpo_id)


def suggest(query: str, limit: int = 8) -> list[dict]:
    """As-you-type suggestions: the best diseases, then symptoms."""
    results = search(query, limit=limit)
    suggestions = [{"label": r.disease.name, "url": r.disease.get_absolute_url()} for r in results.items]
    if len(suggestions) < limit:
        suggestions += [
            {"label": f"{term.name} ({term.hpo_id})", "url": term.get_absolute_url()}
            for term in search_terms(query, limit - len(suggestions))
        ]
    return suggestions
