"""The symptom finder's in-memory index of the catalogue, as numpy arrays.

Built from the terms' stored ancestors and information content and every
symptom row (aspect P) in three queries, once per process, and again
whenever the content generation has moved (``gard.cache.PerGeneration``):
editors' changes and imports raise it. The first request builds it; after that a
rebuild runs in a thread of the process while the previous index keeps answering
(about a second on the full catalogue), and replaces it when done, so no request
waits for it and an edit reaches the finder that long after it is saved. Pages
answered from the previous index are not cached.

For each term, three sparse rows over the diseases (compressed: a pointer
array, then the diseases and a frequency code per entry):

- ``direct``: diseases annotated with the term itself, with the best frequency
  of their rows for it;
- ``closure``: diseases annotated with the term or a more specific one (HPO's
  true-path rule), with the best frequency of those rows and which disease term
  gave it (ties: the least specific, the closest to the row's term);
- ``excluded``: diseases annotated as NOT having the term, or as having it in no one
  studied (HP:0040285, "0%", "0/n"): both are evidence against the disease. A disease
  that also has a row stating the term present keeps the positive row only.

Of several rows of one disease for one term, the likeliest counts (its frequency
group's code is what the ranking weighs): each row's probability is the stated fraction
with Laplace's rule of succession ((n + 1) / (m + 2), so that 1 of 1 person, 0.67, yields
to 9 of 10, 0.83, though both are in frequent-or-more groups), the stated percentage, or
the middle of its frequency group; a row stating none counts as a half.

Per disease, the index also keeps its group of numbered types ("Bardet-Biedl
syndrome 10").
"""

import json
import re
from dataclasses import dataclass

import numpy as np
from django.db import connection

from gard.cache import PerGeneration
from gard.finder.statistics import closure_pairs, distinct
from gard.frequency import FRACTION, FREQUENCY_ORDER, PERCENTAGE, Frequency
from gard.models import HPO_ID, Annotation, Aspect, Disease, Phenotype, is_hpo_id

# Frequency groups in a fixed order; an annotation's code indexes these and Parameters.weights().
FREQUENCIES = FREQUENCY_ORDER


@dataclass
class SparseRows:
    """Row i holds ``diseases[pointers[i]:pointers[i + 1]]`` with their ``codes``, and maybe ``sources``."""

    pointers: np.ndarray
    diseases: np.ndarray
    codes: np.ndarray
    sources: np.ndarray | None = None

    def row(self, index: int) -> slice:
        return slice(int(self.pointers[index]), int(self.pointers[index + 1]))


def _sparse(n_rows: int, rows: np.ndarray, diseases, codes, sources=None) -> SparseRows:
    """Entries sorted by row (stable: the order within a row is kept), with a pointer array."""
    order = np.argsort(rows, kind="stable")
    pointers = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=pointers[1:])
    return SparseRows(
        pointers,
        diseases[order].astype(np.int32),
        codes[order].astype(np.int8),
        None if sources is None else sources[order].astype(np.int32),
    )


def _best_per_pair(keys: np.ndarray, preference: np.ndarray, preference_range: int) -> np.ndarray:
    """Positions of the preferred entry (smallest ``preference``) of each distinct key, in key order."""
    order = np.argsort(keys * preference_range + preference)  # one sort of plain integers: fast
    sorted_keys = keys[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = sorted_keys[1:] != sorted_keys[:-1]
    return order[first]


class Index:
    """The catalogue as the ranking reads it; build with ``Index.build()``."""

    def __init__(
        self,
        *,
        term_pks,
        hpo_ids,
        above,
        information_content,
        disease_pks,
        name_order,
        rows,
        generation,
        display_names,
    ):
        self.generation = generation
        self.term_pks = np.asarray(term_pks, dtype=np.int64)
        self.term_position = {int(pk): index for index, pk in enumerate(term_pks)}
        self.hpo_ids = hpo_ids
        self.hpo_position = {hpo_id: index for index, hpo_id in enumerate(hpo_ids)}
        # Term i and then its ancestors: above[above_pointers[i]:above_pointers[i + 1]].
        self.above_pointers, self.above = above
        self.ic = np.asarray(information_content, dtype=np.float64)
        self.disease_pks = np.asarray(disease_pks, dtype=np.int64)
        self.disease_position = {int(pk): index for index, pk in enumerate(self.disease_pks)}
        self.name_order = name_order  # per disease index, its place in name order (ties in score)
        self._build_rows(*rows)
        # Numbered types of one disease ("Bardet-Biedl syndrome 10") share a group; -1 for none.
        self.group_names, self.groups = subtype_groups(display_names)

    def ancestors(self, term: int) -> np.ndarray:
        return self.above[self.above_pointers[term] + 1 : self.above_pointers[term + 1]]

    def _build_rows(self, diseases, terms, codes, negated, probabilities):
        n_terms, n_diseases = len(self.term_pks), len(self.disease_pks)
        against = negated | (codes == EXCLUDED_CODE)
        positive = ~against
        d, t, c = diseases[positive], terms[positive], codes[positive]
        # direct: per (term, disease) the likeliest of its rows.
        preference = np.round((1 - probabilities[positive]) * PROBABILITY_STEPS).astype(np.int64)
        keep = _best_per_pair(t.astype(np.int64) * n_diseases + d, preference, PROBABILITY_STEPS + 1)
        d, t, c, preference = d[keep], t[keep], c[keep], preference[keep]
        self.direct = _sparse(n_terms, t, d, c)
        self.term_counts = np.bincount(d, minlength=n_diseases)  # each disease's number of symptoms
        # closure: each symptom counted for its term and every ancestor; per (term, disease) the likeliest
        # row, and among equally likely ones the least specific term (the closest match).
        rows, closure = closure_pairs(t, self.above_pointers, self.above)
        specificity = np.argsort(np.argsort(self.ic, kind="stable"), kind="stable")  # 0 the least informative
        order = preference[rows] * n_terms + specificity[t][rows]
        keep = _best_per_pair(closure.astype(np.int64) * n_diseases + d[rows], order, (PROBABILITY_STEPS + 1) * n_terms)
        kept = rows[keep]
        self.closure = _sparse(n_terms, closure[keep], d[kept], c[kept], t[kept])
        # Against: NOT rows and rows stating 0%, except where a row of the same term says present.
        pairs = terms.astype(np.int64) * n_diseases + diseases
        present = np.isin(pairs[against], pairs[positive])
        x_terms, x_diseases, x_codes = terms[against][~present], diseases[against][~present], codes[against][~present]
        self.excluded = _sparse(n_terms, x_terms, x_diseases, x_codes)

    def term_position_of(self, hpo_id: str) -> int | None:
        return self.hpo_position.get(hpo_id)

    @property
    def disease_total(self) -> int:
        return len(self.disease_pks)

    @classmethod
    def build(cls, generation: int) -> "Index":
        """Three queries: the terms, the symptom rows, the diseases' names."""
        quote = connection.ops.quote_name
        term_table, term_pk = quote(Phenotype._meta.db_table), quote(Phenotype._meta.pk.column)
        disease_table, disease_pk = quote(Disease._meta.db_table), quote(Disease._meta.pk.column)
        # Plain SQL: a quarter of a million rows as tuples, with the frequency group as its code.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {term_pk}, hpo_id, ancestors, information_content FROM {term_table} ORDER BY {term_pk}"
            )
            terms = cursor.fetchall()
            cursor.execute(
                f"SELECT disease_id, phenotype_id, {FREQUENCY_CASE}, negated, frequency_raw "
                f"FROM {quote(Annotation._meta.db_table)} WHERE aspect = %s",
                [Aspect.PHENOTYPE.value],
            )
            annotations = cursor.fetchall()
            cursor.execute(f"SELECT {disease_pk}, search_name, name FROM {disease_table}")
            disease_rows = cursor.fetchall()
        names = {pk: search_name for pk, search_name, _ in disease_rows}
        display = {pk: name for pk, _, name in disease_rows}
        term_pks = np.array([row[0] for row in terms], dtype=np.int64)
        hpo_ids = [row[1] for row in terms]
        above = _above(hpo_ids, [row[2] for row in terms])

        columns = [np.array([row[i] for row in annotations], dtype=np.int64) for i in range(4)]
        disease_ids, term_ids, codes, negated = columns
        negated = negated.astype(bool)
        stated = {}
        probabilities = np.array(
            [
                stated[raw] if raw in stated else stated.setdefault(raw, stated_probability(raw, code))
                for (*_, raw), code in zip(annotations, codes.tolist(), strict=True)
            ],
            dtype=np.float64,
        )
        disease_pks = distinct(disease_ids)
        total = len(distinct(disease_ids[~negated]))
        top = float(np.log(total)) if total else 0.0
        information_content = [top if row[3] is None else row[3] for row in terms]
        by_name = sorted(range(len(disease_pks)), key=lambda i: (names.get(int(disease_pks[i]), ""), i))
        name_order = np.empty(len(disease_pks), dtype=np.int64)
        name_order[by_name] = np.arange(len(disease_pks))
        rows = (
            np.searchsorted(disease_pks, disease_ids).astype(np.int32),
            np.searchsorted(term_pks, term_ids).astype(np.int32),  # term pks are sorted: ORDER BY id
            codes.astype(np.int8),
            negated,
            probabilities,
        )
        return cls(
            term_pks=term_pks,
            hpo_ids=hpo_ids,
            above=above,
            information_content=information_content,
            disease_pks=disease_pks,
            name_order=name_order,
            rows=rows,
            generation=generation,
            display_names=[display.get(int(pk), "") for pk in disease_pks],
        )


def _above(hpo_ids: list[str], stored: list) -> tuple[np.ndarray, np.ndarray]:
    """The closure table (each term, then its ancestors) from the stored ancestor lists, parsed in one go."""
    texts = [value if isinstance(value, str) else json.dumps(value) for value in stored]
    counts = np.array([text.count("HP:") for text in texts], dtype=np.int64)
    found = np.array([hpo_id[3:] for hpo_id in HPO_ID.findall("".join(texts))], dtype=np.int64)
    numbers = np.array([int(h[3:]) if is_hpo_id(h) else -1 for h in hpo_ids], dtype=np.int64)
    by_number = np.argsort(numbers)
    places = np.searchsorted(numbers[by_number], found).clip(0, max(len(numbers) - 1, 0))
    ancestors = by_number[places] if len(numbers) else places
    known = numbers[ancestors] == found if len(numbers) else np.zeros(0, dtype=bool)
    owner = np.repeat(np.arange(len(hpo_ids)), counts)
    owner, ancestors = owner[known], ancestors[known]
    lengths = np.bincount(owner, minlength=len(hpo_ids)) + 1
    pointers = np.zeros(len(hpo_ids) + 1, dtype=np.int64)
    np.cumsum(lengths, out=pointers[1:])
    above = np.empty(int(pointers[-1]), dtype=np.int32)
    above[pointers[:-1]] = np.arange(len(hpo_ids))
    # each term's ancestors follow it, in the order stored
    slots = np.ones(len(above), dtype=bool)
    slots[pointers[:-1]] = False
    above[slots] = ancestors
    return pointers, above


FREQUENCY_CASE = (
    "CASE frequency "
    + " ".join(f"WHEN '{frequency.value}' THEN {code}" for code, frequency in enumerate(FREQUENCIES))
    + f" ELSE {FREQUENCIES.index(Frequency.UNKNOWN)} END"
)
SUBTYPE_NAME = re.compile(
    r"^(?P<stem>\S.{2,}?)[,\s]+(?:(?:type|group|class)\s+(?:\d+[a-z]?|[ivx]+[a-z]?)|\d+[a-z]?(?:/\d+[a-z]?)?)"
    r"(?:$|,|\s+and\s|\s+with\s|\s+due\s)",
    re.IGNORECASE,
)


def subtype_groups(names: list[str]) -> tuple[list[str], np.ndarray]:
    """Each name's group, by the name before its type number, where two or more names share it.

    "Bardet-Biedl syndrome 10", "Spinocerebellar ataxia type 27A", "Deafness, autosomal recessive 4,
    with enlarged vestibular aqueduct" and "Ehlers-Danlos syndrome, type I" read as numbered types;
    "Complement component 2 deficiency" does not; "Loeys-Dietz syndrome" joins the group of "Loeys-Dietz
    syndrome 4". Returns the groups' names and a group per name.
    """
    stems = {}
    keys = []
    for name in names:
        match = SUBTYPE_NAME.match(name or "")
        key = match.group("stem").rstrip(" ,").casefold() if match else None
        keys.append(key)
        if key is not None:
            stems.setdefault(key, []).append(match.group("stem").rstrip(" ,"))
    shared = sorted(key for key, found in stems.items() if len(found) >= 2)
    number = {key: position for position, key in enumerate(shared)}
    # Each group is named as most of its members write it (ties: the first in alphabetical order).
    labels = [max(sorted(set(stems[key])), key=stems[key].count) for key in shared]
    # The disease itself ("Loeys-Dietz syndrome" beside "Loeys-Dietz syndrome 4") joins its types.
    keys = [
        key if key is not None else (name or "").rstrip(" ,").casefold() for key, name in zip(keys, names, strict=True)
    ]
    return labels, np.array([number.get(key, -1) for key in keys], dtype=np.int32)


EXCLUDED_CODE = FREQUENCIES.index(Frequency.EXCLUDED)
PROBABILITY_STEPS = 1000  # rows of one disease and term are compared on probabilities rounded to 0.001
# The middle of each frequency group HPO defines (HP:0040280-HP:0040285); a half where none is stated.
GROUP_PROBABILITIES = {
    Frequency.OBLIGATE: 1.0,
    Frequency.VERY_FREQUENT: 0.895,
    Frequency.FREQUENT: 0.545,
    Frequency.OCCASIONAL: 0.17,
    Frequency.VERY_RARE: 0.025,
    Frequency.EXCLUDED: 0.0,
    Frequency.UNKNOWN: 0.5,
}


def stated_probability(raw: str, code: int) -> float:
    """The probability a row states: (n + 1) / (m + 2) for "n/m", a percentage, else its group's middle."""
    raw = (raw or "").strip()
    if match := FRACTION.match(raw):
        numerator, denominator = int(match.group(1)), int(match.group(2))
        if numerator == 0:
            return 0.0
        return (numerator + 1) / (denominator + 2)
    if match := PERCENTAGE.match(raw):
        return min(float(match.group(1)), 100.0) / 100
    return GROUP_PROBABILITIES[FREQUENCIES[code]]


INDEX = PerGeneration(lambda generation: Index.build(generation), background=True)


def current_index() -> Index:
    """The index for the content generation now in the database, or the previous one while that is built."""
    return INDEX.current()
