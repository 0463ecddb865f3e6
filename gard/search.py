"""Search over the whole catalogue, through the database's own full-text index.

Two indexes: one row per disease (its name, other names, genes and the
names of its symptoms) and one row per HPO term (its name and other names),
in the tables gard_disease_fts and gard_phenotype_fts on either database:

- SQLite: FTS5 virtual tables (tokenizer unicode61, diacritics removed).
- PostgreSQL: plain tables with the same columns and a stored, weighted
  ``tsvector`` generated from them (A the name, B other names and genes, D
  symptoms), over text folded by ``gard_fold()`` (``unaccent``, lower case,
  punctuation as spaces), with a GIN index on it; and a small one of the other
  names and genes alone, for telling that tier apart without reading the large
  one again. Built by migration 0007.

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

from gard.models import Aspect, Disease, Identifier, Phenotype, PhenotypeAltId, parse_hpo_id
from gard.text import fold

POSSESSIVE = re.compile(r"(?<=\w)['’`]s\b", re.IGNORECASE)
IDENTIFIER = re.compile(r"^\s*(OMIM|ORPHA|ORPHANET|DECIPHER)\s*[:_ ]?\s*(\d+)\s*$", re.IGNORECASE)
MARK_START, MARK_END = "\x02", "\x03"
SEPARATOR = " | "
MAX_WORDS = 12
LONGEST_WORD = 2046


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


def query_words(query: str) -> list[str]:
    """The folded words of a query, or none if one of them can match nothing.

    fold() leaves only [0-9a-z], so no word can carry query syntax. PostgreSQL indexes no word longer
    than LONGEST_WORD and leaves such a word out of a query, which would then match on the others.
    A possessive "'s" is dropped: the indexes split "Huntington's" into "huntington" and "s", and a
    name may be written with it or without ("Huntington disease"), so "Huntington's" asks for "huntington".
    """
    words = fold(POSSESSIVE.sub("", query)).split()[:MAX_WORDS]
    return [] if any(len(word) > LONGEST_WORD for word in words) else words


# -- the SQL both databases share; each backend below fills in the parts that differ ------------


def disease_row_sql(concat) -> str:
    """rowid, name, other names, genes, symptoms (their names and other names) of each disease.

    concat(column, order) joins a column's values with SEPARATOR in that order; the subqueries give
    their rows in the same order for SQLite, whose group_concat takes no ORDER BY.
    """
    return f"""
SELECT d.id, d.name,
  (SELECT {concat("s.name", "s.id")} FROM (
     SELECT s.name, s.id FROM gard_synonym s WHERE s.disease_id = d.id ORDER BY s.id) s),
  (SELECT {concat("g.symbol", 'g.symbol COLLATE "C"')} FROM (
     SELECT DISTINCT g.symbol FROM gard_identifier i
     JOIN gard_identifier_genes ig ON ig.identifier_id = i.id
     JOIN gard_gene g ON g.id = ig.gene_id WHERE i.disease_id = d.id ORDER BY g.symbol) g),
  (SELECT {concat("t.n", 't.n COLLATE "C"')} FROM (
     SELECT p.name AS n FROM gard_annotation a JOIN gard_phenotype p ON p.id = a.phenotype_id
     WHERE a.disease_id = d.id AND a.aspect = 'P' AND NOT a.negated
     UNION
     SELECT s.name FROM gard_annotation a JOIN gard_phenotypesynonym s ON s.phenotype_id = a.phenotype_id
     WHERE a.disease_id = d.id AND a.aspect = 'P' AND NOT a.negated
     ORDER BY 1) t)
FROM gard_disease d
"""


def phenotype_row_sql(concat) -> str:
    """rowid, name, other names of each current HPO term."""
    return f"""
SELECT p.id, p.name,
  (SELECT {concat("s.name", "s.id")} FROM (
     SELECT s.name, s.id FROM gard_phenotypesynonym s WHERE s.phenotype_id = p.id ORDER BY s.id) s)
FROM gard_phenotype p WHERE NOT p.is_obsolete
"""


INSERT_DISEASES = "INSERT INTO gard_disease_fts(rowid, name, other_names, genes, symptoms) {rows}"
INSERT_PHENOTYPES = "INSERT INTO gard_phenotype_fts(rowid, name, other_names) {rows}"

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
SYMPTOMS_SQL = """
SELECT f.rowid FROM gard_phenotype_fts f WHERE {phenotype_match}
ORDER BY {phenotype_relevance}, f.rowid LIMIT %(limit)s
"""


def _placeholders(name: str, values) -> tuple[str, dict]:
    """Named placeholders for a list of values, and the parameters that fill them."""
    params = {f"{name}{number}": value for number, value in enumerate(values)}
    return ", ".join(f"%({key})s" for key in params), params


class SQLiteSearch:
    """FTS5 virtual tables; MATCH expressions of quoted words, the last one a prefix."""

    vendor = "sqlite"
    disease_match = "gard_disease_fts MATCH %(all_words)s"
    names_match = "f.rowid IN (SELECT rowid FROM gard_disease_fts WHERE gard_disease_fts MATCH %(names_only)s)"
    disease_relevance = "bm25(gard_disease_fts, 10.0, 5.0, 5.0, 1.0)"  # smaller is better
    name_order = "d.search_name"
    phenotype_match = "gard_phenotype_fts MATCH %(all_words)s"
    phenotype_relevance = "bm25(gard_phenotype_fts, 10.0, 3.0)"

    @staticmethod
    def concat(column: str, order: str) -> str:
        return f"group_concat({column}, '{SEPARATOR}')"

    @staticmethod
    def expressions(words: list[str]) -> dict[str, str]:
        every = " ".join(f'"{word}"' for word in words[:-1]) + f' "{words[-1]}"*'
        # highlight() marks every word of the MATCH expression wherever it occurs.
        return {"all_words": every, "names_only": f"{{other_names genes}} : ({every})", "any_word": every}

    @staticmethod
    def create_tables(cursor) -> None:
        tokenizer = "tokenize = 'unicode61 remove_diacritics 2'"
        columns = "name, other_names, genes, symptoms"
        cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS gard_disease_fts USING fts5({columns}, {tokenizer})")
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS gard_phenotype_fts USING fts5(name, other_names, {tokenizer})"
        )

    @staticmethod
    def drop_tables(cursor) -> None:
        cursor.execute("DROP TABLE IF EXISTS gard_disease_fts")
        cursor.execute("DROP TABLE IF EXISTS gard_phenotype_fts")

    @staticmethod
    def after_rebuild(cursor) -> None:
        cursor.execute("INSERT INTO gard_disease_fts(gard_disease_fts) VALUES ('optimize')")

    @staticmethod
    def matched_entries(cursor, expressions: dict, ids: list[int]) -> dict[int, tuple[list, list, list]]:
        """For each disease, its other names, genes and symptom names that hold a word of the query."""
        marks, params = _placeholders("id", ids)
        cursor.execute(
            "SELECT rowid, highlight(gard_disease_fts, 1, char(2), char(3)), "
            "highlight(gard_disease_fts, 2, char(2), char(3)), highlight(gard_disease_fts, 3, char(2), char(3)) "
            f"FROM gard_disease_fts WHERE gard_disease_fts MATCH %(any_word)s AND rowid IN ({marks})",
            {"any_word": expressions["any_word"], **params},
        )
        return {rowid: tuple(_marked(column) for column in columns) for rowid, *columns in cursor.fetchall()}


def _marked(text: str | None) -> list[str]:
    """The separated entries of an FTS5 column that highlight() marked."""
    return [
        entry.replace(MARK_START, "").replace(MARK_END, "")
        for entry in (text or "").split(SEPARATOR)
        if MARK_START in entry
    ]


class PostgresSearch:
    """Plain tables with a weighted, generated tsvector and GIN indexes; tsqueries of the words."""

    vendor = "postgresql"
    disease_match = "f.document @@ to_tsquery('simple', %(all_words)s)"
    names_match = "f.other_names_document @@ to_tsquery('simple', %(all_words)s)"
    # Weights {D, C, B, A}: name 10, other names and genes 5, symptoms 1, as SQLite's BM25 weights;
    # normalization 1 divides by the log of the document's length, as BM25 favours short rows.
    disease_relevance = "ts_rank('{0.1, 0, 0.5, 1}', f.document, to_tsquery('simple', %(all_words)s), 1) DESC"
    name_order = 'd.search_name COLLATE "C"'  # byte order, as SQLite compares
    phenotype_match = disease_match
    phenotype_relevance = "ts_rank('{0, 0, 0.3, 1}', f.document, to_tsquery('simple', %(all_words)s), 1) DESC"

    # gard_fold() folds as the FTS5 tokenizer does (accents and case dropped, anything else between
    # letters and digits a word break). A SQL-standard body binds unaccent and its dictionary when the
    # function is created, so it is immutable whatever the search_path, as generated columns need.
    FOLD = """
CREATE OR REPLACE FUNCTION gard_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN regexp_replace(lower(unaccent('unaccent'::regdictionary, $1)), '[^0-9a-z]+', ' ', 'g')
"""
    # A disease's document runs to a few kilobytes. toast_tuple_target keeps it in its row, uncompressed,
    # rather than in the TOAST table: a search that reads thousands of them is several times quicker.
    TABLES = [
        """
CREATE TABLE IF NOT EXISTS gard_disease_fts (
  rowid bigint PRIMARY KEY,
  name text NOT NULL,
  other_names text,
  genes text,
  symptoms text,
  document tsvector NOT NULL GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', gard_fold(name)), 'A')
    || setweight(to_tsvector('simple', gard_fold(coalesce(other_names, '') || ' ' || coalesce(genes, ''))), 'B')
    || setweight(to_tsvector('simple', gard_fold(coalesce(symptoms, ''))), 'D')
  ) STORED,
  other_names_document tsvector NOT NULL GENERATED ALWAYS AS (
    to_tsvector('simple', gard_fold(coalesce(other_names, '') || ' ' || coalesce(genes, '')))
  ) STORED
) WITH (toast_tuple_target = 8160)""",
        "CREATE INDEX IF NOT EXISTS gard_disease_fts_document ON gard_disease_fts USING gin (document)",
        """
CREATE TABLE IF NOT EXISTS gard_phenotype_fts (
  rowid bigint PRIMARY KEY,
  name text NOT NULL,
  other_names text,
  document tsvector NOT NULL GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', gard_fold(name)), 'A')
    || setweight(to_tsvector('simple', gard_fold(coalesce(other_names, ''))), 'B')
  ) STORED
)""",
        "CREATE INDEX IF NOT EXISTS gard_phenotype_fts_document ON gard_phenotype_fts USING gin (document)",
    ]

    @staticmethod
    def concat(column: str, order: str) -> str:
        return f"string_agg({column}, '{SEPARATOR}' ORDER BY {order})"

    @staticmethod
    def expressions(words: list[str]) -> dict[str, str]:
        # names_match reads the other names' own tsvector, so it needs no expression of its own.
        last = f"{words[-1]}:*"
        return {"all_words": " & ".join([*words[:-1], last]), "any_word": " | ".join([*words[:-1], last])}

    @classmethod
    def create_tables(cls, cursor) -> None:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cursor.execute(cls.FOLD)
        for statement in cls.TABLES:
            cursor.execute(statement)

    @staticmethod
    def drop_tables(cursor) -> None:
        cursor.execute("DROP TABLE IF EXISTS gard_disease_fts")
        cursor.execute("DROP TABLE IF EXISTS gard_phenotype_fts")
        cursor.execute("DROP FUNCTION IF EXISTS gard_fold(text)")

    @staticmethod
    def after_rebuild(cursor) -> None:
        cursor.execute("ANALYZE gard_disease_fts, gard_phenotype_fts")

    @staticmethod
    def matched_entries(cursor, expressions: dict, ids: list[int]) -> dict[int, tuple[list, list, list]]:
        """For each disease, its other names, genes and symptom names that hold a word of the query."""

        def entries(column):
            return (
                f"ARRAY(SELECT e FROM unnest(string_to_array(f.{column}, '{SEPARATOR}')) WITH ORDINALITY AS t(e, n) "
                "WHERE to_tsvector('simple', gard_fold(e)) @@ to_tsquery('simple', %(any_word)s) ORDER BY n)"
            )

        marks, params = _placeholders("id", ids)
        cursor.execute(
            f"SELECT f.rowid, {entries('other_names')}, {entries('genes')}, {entries('symptoms')} "
            f"FROM gard_disease_fts f WHERE f.rowid IN ({marks})",
            {"any_word": expressions["any_word"], **params},
        )
        return {rowid: (others, genes, symptoms) for rowid, others, genes, symptoms in cursor.fetchall()}


BACKENDS = {backend.vendor: backend for backend in (SQLiteSearch, PostgresSearch)}


def backend(using=None):
    """The search implementation for a connection's database (the default one unless given)."""
    vendor = (using or connection).vendor
    try:
        return BACKENDS[vendor]
    except KeyError:
        raise NotImplementedError(f"Search has no implementation for {vendor}; use SQLite or PostgreSQL.") from None


# Migration 0004 builds the SQLite index with these.
DISEASE_ROW_SQL = disease_row_sql(SQLiteSearch.concat)
PHENOTYPE_ROW_SQL = phenotype_row_sql(SQLiteSearch.concat)


# -- the indexes -----------------------------------------------------------------------


def create_search_tables(cursor):
    backend(cursor.db).create_tables(cursor)


def drop_search_tables(cursor):
    backend(cursor.db).drop_tables(cursor)


def rebuild_search_index(cursor=None):
    """Fill both indexes afresh from the tables (after an import; a migration passes its cursor)."""
    if cursor is None:
        with connection.cursor() as cursor:
            return rebuild_search_index(cursor)
    search_backend = backend(cursor.db)
    cursor.execute("DELETE FROM gard_disease_fts")
    cursor.execute(INSERT_DISEASES.format(rows=disease_row_sql(search_backend.concat)))
    cursor.execute("DELETE FROM gard_phenotype_fts")
    cursor.execute(INSERT_PHENOTYPES.format(rows=phenotype_row_sql(search_backend.concat)))
    search_backend.after_rebuild(cursor)


def _ids(pks) -> list[int]:
    return [int(pk) for pk in pks if pk is not None]


def reindex_diseases(disease_ids):
    """Bring the index rows of a few diseases up to date after an edit."""
    if not (ids := _ids(disease_ids)):
        return
    marks = ", ".join(["%s"] * len(ids))
    rows = disease_row_sql(backend().concat) + f"WHERE d.id IN ({marks})"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM gard_disease_fts WHERE rowid IN ({marks})", ids)
        cursor.execute(INSERT_DISEASES.format(rows=rows), ids)


def reindex_phenotypes(phenotype_ids):
    if not (ids := _ids(phenotype_ids)):
        return
    marks = ", ".join(["%s"] * len(ids))
    rows = phenotype_row_sql(backend().concat) + f"AND p.id IN ({marks})"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM gard_phenotype_fts WHERE rowid IN ({marks})", ids)
        cursor.execute(INSERT_PHENOTYPES.format(rows=rows), ids)


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
    words = query_words(query)
    if not words:
        return 0, []
    search_backend = backend()
    expressions = search_backend.expressions(words)
    marks, excluded = _placeholders("exclude", exclude)
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
    words = query_words(query)
    if not words or parse_hpo_id(query):
        return []
    search_backend = backend()
    sql = SYMPTOMS_SQL.format(
        phenotype_match=search_backend.phenotype_match, phenotype_relevance=search_backend.phenotype_relevance
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {**search_backend.expressions(words), "limit": limit})
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
