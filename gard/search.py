"""Search over the whole catalogue, through SQLite FTS5 full-text indexes.

Two indexes: one row per disease (its name, other names, genes and the
names of its symptoms) and one row per HPO term (its name and other names).
Text is folded the same way on both sides (accents, case and punctuation
ignored), and the last word of a query matches as a prefix so suggestions
work as the user types.

Ranking: an exact identifier (ORPHA:64) first, then diseases whose name is
the query, then names starting with it, then other names (and gene symbols),
then the words anywhere; within each tier by BM25 relevance.
"""

import re
from dataclasses import dataclass, field

from django.db import connection

from gard.models import Aspect, Disease, Identifier, Phenotype, PhenotypeAltId, parse_hpo_id
from gard.text import fold

IDENTIFIER = re.compile(r"^\s*(OMIM|ORPHA|ORPHANET|DECIPHER)\s*[:_ ]?\s*(\d+)\s*$", re.IGNORECASE)
MARK_START, MARK_END = "\x02", "\x03"
SEPARATOR = " | "
MAX_WORDS = 12


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


def match_expression(query: str) -> str | None:
    """An FTS5 query: every folded word must match, the last one as a prefix."""
    words = fold(query).split()[:MAX_WORDS]
    if not words:
        return None
    # fold() leaves only [0-9a-z] and spaces, so the quoted words cannot carry FTS syntax.
    return " ".join(f'"{word}"' for word in words[:-1]) + f' "{words[-1]}"*'


# -- the indexes -----------------------------------------------------------------------

DISEASE_ROW_SQL = f"""
SELECT d.id, d.name,
  (SELECT group_concat(s.name, '{SEPARATOR}') FROM gard_synonym s WHERE s.disease_id = d.id),
  (SELECT group_concat(g.symbol, '{SEPARATOR}') FROM (
     SELECT DISTINCT g.symbol FROM gard_identifier i
     JOIN gard_identifier_genes ig ON ig.identifier_id = i.id
     JOIN gard_gene g ON g.id = ig.gene_id WHERE i.disease_id = d.id) g),
  (SELECT group_concat(n, '{SEPARATOR}') FROM (
     SELECT p.name AS n FROM gard_annotation a JOIN gard_phenotype p ON p.id = a.phenotype_id
     WHERE a.disease_id = d.id AND a.aspect = 'P' AND NOT a.negated
     UNION
     SELECT s.name FROM gard_annotation a JOIN gard_phenotypesynonym s ON s.phenotype_id = a.phenotype_id
     WHERE a.disease_id = d.id AND a.aspect = 'P' AND NOT a.negated))
FROM gard_disease d
"""

PHENOTYPE_ROW_SQL = f"""
SELECT p.id, p.name,
  (SELECT group_concat(s.name, '{SEPARATOR}') FROM gard_phenotypesynonym s WHERE s.phenotype_id = p.id)
FROM gard_phenotype p WHERE NOT p.is_obsolete
"""


def create_search_tables(cursor):
    tokenizer = "tokenize = 'unicode61 remove_diacritics 2'"
    columns = "name, other_names, genes, symptoms"
    cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS gard_disease_fts USING fts5({columns}, {tokenizer})")
    cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS gard_phenotype_fts USING fts5(name, other_names, {tokenizer})")


def rebuild_search_index():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM gard_disease_fts")
        cursor.execute(f"INSERT INTO gard_disease_fts(rowid, name, other_names, genes, symptoms) {DISEASE_ROW_SQL}")
        cursor.execute("DELETE FROM gard_phenotype_fts")
        cursor.execute(f"INSERT INTO gard_phenotype_fts(rowid, name, other_names) {PHENOTYPE_ROW_SQL}")
        cursor.execute("INSERT INTO gard_disease_fts(gard_disease_fts) VALUES ('optimize')")


def reindex_diseases(disease_ids):
    """Bring the index rows of a few diseases up to date after an edit."""
    ids = [int(pk) for pk in disease_ids if pk is not None]
    if not ids:
        return
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM gard_disease_fts WHERE rowid IN ({marks})", ids)
        cursor.execute(
            f"INSERT INTO gard_disease_fts(rowid, name, other_names, genes, symptoms) {DISEASE_ROW_SQL} "
            f"WHERE d.id IN ({marks})",
            ids,
        )


def reindex_phenotypes(phenotype_ids):
    ids = [int(pk) for pk in phenotype_ids if pk is not None]
    if not ids:
        return
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM gard_phenotype_fts WHERE rowid IN ({marks})", ids)
        cursor.execute(
            f"INSERT INTO gard_phenotype_fts(rowid, name, other_names) {PHENOTYPE_ROW_SQL} AND p.id IN ({marks})",
            ids,
        )


# -- searching ---------------------------------------------------------------------------

RANKED_SQL = """
SELECT f.rowid,
  CASE WHEN d.search_name = %s THEN 1
       WHEN substr(d.search_name, 1, length(%s)) = %s THEN 2
       WHEN f.rowid IN (SELECT rowid FROM gard_disease_fts WHERE gard_disease_fts MATCH %s) THEN 3
       ELSE 4 END AS tier
FROM gard_disease_fts f JOIN gard_disease d ON d.id = f.rowid
WHERE gard_disease_fts MATCH %s {not_in}
ORDER BY tier, bm25(gard_disease_fts, 10.0, 5.0, 5.0, 1.0), d.search_name
LIMIT %s OFFSET %s
"""

HIGHLIGHT_SQL = """
SELECT rowid, highlight(gard_disease_fts, 1, char(2), char(3)), highlight(gard_disease_fts, 2, char(2), char(3)),
  highlight(gard_disease_fts, 3, char(2), char(3))
FROM gard_disease_fts WHERE gard_disease_fts MATCH %s AND rowid IN ({})
"""


def _marked(text: str | None) -> list[str]:
    """The separated entries of an index column that the query matched."""
    return [
        entry.replace(MARK_START, "").replace(MARK_END, "")
        for entry in (text or "").split(SEPARATOR)
        if MARK_START in entry
    ]


def _reasons(expression: str, results: list[Result]) -> None:
    by_id = {result.disease_id: result for result in results if result.tier >= Tier.OTHER_NAME}
    if not by_id:
        return
    with connection.cursor() as cursor:
        cursor.execute(HIGHLIGHT_SQL.format(", ".join(["%s"] * len(by_id))), [expression, *by_id])
        for rowid, other_names, genes, symptoms in cursor.fetchall():
            reasons = by_id[rowid].reasons
            reasons += [f"Other name: {name}" for name in _marked(other_names)]
            reasons += [f"Gene: {symbol}" for symbol in _marked(genes)]
            reasons += [f"Symptom: {name}" for name in _marked(symptoms)]


def _by_identifier(query: str) -> list[Result]:
    identifier = parse_identifier(query)
    if not identifier:
        return []
    prefix, accession = identifier
    found = Identifier.objects.filter(prefix=prefix, accession=accession).values_list("disease_id", flat=True)
    return [Result(pk, Tier.IDENTIFIER, [f"Identifier {prefix}:{accession}"]) for pk in found]


def _symptom_for(hpo_id: str) -> Phenotype | None:
    symptom = Phenotype.objects.filter(hpo_id=hpo_id).first()
    if symptom is None:
        alt = PhenotypeAltId.objects.filter(alt_id=hpo_id).select_related("phenotype").first()
        symptom = alt.phenotype if alt else None
    return symptom


def _by_symptom(symptom: Phenotype, offset: int, limit: int) -> tuple[int, list[Result]]:
    # The diseases the symptom page lists: rows that say a disease has it (not NOT, inheritance or onset rows).
    diseases = (
        Disease.objects.filter(
            annotations__phenotype=symptom, annotations__aspect=Aspect.PHENOTYPE, annotations__negated=False
        )
        .distinct()
        .order_by("search_name")
    )
    reason = f"Symptom: {symptom.name} ({symptom.hpo_id})"
    page = diseases.values_list("pk", flat=True)[offset : offset + limit]
    return diseases.count(), [Result(pk, Tier.SYMPTOM, [reason]) for pk in page]


def _by_text(query: str, exclude: list[int], offset: int, limit: int) -> tuple[int, list[Result]]:
    expression = match_expression(query)
    if not expression:
        return 0, []
    folded = fold(query)
    names_expression = f"{{other_names genes}} : ({expression})"
    not_in = f"AND f.rowid NOT IN ({', '.join(['%s'] * len(exclude))})" if exclude else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM gard_disease_fts f WHERE gard_disease_fts MATCH %s {not_in}", [expression, *exclude]
        )
        total = cursor.fetchone()[0]
        if limit <= 0:
            return total, []
        cursor.execute(
            RANKED_SQL.format(not_in=not_in),
            [folded, folded, folded, names_expression, expression, *exclude, limit, offset],
        )
        ranked = [Result(rowid, tier) for rowid, tier in cursor.fetchall()]
    _reasons(expression, ranked)
    return total, ranked


def search(query: str, offset: int = 0, limit: int = 20) -> Results:
    """One page of diseases matching the query, best first, each saying why it matched."""
    query = query.strip()
    head = _by_identifier(query)  # an exact identifier's disease comes first, on the first page
    page = head[offset : offset + limit]
    rest_offset, rest_limit = max(0, offset - len(head)), limit - len(page)
    symptom = None
    if hpo_id := parse_hpo_id(query):
        symptom = _symptom_for(hpo_id)
        total, rest = _by_symptom(symptom, rest_offset, rest_limit) if symptom else (0, [])
    else:
        total, rest = _by_text(query, [result.disease_id for result in head], rest_offset, rest_limit)
    page += rest
    diseases = Disease.objects.in_bulk([result.disease_id for result in page])
    for result in page:
        result.disease = diseases.get(result.disease_id)
    items = [r for r in page if r.disease is not None]
    return Results(query, len(head) + total, items, symptom=symptom, hpo_id=hpo_id)


def search_symptoms(query: str, limit: int = 8) -> list[Phenotype]:
    """HPO terms whose name or other names match, best first."""
    expression = match_expression(query)
    if not expression or parse_hpo_id(query):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM gard_phenotype_fts WHERE gard_phenotype_fts MATCH %s "
            "ORDER BY bm25(gard_phenotype_fts, 10.0, 3.0) LIMIT %s",
            [expression, limit],
        )
        ids = [row[0] for row in cursor.fetchall()]
    terms = Phenotype.objects.in_bulk(ids)
    return [terms[pk] for pk in ids if pk in terms]


def suggest(query: str, limit: int = 8) -> list[dict]:
    """As-you-type suggestions: the best diseases, then symptoms."""
    results = search(query, limit=limit)
    suggestions = [{"label": r.disease.name, "url": r.disease.get_absolute_url()} for r in results.items]
    if len(suggestions) < limit:
        suggestions += [
            {"label": f"{term.name} ({term.hpo_id})", "url": term.get_absolute_url()}
            for term in search_symptoms(query, limit - len(suggestions))
        ]
    return suggestions
