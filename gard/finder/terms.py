"""The symptom finder's terms: what the ``term`` parameters of its address name, and what to tell the reader.

A query is its address (``/finder/?term=HP:0001250&term=HP:0001263``), so a shared or old link may hold
anything: a term written in lower case or without its leading zeros, an older (alt) ID, an obsolete term,
an ID that no term has, text that is no ID at all, the same term twice, or hundreds of terms. Each value
is resolved or reported, never an error:

- Every spelling ``gard.models.parse_hpo_id`` reads names its term (``hp:0001250``, ``HP_0001250``,
  ``0001250``, ``HP:1250``); anything else is malformed.
- An older ID of a term leads to the current term, with a notice.
- An obsolete term is left out, with a notice naming its replacement when HPO gives one.
- Unknown IDs and malformed values are left out, with a notice.
- A term named twice (by two spellings or by its ID and an older one) counts once.
- Only the first ``MAX_TERMS`` distinct terms are used.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from gard.models import Phenotype, parse_hpo_id

MAX_TERMS = 50
MAX_VALUES = 200  # values read from one address; the rest are counted, not looked up


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


def finder_url(hpo_ids, absent_ids=(), **params) -> str:
    """The finder's address for these present and absent terms (and any other parameters)."""
    return reverse("finder") + terms_query(hpo_ids, absent_ids, **params)


def terms_query(hpo_ids, absent_ids=(), **params) -> str:
    """``?term=…&not=…`` (and any other parameters) for an address, "" when there are none."""
    pairs = [("term", hpo_id) for hpo_id in hpo_ids] + [("not", hpo_id) for hpo_id in absent_ids]
    pairs += [(name, value) for name, value in params.items() if value not in (None, "")]
    return f"?{urlencode(pairs)}" if pairs else ""


def resolve_query(present: list[str], absent: list[str]) -> tuple[Resolution, Resolution]:
    """The present and the absent terms of an address; a term named both ways counts as present, and the
    two lists share the ``MAX_TERMS`` limit."""
    has = resolve_terms(present)
    lacks = resolve_terms(absent, limit=MAX_TERMS - len(has.terms), skip={term.pk for term in has.terms})
    return has, lacks


def resolve_terms(values: list[str], limit: int = MAX_TERMS, skip=frozenset()) -> Resolution:
    """The current terms the values name, and a notice for each value that is not simply one of them
    (terms whose pk is in ``skip`` are left out silently)."""
    resolution = Resolution()
    values = [value for value in values if value.strip()]
    read, unread = values[:MAX_VALUES], values[MAX_VALUES:]
    named = []  # (value, normalised ID) in order
    for value in read:
        hpo_id = parse_hpo_id(value)
        if hpo_id is None:
            resolution.notices.append(Notice("malformed", value))
        else:
            named.append((value, hpo_id))
    found = Phenotype.objects.by_ids(hpo_id for _, hpo_id in named)

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
        elif term.pk in skip:
            continue
        elif term.pk not in chosen:
            if len(chosen) >= limit:
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
    wanted = [parse_hpo_id(notice.term.replaced_by or "") for notice in notices]
    replacements = Phenotype.objects.by_ids(hpo_id for hpo_id in wanted if hpo_id)
    for notice, hpo_id in zip(notices, wanted, strict=True):
        replacement, _ = replacements.get(hpo_id, (None, False))
        if replacement is not None and not replacement.is_obsolete:
            notice.replacement = replacement
            if replacement.hpo_id not in chosen_ids and len(chosen_ids) < MAX_TERMS:
                notice.add_url = finder_url([*chosen_ids, replacement.hpo_id])


def term_for_id(value: str, hpo_id: str, chosen_ids: list[str]) -> tuple[Phenotype | None, Notice | None]:
    """The current term an ID (or an older ID) names; else None and a notice saying why it cannot be added."""
    term, _ = Phenotype.objects.by_ids([hpo_id]).get(hpo_id, (None, False))
    if term is None:
        return None, Notice("unknown", value, hpo_id=hpo_id)
    if term.is_obsolete:
        notice = Notice("obsolete", value, term=term, hpo_id=hpo_id)
        _offer_replacements([notice], chosen_ids)
        return None, notice
    return term, None
