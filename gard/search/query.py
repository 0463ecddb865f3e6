"""Search over the whole catalogue: names first, then the database's own full-text index (``gard.search.index``).

A query is read as its words in canonical spellings, misspellings corrected
(``gard.search.spelling``, ``gard.search.words``); the last word matches as a
prefix so suggestions work as the user types.

Ranking, the same on both databases:

0. an exact identifier (ORPHA:64);
1. a disease whose name or other name (an abbreviation too) is the query;
2. a name or other name that starts with the query's words;
3. the words in the disease's name; 4. in its other names or genes; 5. anywhere, symptoms too.

Within the name tiers the disease itself comes before names that read as its subtypes
("type 2", "-like", "susceptibility to"), then fewer other words before more; then, in
every tier, the better documented and more common disease (``gard.search.names``), and
only then the name. Each result says why it matched when its own name does not show it
("Also called PKU"), and carries the first sentence of what it is.
"""

import re
import sqlite3
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

from django.db import OperationalError, connection, transaction

from gard.importers.open_data import first_sentence
from gard.models import (
    IMPORTED_TEXT_SOURCES,
    Annotation,
    Disease,
    Identifier,
    Phenotype,
    SearchName,
    SectionKind,
    parse_hpo_id,
)
from gard.search.index import backend, matched_entries, placeholders
from gard.search.names import starting_with_sql
from gard.search.spelling import Interpretation, interpret
from gard.symptoms.lookup import search_terms

IDENTIFIER = re.compile(r"^\s*(OMIM|ORPHA|ORPHANET|DECIPHER)\s*[:_ ]?\s*(\d+)\s*$", re.IGNORECASE)
HEAD_ROWS = 200  # names read for the name tiers; diseases past them still come in the later tiers


class Tier:
    """Better matches have smaller tiers."""

    IDENTIFIER = 0
    NAME = 1
    NAME_START = 2
    NAME_WORDS = 3
    OTHER_NAME = 4
    ANYWHERE = 5
    SYMPTOM = 6


@dataclass
class Result:
    disease_id: int
    tier: int
    reasons: list[str] = field(default_factory=list)
    disease: Disease | None = None
    what_it_is: str = ""  # the first sentence of what the disease is, where something says it


@dataclass
class Results:
    """One page of results and the total, in the shape Django's Paginator can use."""

    query: str
    total: int
    items: list[Result]
    symptoms: list[Phenotype] = field(default_factory=list)
    symptom: Phenotype | None = None  # the term an HPO ID query names
    hpo_id: str | None = None  # the HPO ID the query names, as HP:0001234: the symptom's own ID or an older one
    interpretation: Interpretation | None = None  # the words searched for (none for an HPO ID)

    @property
    def corrected(self) -> str:
        """The query as searched, when a word of it was corrected."""
        return self.interpretation.phrase() if self.interpretation and self.interpretation.corrected else ""


def parse_identifier(query: str) -> tuple[str, str] | None:
    match = IDENTIFIER.match(query)
    if not match:
        return None
    prefix = match.group(1).upper()
    return ("ORPHA" if prefix == "ORPHANET" else prefix), str(int(match.group(2)))


# The number of diseases the words match, and one ranked page of them.
COUNT_SQL = "SELECT count(*) FROM gard_disease_fts f WHERE {disease_match} {not_in}"
# Each index row carries what the order needs (RANK_COLUMNS in gard.search.index): no join. The matches
# are read once (MATERIALIZED: each row's tier is worked out once, and the sort carries no index document,
# which PostgreSQL would otherwise re-read for the second use of the tier), then ordered.
RANKED_SQL = f"""
WITH matched AS MATERIALIZED (
  SELECT f.rowid, f.name,
    CASE WHEN {{name_match}} THEN {Tier.NAME_WORDS} WHEN {{names_match}} THEN {Tier.OTHER_NAME}
         ELSE {Tier.ANYWHERE} END AS tier,
    coalesce(f.subtype, 0) AS subtype, coalesce(f.words, 99) AS words, coalesce(f.weight, 0) AS weight
  FROM gard_disease_fts f
  WHERE {{disease_match}} {{not_in}}
)
SELECT f.rowid, f.tier FROM matched f
ORDER BY f.tier, f.subtype, CASE WHEN f.tier = {Tier.NAME_WORDS} THEN f.words ELSE 0 END, f.weight DESC,
  {{name_order}}, f.rowid
LIMIT %(limit)s OFFSET %(offset)s
"""


# -- searching ---------------------------------------------------------------------------


def _reasons(groups: list[list[str]], results: list[Result]) -> None:
    """Why each result outside the name tiers matched: its other names, genes and symptoms with the words."""
    by_id = {result.disease_id: result for result in results if result.tier >= Tier.OTHER_NAME}
    if not by_id:
        return
    matched = matched_entries(list(by_id), groups)
    for rowid, (other_names, genes, symptoms) in matched.items():
        reasons = by_id[rowid].reasons
        reasons += [f"Also called {name}" for name in other_names]
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


NAMES_SQL = f"""
SELECT disease_id,
  CASE WHEN compact IN ({{keys}}) THEN 0 WHEN loose IN ({{loose}}) THEN 1
       WHEN phrase = %(phrase)s OR {{whole}} THEN 2 ELSE 3 END AS matched,
  kind, name, subtype, words, weight
FROM gard_searchname
WHERE compact IN ({{keys}}) OR loose IN ({{loose}}) OR {{starts}}
ORDER BY matched, subtype, words, weight DESC, kind, id
LIMIT {HEAD_ROWS}
"""


def _by_names(interpretation: Interpretation, exclude: set[int]) -> list[Result]:
    """The name tiers: diseases whose name or other name is the query, or starts with its words."""
    phrase = interpretation.phrase()
    if not phrase:
        return []
    keys, key_params = placeholders("key", interpretation.name_keys())
    loose, loose_params = placeholders("loose", interpretation.loose_keys())
    whole, whole_params = starting_with_sql(phrase + " ", "whole")
    starts, starts_params = starting_with_sql(phrase, "starts")
    sql = NAMES_SQL.format(keys=keys, loose=loose, whole=whole, starts=starts)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"phrase": phrase, **key_params, **loose_params, **whole_params, **starts_params})
        rows = cursor.fetchall()
    best = {}
    for disease_id, matched, kind, name, subtype, words, weight in rows:
        if disease_id in exclude:
            continue
        if matched <= 1:  # the name is the query (1: but for a last "syndrome" or "disease")
            key = (Tier.NAME, matched, subtype, -weight, kind, words)
        else:  # the name starts with the words: whole words before a word still being typed
            key = (Tier.NAME_START, matched, subtype, words, -weight, kind)
        if disease_id not in best or key < best[disease_id][0]:
            best[disease_id] = (key, kind, name)
    ranked = sorted(best.items(), key=lambda item: (item[1][0], item[0]))
    return [
        Result(pk, key[0], [f"Also called {name}"] if kind == SearchName.Kind.OTHER_NAME else [])
        for pk, (key, kind, name) in ranked
    ]


def _by_text(interpretation: Interpretation, exclude: list[int], offset: int, limit: int) -> tuple[int, list[Result]]:
    groups = interpretation.groups()
    if not groups:
        return 0, []
    search_backend = backend()
    expressions = search_backend.expressions(groups)
    marks, excluded = placeholders("exclude", exclude)
    parts = {
        "disease_match": search_backend.disease_match,
        "name_match": search_backend.name_match,
        "names_match": search_backend.names_match,
        "name_order": search_backend.name_order,
        "not_in": f"AND f.rowid NOT IN ({marks})" if exclude else "",
    }
    with connection.cursor() as cursor:
        cursor.execute(COUNT_SQL.format(**parts), {**expressions, **excluded})
        total = cursor.fetchone()[0]
        if limit <= 0:
            return total, []
        cursor.execute(RANKED_SQL.format(**parts), {**expressions, **excluded, "limit": limit, "offset": offset})
        ranked = [Result(rowid, tier) for rowid, tier in cursor.fetchall()]
    _reasons(groups, ranked)
    return total, ranked


DISEASES_SQL = """
SELECT d.id, d.name, d.slug, d.summary,
  (SELECT s.body FROM gard_section s LEFT JOIN gard_source src ON src.id = s.source_id
   WHERE s.disease_id = d.id AND s.kind = %(summary)s AND s.body <> ''
   ORDER BY CASE src.key {imported} ELSE 0 END, s.id LIMIT 1) AS section
FROM gard_disease d WHERE d.id IN ({ids})
"""


def _diseases(ids: list[int]) -> dict[int, Disease]:
    """The page's diseases, each with the text that says what it is (``section``, besides an editor's summary):
    the summary section its page leads with (``gard.diseases.family.leading_summary``'s order), in one query."""
    if not ids:
        return {}
    marks, params = placeholders("id", ids)
    imported = " ".join(f"WHEN '{key}' THEN {number}" for number, key in enumerate(IMPORTED_TEXT_SOURCES, 1))
    sql = DISEASES_SQL.format(imported=imported, ids=marks)
    return {disease.pk: disease for disease in Disease.objects.raw(sql, {"summary": SectionKind.SUMMARY, **params})}


def _what_it_is(disease: Disease) -> str:
    text = disease.summary.strip() or (disease.section or "").strip()
    return first_sentence(text) if text else ""


class TooBroad(Exception):
    """The database stopped the search at its time limit (settings: SQLite's progress handler, PostgreSQL's
    statement_timeout): the page says to narrow it rather than failing."""


# PostgreSQL's "canceling statement due to statement timeout" (query_canceled); SQLite's interrupted statement.
QUERY_CANCELED = "57014"


def stopped_at_time_limit(error: OperationalError) -> bool:
    """Whether the database stopped a statement at its time limit, not failed for another reason (gone away,
    locked), which is the server's problem and stays an error."""
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == QUERY_CANCELED or (
        getattr(cause, "sqlite_errorcode", None) == sqlite3.SQLITE_INTERRUPT
    )


@contextmanager
def time_limited(query: str):
    """Run a search's statements, turning the database stopping one at its time limit into TooBroad. Inside
    a transaction (a caller's atomic block, a test) they run in a savepoint, so a statement PostgreSQL cancels
    leaves that transaction usable; outside one (a request: no ATOMIC_REQUESTS) each statement is its own."""
    try:
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            yield
    except OperationalError as error:
        if stopped_at_time_limit(error):
            raise TooBroad(query) from error
        raise


def search(query: str, offset: int = 0, limit: int = 20, correct: bool = True) -> Results:
    """One page of diseases matching the query, best first, each saying why it matched.

    ``correct=False`` searches the words as typed ("Search instead for …"). Run it within ``time_limited``.
    """
    query = query.strip()
    head = _by_identifier(query)  # an exact identifier's disease comes first, on the first page
    symptom, interpretation = None, None
    if hpo_id := parse_hpo_id(query):
        symptom = Phenotype.objects.find(hpo_id)
        page = head[offset : offset + limit]
        rest_offset, rest_limit = max(0, offset - len(head)), limit - len(page)
        total, rest = _by_symptom(symptom, rest_offset, rest_limit) if symptom else (0, [])
    else:
        interpretation = interpret(query, correct=correct)
        head += _by_names(interpretation, {result.disease_id for result in head})
        page = head[offset : offset + limit]
        rest_offset, rest_limit = max(0, offset - len(head)), limit - len(page)
        total, rest = _by_text(interpretation, [result.disease_id for result in head], rest_offset, rest_limit)
    page += rest
    diseases = _diseases([result.disease_id for result in page])
    for result in page:
        result.disease = diseases.get(result.disease_id)
        result.what_it_is = _what_it_is(result.disease) if result.disease else ""
    items = [r for r in page if r.disease is not None]
    return Results(query, len(head) + total, items, symptom=symptom, hpo_id=hpo_id, interpretation=interpretation)


def suggest(query: str, limit: int = 8) -> list[dict]:
    """As-you-type suggestions: the best diseases (with why they matched), then symptoms. Raises TooBroad."""
    with time_limited(query):
        return _suggestions(query, limit)


def _suggestions(query: str, limit: int) -> list[dict]:
    results = search(query, limit=limit)
    suggestions = [
        {
            "label": r.disease.name,
            "url": r.disease.get_absolute_url(),
            "detail": r.reasons[0] if r.reasons else "",
        }
        for r in results.items
    ]
    if len(suggestions) < limit:
        suggestions += [
            {"label": f"{term.name} ({term.hpo_id})", "url": term.get_absolute_url(), "detail": "Symptom"}
            for term in search_terms(results.interpretation or query, limit - len(suggestions))
        ]
    return suggestions
