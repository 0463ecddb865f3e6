"""The symptom finder's terms: what the ``term`` parameters of its address name, and what to tell the reader.

A query is its address (``/finder/?term=HP:0001250&term=HP:0001263``), so a shared or old link may hold
anything: a term written in lower case or without its leading zeros, an older (alt) ID, an obsolete term,
an ID that no term has, text that is no ID at all, the same term twice, or hundreds of terms. Each value
is resolved or reported, never an error:

- ``HP:0001250``, ``hp:0001250``, ``HP_0001250``, ``0001250`` (seven digits) and ``HP:1250`` (an ``HP``
  prefix and the number without its leading zeros, padded: HPO IDs are always seven digits, so the prefix
  makes it unambiguous) name HP:0001250. Bare digits other than seven, and fewer than seven digits that
  start with a zero (``HP:00012``, an ID cut short), are not read as an ID.
- An older ID of a term leads to the current term, with a notice.
- An obsolete term is left out, with a notice naming its replacement when HPO gives one.
- Unknown IDs and malformed values are left out, with a notice.
- A term named twice (by two spellings or by its ID and an older one) counts once.
- Only the first ``MAX_TERMS`` distinct terms are used.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Length
from django.urls import reverse

from gard.models import Phenotype, PhenotypeAltId, PhenotypeSynonym
from gard.search import query_words, search_symptoms
from gard.text import fold

MAX_TERMS = 50
MAX_VALUES = 200  # values read from one address; the rest are counted, not looked up
HPO_VALUE = re.compile(r"\s*(?:hp\s*[:_]?\s*(\d{1,7})|(\d{7}))\s*", re.IGNORECASE)


def normalise_hpo_id(value: str) -> str | None:
    """The HPO ID a value names, as HP:0001234; None when it is not written as one."""
    match = HPO_VALUE.fullmatch(value)
    if not match:
        return None
    digits = match.group(1) or match.group(2)
    if len(digits) < 7 and digits.startswith("0"):
        return None  # leading zeros but not seven digits: a cut-off ID ("HP:00012"), not a number to pad
    if int(digits) == 0:
        return None  # HP:0000000 is no term
    return f"HP:{int(digits):07}"


@dataclass
class Notice:
    """Something about one value of the address: ``kind`` is alt_id, obsolete, unknown or malformed."""

    kind: str
    value: str  # as the address wrote it
    term: Phenotype | None = None  # alt_id: the current term; obsolete: the obsolete term
    replacement: Phenotype | None = None  # obsolete: the current term HPO names instead, if any
    hpo_id: str = ""  # the ID the value names, normalised
    add_url: str = ""  # obsolete with a replacement: the finder with the replacement added


@dataclass
class Resolution:
    terms: list[Phenotype] = field(default_factory=list)  # current, distinct, in the order first named
    notices: list[Notice] = field(default_factory=list)
    over_limit: int = 0  # distinct terms (or values never looked up) left out past the limits

    @property
    def hpo_ids(self) -> list[str]:
        return [term.hpo_id for term in self.terms]


def finder_url(hpo_ids, **params) -> str:
    """The finder's address for these terms (and any other parameters)."""
    pairs = [("term", hpo_id) for hpo_id in hpo_ids]
    pairs += [(name, value) for name, value in params.items() if value not in (None, "")]
    return reverse("finder") + (f"?{urlencode(pairs)}" if pairs else "")


def lookup(hpo_ids: list[str]) -> dict[str, tuple[Phenotype, bool]]:
    """Each ID that names a term: the term, and whether the ID is an older one of it.

    Two queries at most: the terms with these IDs, then, for IDs that are no term's own, their older IDs.
    """
    if not hpo_ids:
        return {}
    found = {term.hpo_id: (term, False) for term in Phenotype.objects.filter(hpo_id__in=hpo_ids)}
    missing = [hpo_id for hpo_id in hpo_ids if hpo_id not in found]
    if missing:
        for alt in PhenotypeAltId.objects.filter(alt_id__in=missing).select_related("phenotype"):
            found[alt.alt_id] = (alt.phenotype, True)
    return found


def resolve_terms(values: list[str]) -> Resolution:
    """The current terms the values name, and a notice for each value that is not simply one of them."""
    resolution = Resolution()
    values = [value for value in values if value.strip()]
    read, unread = values[:MAX_VALUES], values[MAX_VALUES:]
    named = []  # (value, normalised ID) in order
    for value in read:
        hpo_id = normalise_hpo_id(value)
        if hpo_id is None:
            resolution.notices.append(Notice("malformed", value))
        else:
            named.append((value, hpo_id))
    found = lookup(list(dict.fromkeys(hpo_id for _, hpo_id in named)))

    obsolete = []
    chosen = {}
    for value, hpo_id in named:
        term, via_alt_id = found.get(hpo_id, (None, False))
        if term is None:
            resolution.notices.append(Notice("unknown", value, hpo_id=hpo_id))
        elif term.is_obsolete:
            notice = Notice("obsolete", value, term=term, hpo_id=hpo_id)
            if not any(seen.term.pk == term.pk for seen in obsolete):
                obsolete.append(notice)
                resolution.notices.append(notice)
        elif term.pk not in chosen:
            if len(chosen) >= MAX_TERMS:
                resolution.over_limit += 1
                continue
            chosen[term.pk] = term
            if via_alt_id:
                resolution.notices.append(Notice("alt_id", value, term=term, hpo_id=hpo_id))
    resolution.terms = list(chosen.values())
    resolution.over_limit += len(unread)

    _offer_replacements(obsolete, resolution.hpo_ids)
    return resolution


def _offer_replacements(notices: list[Notice], chosen_ids: list[str]) -> None:
    """Each obsolete term's replacement, when HPO names a current one, and a link that adds it if it is
    not chosen yet (one query, only when there are obsolete terms)."""
    wanted = [normalise_hpo_id(notice.term.replaced_by or "") for notice in notices]
    replacements = lookup([hpo_id for hpo_id in wanted if hpo_id])
    for notice, hpo_id in zip(notices, wanted, strict=True):
        replacement, _ = replacements.get(hpo_id, (None, False))
        if replacement is not None and not replacement.is_obsolete:
            notice.replacement = replacement
            if replacement.hpo_id not in chosen_ids and len(chosen_ids) < MAX_TERMS:
                notice.add_url = finder_url([*chosen_ids, replacement.hpo_id])


def term_for_id(value: str, hpo_id: str, chosen_ids: list[str]) -> tuple[Phenotype | None, Notice | None]:
    """The current term an ID (or an older ID) names; else None and a notice saying why it cannot be added."""
    term, _ = lookup([hpo_id]).get(hpo_id, (None, False))
    if term is None:
        return None, Notice("unknown", value, hpo_id=hpo_id)
    if term.is_obsolete:
        notice = Notice("obsolete", value, term=term, hpo_id=hpo_id)
        _offer_replacements([notice], chosen_ids)
        return None, notice
    return term, None


# -- finding a term to add, by name, other name or ID ----------------------------------------------

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
    hpo_id = normalise_hpo_id(text)
    if hpo_id:
        term, via_alt_id = lookup([hpo_id]).get(hpo_id, (None, False))
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
        terms += [term for term in search_symptoms(text, limit=wanted) if term.pk not in seen]
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
