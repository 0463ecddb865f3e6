"""The search indexes, on either database, and keeping them current.

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

Each backend class holds what differs between the two databases: how a list of
words becomes a match expression and the relevance function of the symptom
terms. ``backend()`` picks the one for a connection. Which of a result's entries
hold the query's words (``matched_entries``) is read the same way on both.
Migrations 0004 and 0007 create the tables; the imports rebuild them with the
names and vocabulary search ranks and corrects by (``gard.search.names``, through
``rebuild_search``); ``gard.search.signals`` updates the rows of what an editor changed.
"""

import re
from bisect import bisect_right
from itertools import accumulate

from django.db import connection

from gard.models.annotations import symptom_rows_sql
from gard.search.words import tokens
from gard.text import fold_accents

SEPARATOR = " | "
MAX_WORDS = 12
LONGEST_WORD = 2046
# The last word matches as a prefix from this length: "hemophilia b" asks for the word "b", not for every word
# starting with b (tens of thousands of index rows); a name that starts with the typed letters is still found
# through the names (gard/search/names.py).
SHORTEST_PREFIX = 3


class WholeWord(str):
    """A word matched whole even where it stands last: a prefix that would start too many words is searched
    as itself and its commonest completions, each of them whole (``gard.search.spelling.PREFIX_TERMS``)."""


def is_prefix(word: str, last: bool) -> bool:
    """Whether a word of a query matches as a prefix: the last one, from SHORTEST_PREFIX letters, unless whole."""
    return last and len(word) >= SHORTEST_PREFIX and not isinstance(word, WholeWord)


def query_words(query: str) -> list[str]:
    """The folded words of a query, or none if one of them can match nothing.

    fold() leaves only [0-9a-z], so no word can carry query syntax. PostgreSQL indexes no word longer
    than LONGEST_WORD and leaves such a word out of a query, which would then match on the others.
    A possessive "'s" is dropped (``gard.search.words.tokens``): the indexes split "Huntington's" into
    "huntington" and "s", and a name may be written with it or without ("Huntington disease").
    """
    words = tokens(query)[:MAX_WORDS]
    return [] if any(len(word) > LONGEST_WORD for word in words) else words


# -- the SQL both databases share; each backend below fills in the parts that differ ------------


def disease_row_sql(concat, ranked: bool = True) -> str:
    """rowid, name, other names, genes, symptoms (their names and other names) of each disease; with
    ``ranked``, then what search orders by (RANK_COLUMNS), from the disease's own name in gard_searchname:
    whether it reads as a subtype, its number of words, the disease's weight (``gard.search.names``).
    Migrations 0004 and 0007 run before that table exists and leave these to migration 0011.

    concat(column, order) joins a column's values with SEPARATOR in that order; the subqueries give
    their rows in the same order for SQLite, whose group_concat takes no ORDER BY.
    """
    rank = ", CASE WHEN n.subtype THEN 1 ELSE 0 END, coalesce(n.words, 99), coalesce(n.weight, 0)" if ranked else ""
    join = f"LEFT JOIN gard_searchname n ON n.disease_id = d.id AND n.kind = {NAME_KIND}" if ranked else ""
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
     WHERE a.disease_id = d.id AND {symptom_rows_sql("a")}
     UNION
     SELECT s.name FROM gard_annotation a JOIN gard_phenotypesynonym s ON s.phenotype_id = a.phenotype_id
     WHERE a.disease_id = d.id AND {symptom_rows_sql("a")}
     ORDER BY 1) t){rank}
FROM gard_disease d {join}
"""


def phenotype_row_sql(concat) -> str:
    """rowid, name, other names of each current HPO term."""
    return f"""
SELECT p.id, p.name,
  (SELECT {concat("s.name", "s.id")} FROM (
     SELECT s.name, s.id FROM gard_phenotypesynonym s WHERE s.phenotype_id = p.id ORDER BY s.id) s)
FROM gard_phenotype p WHERE NOT p.is_obsolete
"""


NAME_KIND = 0  # SearchName.Kind.NAME: the disease's own name
TEXT_COLUMNS = ["name", "other_names", "genes", "symptoms"]
RANK_COLUMNS = ["subtype", "words", "weight"]  # not searched: what the ranking orders by
DISEASE_COLUMNS = TEXT_COLUMNS + RANK_COLUMNS
PHENOTYPE_COLUMNS = ["name", "other_names"]
INSERT_DISEASES = f"INSERT INTO gard_disease_fts(rowid, {', '.join(DISEASE_COLUMNS)}) {{rows}}"
INSERT_PHENOTYPES = f"INSERT INTO gard_phenotype_fts(rowid, {', '.join(PHENOTYPE_COLUMNS)}) {{rows}}"


def placeholders(name: str, values) -> tuple[str, dict]:
    """Named placeholders for a list of values, and the parameters that fill them."""
    params = {f"{name}{number}": value for number, value in enumerate(values)}
    return ", ".join(f"%({key})s" for key in params), params


def word_groups(words) -> list[list[str]]:
    """A query's words as groups of spellings, any one of which may match (a plain word is a group of one)."""
    return [[word] if isinstance(word, str) else list(word) for word in words]


class SQLiteSearch:
    """FTS5 virtual tables; MATCH expressions of quoted words, the last one a prefix."""

    vendor = "sqlite"
    disease_match = "gard_disease_fts MATCH %(all_words)s"
    name_match = "f.rowid IN (SELECT rowid FROM gard_disease_fts WHERE gard_disease_fts MATCH %(name_only)s)"
    names_match = "f.rowid IN (SELECT rowid FROM gard_disease_fts WHERE gard_disease_fts MATCH %(names_only)s)"
    all_names_match = "gard_disease_fts MATCH %(all_names)s"  # the name, other names or genes hold the words
    name_order = "f.name"
    phenotype_match = "gard_phenotype_fts MATCH %(all_words)s"
    phenotype_relevance = "bm25(gard_phenotype_fts, 10.0, 3.0)"

    @staticmethod
    def concat(column: str, order: str) -> str:
        return f"group_concat({column}, '{SEPARATOR}')"

    @staticmethod
    def expressions(words) -> dict[str, str]:
        """``words``: each a word or a list of its spellings; the last matches as a prefix (``is_prefix``)."""
        groups = word_groups(words)
        terms = [
            [f'"{word}"' + ("*" if is_prefix(word, position == len(groups) - 1) else "") for word in group]
            for position, group in enumerate(groups)
        ]
        every = " AND ".join("(" + " OR ".join(group) + ")" for group in terms)
        return {
            "all_words": every,
            "name_only": f"{{name}} : ({every})",
            "names_only": f"{{other_names genes}} : ({every})",
            "all_names": f"{{name other_names genes}} : ({every})",
        }

    @staticmethod
    def create_tables(cursor) -> None:
        tokenizer = "tokenize = 'unicode61 remove_diacritics 2'"
        columns = ", ".join(TEXT_COLUMNS + [f"{column} UNINDEXED" for column in RANK_COLUMNS])
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
    def tidy(cursor) -> None:
        """Nothing: FTS5 merged its index in ``after_rebuild``, and SQLite reuses the freed pages."""

    @staticmethod
    def refill(cursor, table: str, rows_sql: str, columns: list[str], ids_sql: str) -> None:
        """Every row afresh (FTS5 rows cannot be compared and updated in one statement)."""
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(f"INSERT INTO {table}(rowid, {', '.join(columns)}) {rows_sql}")


class PostgresSearch:
    """Plain tables with a weighted, generated tsvector and GIN indexes; tsqueries of the words."""

    vendor = "postgresql"
    disease_match = "f.document @@ to_tsquery('simple', %(all_words)s)"
    name_match = "f.document @@ to_tsquery('simple', %(name_only)s)"  # lexemes of weight A: the name
    names_match = "f.other_names_document @@ to_tsquery('simple', %(all_words)s)"
    all_names_match = "f.document @@ to_tsquery('simple', %(all_names)s)"  # weights A and B: names and genes
    name_order = 'f.name COLLATE "C"'  # byte order, as SQLite compares
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
  subtype integer NOT NULL DEFAULT 0,
  words integer NOT NULL DEFAULT 99,
  weight integer NOT NULL DEFAULT 0,
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
    def expressions(words) -> dict[str, str]:
        """``words``: each a word or a list of its spellings; the last matches as a prefix. names_match reads
        the other names' own tsvector, so it needs no expression of its own."""
        groups = word_groups(words)

        def terms(weight: str) -> list[list[str]]:
            last = len(groups) - 1

            def mark(word: str, position: int) -> str:
                if is_prefix(word, position == last):
                    return f"{word}:*{weight}"
                return f"{word}:{weight}" if weight else word

            return [[mark(word, position) for word in group] for position, group in enumerate(groups)]

        every = " & ".join("(" + " | ".join(group) + ")" for group in terms(""))
        name = " & ".join("(" + " | ".join(group) + ")" for group in terms("A"))
        names = " & ".join("(" + " | ".join(group) + ")" for group in terms("AB"))
        return {
            "all_words": every,
            "name_only": name,
            "all_names": names,
        }

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
    def refill(cursor, table: str, rows_sql: str, columns: list[str], ids_sql: str) -> None:
        """Only the rows that differ are written, and the rows of what is gone deleted: a rebuild after an
        import that changed a few diseases rewrites a few rows, not all of them (each rewritten row leaves
        an old version behind and grows the GIN index, and the searches after read those pages too)."""
        names = ", ".join(columns)
        old = ", ".join(f"{table}.{column}" for column in columns)
        new = ", ".join(f"EXCLUDED.{column}" for column in columns)
        cursor.execute(
            f"INSERT INTO {table}(rowid, {names}) {rows_sql} "
            f"ON CONFLICT (rowid) DO UPDATE SET ({names}) = ROW({new}) WHERE ({old}) IS DISTINCT FROM ({new})"
        )
        cursor.execute(f"DELETE FROM {table} WHERE rowid NOT IN ({ids_sql})")

    @staticmethod
    def tidy(cursor) -> None:
        """Reclaim the rows a rebuild replaced: every rebuild deletes and rewrites all of them, and with the
        old versions left for autovacuum the next searches read twice the pages (a search of "scoliosis" took
        45 ms instead of 20). VACUUM cannot run inside a transaction, so the import commands call this after
        theirs commits (``tidy_search_tables``)."""
        cursor.execute("VACUUM (ANALYZE) gard_disease_fts, gard_phenotype_fts, gard_searchname, gard_searchword")


WORD = re.compile(r"[0-9a-z]+")


def index_words(text: str) -> list[str]:
    """The words the full-text indexes make of a text: accents and case dropped, anything else a break."""
    return WORD.findall(fold_accents(text))


def matched_entries(ids: list[int], groups: list[list[str]]) -> dict[int, tuple[list, list, list]]:
    """For each disease, its other names, genes and symptom names that hold a word of the query (any spelling
    of any word; the last as a prefix, ``is_prefix``), in the index's order. One query; the matching is
    Python's, the same whatever the database: one regular expression, which in ASCII text reads words as
    ``index_words`` does (a word is a run of [0-9a-z] in the lowered text), run once over a column in ASCII
    (a disease has hundreds of symptom names, and a common word of the query is in many of them), over each
    entry otherwise, and words folded from an entry that is not ASCII."""
    last = len(groups) - 1
    whole = {word for position, group in enumerate(groups) for word in group if not is_prefix(word, position == last)}
    prefixes = {word for word in (groups[-1] if groups else []) if is_prefix(word, True)}
    alternatives = []
    if whole:
        alternatives.append(f"(?:{'|'.join(sorted(map(re.escape, whole)))})(?![0-9a-z])")
    if prefixes:
        alternatives.append(f"(?:{'|'.join(sorted(map(re.escape, prefixes)))})")
    if not alternatives:
        return {}
    pattern = re.compile(f"(?<![0-9a-z])(?:{'|'.join(alternatives)})")
    starts = tuple(prefixes)

    def holds(entry: str) -> bool:
        if entry.isascii():
            return pattern.search(entry.lower()) is not None
        return any(word in whole or word.startswith(starts) for word in index_words(entry))

    def holding(column: str | None) -> list[str]:
        entries = (column or "").split(SEPARATOR)
        if not column or not column.isascii():
            return [entry for entry in entries if entry and holds(entry)]
        # The separator holds no word character, so a match lies inside one entry: the one starting before it.
        offsets = list(accumulate((len(entry) + len(SEPARATOR) for entry in entries[:-1]), initial=0))
        found = dict.fromkeys(bisect_right(offsets, match.start()) - 1 for match in pattern.finditer(column.lower()))
        return [entries[number] for number in sorted(found)]

    marks, params = placeholders("id", ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, other_names, genes, symptoms FROM gard_disease_fts WHERE rowid IN ({marks})", params
        )
        rows = cursor.fetchall()
    return {rowid: tuple(holding(column) for column in columns) for rowid, *columns in rows}


BACKENDS = {backend.vendor: backend for backend in (SQLiteSearch, PostgresSearch)}


def backend(using=None):
    """The search implementation for a connection's database (the default one unless given)."""
    vendor = (using or connection).vendor
    try:
        return BACKENDS[vendor]
    except KeyError:
        raise NotImplementedError(f"Search has no implementation for {vendor}; use SQLite or PostgreSQL.") from None


# Migration 0004 builds the SQLite index with these (before the names exist: no rank).
DISEASE_ROW_SQL = disease_row_sql(SQLiteSearch.concat, ranked=False)
PHENOTYPE_ROW_SQL = phenotype_row_sql(SQLiteSearch.concat)


# -- the indexes -----------------------------------------------------------------------


def create_search_tables(cursor):
    backend(cursor.db).create_tables(cursor)


def drop_search_tables(cursor):
    backend(cursor.db).drop_tables(cursor)


def rebuild_search_index(cursor=None, ranked: bool = True):
    """Bring both indexes in step with the tables (after an import, after ``rebuild_search_names``; a
    migration passes its cursor, and ``ranked=False`` before the names exist)."""
    if cursor is None:
        with connection.cursor() as cursor:
            return rebuild_search_index(cursor, ranked)
    search_backend = backend(cursor.db)
    search_backend.refill(
        cursor,
        "gard_disease_fts",
        disease_row_sql(search_backend.concat, ranked),
        DISEASE_COLUMNS if ranked else TEXT_COLUMNS,
        "SELECT id FROM gard_disease",
    )
    search_backend.refill(
        cursor,
        "gard_phenotype_fts",
        phenotype_row_sql(search_backend.concat),
        PHENOTYPE_COLUMNS,
        "SELECT id FROM gard_phenotype WHERE NOT is_obsolete",
    )
    search_backend.after_rebuild(cursor)


def tidy_search_tables() -> None:
    """After a rebuild has committed (an import, a restore): let the database reclaim the replaced rows.
    Inside a transaction (a caller's atomic block, a test) there is nothing committed to tidy yet: it waits."""
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        backend(cursor.db).tidy(cursor)


def _ids(pks) -> list[int]:
    return [int(pk) for pk in pks if pk is not None]


def _reindex(pks, table: str, insert: str, row_sql, only: str) -> None:
    """Replace the index rows of a few records: ``row_sql(concat)`` selects them all, ``only`` narrows it."""
    if not (ids := _ids(pks)):
        return
    marks = ", ".join(["%s"] * len(ids))
    rows = row_sql(backend().concat) + only.format(marks=marks)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", ids)
        cursor.execute(insert.format(rows=rows), ids)


def rebuild_search():
    """Everything search reads, afresh: the names and the vocabulary, then both full-text indexes, which
    carry each disease's rank from its name (after an import)."""
    from gard.search.names import rebuild_search_names

    rebuild_search_names()
    rebuild_search_index()


def reindex_diseases(disease_ids):
    """Bring the index rows and names of a few diseases up to date after an edit."""
    from gard.search.names import reindex_search_names

    ids = _ids(disease_ids)
    reindex_search_names(ids)  # first: the index rows carry each disease's rank from its name
    _reindex(ids, "gard_disease_fts", INSERT_DISEASES, disease_row_sql, "WHERE d.id IN ({marks})")


def reindex_phenotypes(phenotype_ids):
    """Bring the index rows of a few HPO terms (and the vocabulary) up to date after an edit."""
    from gard.search.names import reindex_search_words

    ids = _ids(phenotype_ids)
    _reindex(ids, "gard_phenotype_fts", INSERT_PHENOTYPES, phenotype_row_sql, "AND p.id IN ({marks})")
    reindex_search_words(ids)
