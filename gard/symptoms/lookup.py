"""Finding HPO terms from what someone typed: a name, another name (plain-language ones too) or an ID.

One implementation for the whole site: search lists the terms its query matches
(``search_terms``), and the symptom finder offers terms to add (``find_candidates``,
``exact_name``), both through the full-text index of terms (``gard.search.index``)
and the names' folded forms. A term by its ID is ``Phenotype.objects.by_ids`` /
``find``, which read every spelling ``parse_hpo_id`` does.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Length

from gard.models import Phenotype, PhenotypeSynonym, parse_hpo_id
from gard.search.index import backend, query_words
from gard.text import fold

SYMPTOMS_SQL = """
SELECT f.rowid FROM gard_phenotype_fts f WHERE {phenotype_match}
ORDER BY {phenotype_relevance}, f.rowid LIMIT %(limit)s
"""


def search_terms(query, limit: int = 8, correct: bool = True) -> list[Phenotype]:
    """Current HPO terms whose name or other names hold the query's words (the last as a prefix; each in
    any of its spellings, a misspelling corrected), most relevant first; none for an HPO ID, which names
    its term instead. ``query`` is the text, or the ``Interpretation`` disease search made of it."""
    from gard.search.spelling import Interpretation, interpret

    if isinstance(query, Interpretation):  # as disease search read it
        interpretation = query
    elif parse_hpo_id(query):
        return []
    else:
        interpretation = interpret(query, correct=correct)
    words = interpretation.groups()  # spellings, plurals and misspellings as disease search reads them
    if not words:
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


ID_PREFIX = re.compile(r"\s*hp\s*[:_]?\s*(\d{0,7})\s*|\s*(\d{4,7})\s*", re.IGNORECASE)


@dataclass
class Candidate:
    """A term offered to add, and the name the text matched when it is not the term's own name."""

    term: Phenotype
    matched: str = ""  # the other name that matched, if any
    layperson: bool = False  # whether that other name is a plain-language one
    by_id: str = ""  # the ID the text named, when it named one (the term's own or an older one)


def _name_matches(words: list[str], name: str) -> bool:
    """Whether a name holds the words as the full-text index matches them: the last one as a prefix."""
    tokens = fold(name).split()
    *whole, last = words
    return all(word in tokens for word in whole) and any(token.startswith(last) for token in tokens)


def explain(terms: list[Phenotype], text: str) -> list[Candidate]:
    """The terms as candidates, each with the other name the text matched when its own name does not.

    One query: the other names of all the terms.
    """
    words = query_words(text)
    synonyms = {}
    if words and terms:
        rows = PhenotypeSynonym.objects.filter(phenotype__in=[term.pk for term in terms]).only(
            "phenotype_id", "name", "layperson"
        )
        # The other name that is the text itself first, then plain-language ones, then the shortest.
        folded = " ".join(words)
        for synonym in sorted(rows, key=lambda row: (fold(row.name) != folded, not row.layperson, len(row.name))):
            synonyms.setdefault(synonym.phenotype_id, []).append(synonym)
    candidates = []
    for term in terms:
        candidate = Candidate(term)
        if words and not _name_matches(words, term.name):
            for synonym in synonyms.get(term.pk, []):
                if _name_matches(words, synonym.name):
                    candidate.matched, candidate.layperson = synonym.name, synonym.layperson
                    break
        candidates.append(candidate)
    return candidates


def by_id(text: str, limit: int) -> list[Candidate]:
    """Current terms an ID names or begins (``HP:00012`` while typing), the exact one first."""
    candidates = []
    hpo_id = parse_hpo_id(text)
    if hpo_id:
        term, _ = Phenotype.objects.by_ids([hpo_id]).get(hpo_id, (None, False))
        if term is not None and not term.is_obsolete:
            candidates.append(Candidate(term, by_id=hpo_id))
    match = ID_PREFIX.fullmatch(text)
    digits = (match.group(1) or match.group(2) or "") if match else ""
    if digits and len(digits) < 7:
        seen = {candidate.term.pk for candidate in candidates}
        prefixed = (
            Phenotype.objects.filter(hpo_id__startswith=f"HP:{digits}", is_obsolete=False)
            .exclude(pk__in=seen)
            .order_by("hpo_id")[: max(0, limit - len(candidates))]
        )
        candidates += [Candidate(term, by_id=term.hpo_id) for term in prefixed]
    return candidates[:limit]


def looks_like_id(text: str) -> bool:
    return bool(ID_PREFIX.fullmatch(text)) and bool(re.search(r"\d", text))


def by_name(text: str, limit: int) -> list[Phenotype]:
    """Terms whose name or an other name begins with the text, best first: the name itself, then an other
    name itself, then the shortest names beginning so, then other names. The full-text index ranks by
    relevance, which puts "Short stature" behind dozens of longer names that hold the same words.
    """
    folded = fold(text)
    if not folded:
        return []
    shortest = (Length("search_name"), "search_name", "pk")
    begins = Q(search_name__startswith=folded)
    if connection.vendor == "sqlite":
        # SQLite's LIKE ignores case, so it cannot use the index on search_name; a range of the folded
        # text (only [0-9a-z ], all below "{") can, in SQLite's byte order. PostgreSQL's collations do
        # not order by bytes, and its LIKE scans the few thousand rows quickly enough.
        begins &= Q(search_name__gte=folded, search_name__lt=folded + "{")
    names = Phenotype.objects.filter(begins, is_obsolete=False).order_by(*shortest)
    others = (
        PhenotypeSynonym.objects.filter(begins, phenotype__is_obsolete=False)
        .select_related("phenotype")
        .order_by(*shortest)
    )
    ranked = [(0 if term.search_name == folded else 2, len(term.search_name), term) for term in names[:limit]]
    ranked += [
        (1 if other.search_name == folded else 3, len(other.search_name), other.phenotype) for other in others[:limit]
    ]
    ranked.sort(key=lambda row: row[:2])  # stable: ties keep each query's order
    best = {}
    for *_, term in ranked:
        best.setdefault(term.pk, term)  # a term once, where it ranks best
    return list(best.values())[:limit]


def find_candidates(text: str, limit: int = 20, exclude=()) -> list[Candidate]:
    """Current terms matching the text: by ID when it is one, else by name and other names, best first."""
    exclude = set(exclude)
    wanted = limit + len(exclude)
    if looks_like_id(text):
        found = by_id(text, wanted)
    else:
        terms = by_name(text, wanted)
        seen = {term.pk for term in terms}
        terms += [term for term in search_terms(text, limit=wanted) if term.pk not in seen]
        found = explain(terms, text)
    return [candidate for candidate in found if candidate.term.hpo_id not in exclude][:limit]


def exact_name(text: str) -> Phenotype | None:
    """The one current term whose name or an other name is the text (case, accents, punctuation aside)."""
    folded = fold(text)
    if not folded:
        return None
    named = list(
        Phenotype.objects.filter(
            Q(search_name=folded) | Q(pk__in=PhenotypeSynonym.objects.filter(search_name=folded).values("phenotype")),
            is_obsolete=False,
        ).order_by("pk")[:10]
    )
    # A term's own name before other names: HPO gives each name to one term, but an other name may be shared.
    by_name = [term for term in named if term.search_name == folded]
    if len(by_name) == 1:
        return by_name[0]
    return named[0] if len(named) == 1 else None
