"""Ranking diseases by a patient's present and absent symptoms, and saying why.

The method is Resnik's semantic similarity (the information content of the most
informative common ancestor; Resnik 1995, IJCAI) summed over the patient's terms
with a best match per term, as the Phenomizer does (Köhler et al. 2009, Am J Hum
Genet 85:457), made asymmetric, weighted by the annotated frequency, aware of NOT
annotations, and normalised twice. For each patient term t and disease d, the best of:

- exact: d is annotated with t: ``IC(t) * w``;
- broader: d is annotated with an ancestor a of t (the patient's term is more
  specific, so it confirms d's, but d's record does not say it has this form):
  ``ALPHA * IC(a) * w``, ALPHA < 1;
- narrower: d is annotated with a descendant s of t (the patient's term is more
  general, so it only partly confirms d's more specific statement):
  ``DELTA * IC(t) * w``, DELTA < 1;
- related: d is annotated with a term s that shares an ancestor m with t (m not t):
  ``SIGMA * IC(m) * w`` for the most informative such m;
- excluded: d is annotated as NOT having n, or as having n in no one studied
  (HP:0040285, 0%, 0/n), t being n or more specific than n: ``-PENALTY * IC(n)``
  replaces a broader or related match (where another row states t or a more
  specific term present, the sources disagree and that row counts).

For each term u the patient does **not** have, diseases annotated with u or a more
specific term lose ``ABSENT * -ln(1 - 0.95 p)`` (p how often they have it, as below;
the likelihood of its absence, allowing a 5% chance that it was missed, as LIRICAL
scores excluded terms): little for an occasional symptom, most for an obligate one.
Diseases whose sources also exclude it, and the others, are unchanged.

``w = 1 - PHI + PHI * p`` with p how often the disease has the term (its frequency
group: obligate 1, very frequent 0.9, frequent 0.55, occasional 0.17, very rare
0.025, excluded 0; unknown a prior of 0.5). Then:

- each match is divided by ``IC ** BETA`` of the more specific of the two terms it
  joins (t, or the disease's s for narrower and related matches): a rare term the
  disease only matches through a broad ancestor gains little, which keeps chance
  matches of unrelated specific terms from outweighing real ones (a step towards Lin's
  similarity, which divides by the information content of the terms themselves);
- the disease's score, the sum over the patient's terms, is divided by its number
  of symptoms ``** GAMMA``: a disease with hundreds of symptoms matches anything
  somewhat, so the same matches count a little less for it (as the Phenomizer's
  symmetric variant and LIRICAL's likelihood ratios penalise what is left unexplained).

Every rule keeps its direction under both (a test proves each). Diseases scoring
0 or less are not listed; ties go by name. bench/finder_quality.py measured the
parameters.
"""

from dataclasses import dataclass, field, replace

import numpy as np

from gard.finder.index import FREQUENCIES, Index, current_index
from gard.frequency import Frequency
from gard.models import Disease, Phenotype

KIND_NONE, KIND_RELATED, KIND_NARROWER, KIND_BROADER, KIND_EXACT, KIND_EXCLUDED = range(6)
KIND_NAMES = {
    KIND_RELATED: "related",
    KIND_NARROWER: "narrower",
    KIND_BROADER: "broader",
    KIND_EXACT: "exact",
    KIND_EXCLUDED: "excluded",
}
ABSENT_MISSED = 0.05  # the chance that a symptom a disease always shows is missed or left unrecorded
SCORE_DIGITS = 9  # scores are rounded so that equal sums compare equal whatever the order of addition


@dataclass(frozen=True)
class Parameters:
    """The ranking's tunable parameters (bench/finder_quality.py measures them)."""

    delta: float = 0.8  # narrower matches count this share of the patient term's IC
    alpha: float = 0.8  # broader matches count this share of the disease term's IC
    sigma: float = 0.0  # related matches count this share of the common ancestor's IC
    phi: float = 0.2  # how much the frequency weighs: w = 1 - PHI + PHI * p
    penalty: float = 1.0  # a NOT annotation costs this many times its term's IC
    beta: float = 0.5  # a match is divided by IC ** BETA of the more specific of its two terms
    gamma: float = 0.15  # a disease's score is divided by (its number of symptoms) ** GAMMA
    absent: float = 0.5  # an absent term costs ABSENT * -ln(1 - 0.95 p) where the disease has it with probability p
    probabilities: dict = field(
        default_factory=lambda: {
            Frequency.OBLIGATE: 1.0,
            Frequency.VERY_FREQUENT: 0.9,
            Frequency.FREQUENT: 0.55,
            Frequency.OCCASIONAL: 0.17,
            Frequency.VERY_RARE: 0.025,
            Frequency.EXCLUDED: 0.0,
            Frequency.UNKNOWN: 0.5,
        }
    )

    def frequency_probabilities(self) -> np.ndarray:
        """p per frequency code of the index."""
        return np.array([self.probabilities[frequency] for frequency in FREQUENCIES], dtype=np.float64)

    def weights(self) -> np.ndarray:
        """w per frequency code of the index."""
        return 1 - self.phi + self.phi * self.frequency_probabilities()

    def but(self, **changes) -> "Parameters":
        return replace(self, **changes)


PARAMETERS = Parameters()


@dataclass
class TermScores:
    """One patient term's effect on every disease of the index."""

    term: int  # index of the patient's term
    contribution: np.ndarray  # float per disease
    kind: np.ndarray  # KIND_* per disease
    disease_term: np.ndarray  # index of the disease's term that matched, -1 for none
    via: np.ndarray  # index of the common ancestor of a related match, -1 otherwise
    code: np.ndarray  # frequency code of the matched row, -1 for none
    absent: bool = False  # the patient does not have the term

    @classmethod
    def none(cls, term: int, n: int, absent: bool = False) -> "TermScores":
        """No effect on any of the ``n`` diseases yet."""
        return cls(
            term,
            np.zeros(n, dtype=np.float64),
            np.zeros(n, dtype=np.int8),
            np.full(n, -1, dtype=np.int32),
            np.full(n, -1, dtype=np.int32),
            np.full(n, -1, dtype=np.int8),
            absent=absent,
        )


def _apply(scores: TermScores, diseases, values, kind, disease_terms, codes, via=-1) -> None:
    """Where ``values`` beat (or, for a stronger kind, equal) the current contribution, take them."""
    current = scores.contribution[diseases]
    better = (values > current) | ((values == current) & (values > 0) & (kind > scores.kind[diseases]))
    if not better.any():
        return
    chosen = diseases[better]
    scores.contribution[chosen] = values[better]
    scores.kind[chosen] = kind
    scores.disease_term[chosen] = disease_terms[better] if isinstance(disease_terms, np.ndarray) else disease_terms
    scores.code[chosen] = codes[better]
    scores.via[chosen] = via


def score_term(index: Index, term: int, parameters: Parameters, weights: np.ndarray, scale: np.ndarray) -> TermScores:
    """Each disease's best match for one patient term (the rules in the module's docstring).

    ``scale`` is IC ** BETA per term (1 where IC is 0): a match is divided by it for the more
    specific of the two terms it joins.
    """
    n = index.disease_total
    scores = TermScores.none(term, n)
    ic = index.ic
    ancestors = index.ancestors(term)
    closure, direct, excluded = index.closure, index.direct, index.excluded
    if parameters.sigma > 0:
        for m in ancestors:
            row = closure.row(m)
            if ic[m] <= 0 or row.start == row.stop:
                continue
            codes, sources = closure.codes[row], closure.sources[row]
            values = parameters.sigma * ic[m] * weights[codes] / np.maximum(scale[term], scale[sources])
            _apply(scores, closure.diseases[row], values, KIND_RELATED, sources, codes, via=int(m))
    row = closure.row(term)
    codes, sources = closure.codes[row], closure.sources[row]
    values = parameters.delta * ic[term] * weights[codes] / scale[sources]
    _apply(scores, closure.diseases[row], values, KIND_NARROWER, sources, codes)
    for a in ancestors:
        row = direct.row(a)
        codes = direct.codes[row]
        _apply(
            scores,
            direct.diseases[row],
            parameters.alpha * ic[a] * weights[codes] / scale[term],
            KIND_BROADER,
            int(a),
            codes,
        )
    row = direct.row(term)
    codes = direct.codes[row]
    _apply(scores, direct.diseases[row], ic[term] * weights[codes] / scale[term], KIND_EXACT, term, codes)
    # NOT n, with the patient's term n or more specific: the most informative such n counts against.
    penalty = np.zeros(n, dtype=np.float64)
    source = np.full(n, -1, dtype=np.int32)
    for n_term in (term, *ancestors):
        row = excluded.row(n_term)
        diseases = excluded.diseases[row]
        stronger = ic[n_term] > penalty[diseases]
        penalty[diseases[stronger]] = ic[n_term]
        source[diseases[stronger]] = n_term
    # A row stating the term itself or a more specific one present outweighs an exclusion of a broader term
    # (sources disagree); an exclusion outweighs a broader or related match.
    hit = np.flatnonzero((source >= 0) & (scores.kind != KIND_EXACT) & (scores.kind != KIND_NARROWER))
    if len(hit):
        scores.contribution[hit] = -parameters.penalty * penalty[hit] / scale[term]
        scores.kind[hit] = KIND_EXCLUDED
        scores.disease_term[hit] = source[hit]
        scores.code[hit] = -1
        scores.via[hit] = -1
    return scores


def score_absent_term(index: Index, term: int, parameters: Parameters) -> TermScores:
    """What a term the patient does not have costs each disease that has it (or a more specific one)."""
    scores = TermScores.none(term, index.disease_total, absent=True)
    probabilities = parameters.frequency_probabilities()
    row = index.closure.row(term)
    diseases, codes, sources = index.closure.diseases[row], index.closure.codes[row], index.closure.sources[row]
    # log(1 - 0.95 p): the likelihood of not seeing a symptom the disease shows with probability p (a 5%
    # chance of its being missed or unrecorded), as LIRICAL scores excluded terms: 3.0 for an obligate one.
    scores.contribution[diseases] = parameters.absent * np.log1p(-(1 - ABSENT_MISSED) * probabilities[codes])
    scores.kind[diseases] = np.where(sources == term, KIND_EXACT, KIND_NARROWER)
    scores.disease_term[diseases] = sources
    scores.code[diseases] = codes
    # The disease's sources say it does not have the term (or a broader one): they agree with the patient.
    for n_term in (term, *index.ancestors(term)):
        row = index.excluded.row(n_term)
        diseases = index.excluded.diseases[row]
        diseases = diseases[scores.kind[diseases] == KIND_NONE]
        scores.kind[diseases] = KIND_EXCLUDED
        scores.disease_term[diseases] = n_term
    return scores


def score(
    index: Index, terms: list[int], parameters: Parameters = PARAMETERS, absent: list[int] = ()
) -> tuple[np.ndarray, list[TermScores]]:
    """The score of every disease of the index for the patient's present and absent term indexes, and each
    term's part (a term named both present and absent counts as present)."""
    weights = parameters.weights()
    scale = np.where(index.ic > 0, index.ic, 1.0) ** parameters.beta
    present = list(dict.fromkeys(terms))
    parts = [score_term(index, term, parameters, weights, scale) for term in present]
    parts += [score_absent_term(index, term, parameters) for term in dict.fromkeys(absent) if term not in present]
    total = np.zeros(index.disease_total, dtype=np.float64)
    scale_by = np.ones(index.disease_total, dtype=np.float64)
    if parameters.gamma:
        scale_by /= np.maximum(index.term_counts, 1) ** parameters.gamma
    for part in parts:
        part.contribution *= scale_by  # so that the parts shown add up to the score
        total += part.contribution
    return np.round(total, SCORE_DIGITS), parts


def order(index: Index, total: np.ndarray) -> np.ndarray:
    """Disease indexes scoring above 0, best first, ties by name."""
    listed = np.flatnonzero(total > 0)
    return listed[np.lexsort((index.name_order[listed], -total[listed]))]


@dataclass
class TermMatch:
    """How one of the patient's terms bears on a disease."""

    patient_term: Phenotype
    disease_term: Phenotype | None
    kind: str  # exact, broader, narrower, related or excluded
    frequency: str  # the matched row's Frequency ("" when unknown or for NOT rows)
    contribution: float
    via: Phenotype | None = None  # for a related match: the common ancestor
    absent: bool = False  # the patient does not have the term


@dataclass
class FinderResult:
    disease: Disease
    score: float
    rank: int  # 1-based
    matches: list[TermMatch]
    relative: float = 1.0  # the score over the first result's

    @property
    def percent_of_first(self) -> int:
        return round(100 * self.relative)


class Ranking:
    """The ranked diseases: ``len()`` counts them, a slice explains just that slice (three queries)."""

    def __init__(
        self,
        index: Index,
        patient_terms: list[Phenotype],
        parameters: Parameters = PARAMETERS,
        absent_terms: list[Phenotype] = (),
    ):
        self.index = index
        self.patient_terms = {}
        for term in [*patient_terms, *absent_terms]:
            position = index.term_position.get(term.pk)
            if position is not None:
                self.patient_terms.setdefault(position, term)
        present = [index.term_position[t.pk] for t in patient_terms if t.pk in index.term_position]
        absent = [index.term_position[t.pk] for t in absent_terms if t.pk in index.term_position]
        self.total, self.parts = score(index, present, parameters, absent)
        self.order = order(index, self.total)
        self.best = float(self.total[self.order[0]]) if len(self.order) else 0.0

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, item):
        if isinstance(item, slice):
            start, stop, step = item.indices(len(self.order))
            return self.explain(list(range(start, stop, step)))
        position = range(len(self.order))[item]  # IndexError and negative indexes as for a list
        return self.explain([position])[0]

    def explain(self, positions: list[int]) -> list[FinderResult]:
        """The results at these places of the order, with their reasons (two queries at most)."""
        if not positions:
            return []
        chosen = self.order[positions]
        pks = [int(pk) for pk in self.index.disease_pks[chosen]]
        diseases = Disease.objects.in_bulk(pks)
        wanted = set()
        for part in self.parts:
            wanted.update(int(t) for t in part.disease_term[chosen] if t >= 0)
            wanted.update(int(t) for t in part.via[chosen] if t >= 0)
        known = {term.pk: term for term in self.patient_terms.values()}
        missing = [int(self.index.term_pks[t]) for t in wanted if int(self.index.term_pks[t]) not in known]
        terms = {**Phenotype.objects.in_bulk(missing), **known} if missing else known

        def term_at(position: int) -> Phenotype | None:
            return terms.get(int(self.index.term_pks[position])) if position >= 0 else None

        results = []
        for position, disease in zip(positions, chosen, strict=True):
            if int(self.index.disease_pks[disease]) not in diseases:
                continue  # deleted since the index was built; the next request rebuilds it
            matches = []
            for part in self.parts:
                kind = int(part.kind[disease])
                if kind == KIND_NONE:
                    continue
                code = int(part.code[disease])
                frequency = FREQUENCIES[code] if code >= 0 else ""
                matches.append(
                    TermMatch(
                        patient_term=self.patient_terms[part.term],
                        disease_term=term_at(int(part.disease_term[disease])),
                        kind=KIND_NAMES[kind],
                        frequency="" if frequency == Frequency.UNKNOWN else frequency,
                        contribution=float(part.contribution[disease]),
                        via=term_at(int(part.via[disease])),
                        absent=part.absent,
                    )
                )
            matches.sort(key=lambda match: (-match.contribution, match.patient_term.name))
            total = float(self.total[disease])
            results.append(
                FinderResult(
                    disease=diseases[int(self.index.disease_pks[disease])],
                    score=total,
                    rank=position + 1,
                    matches=matches,
                    relative=total / self.best if self.best > 0 else 0.0,
                )
            )
        return results


def rank(terms: list[Phenotype], parameters: Parameters = PARAMETERS, absent: list[Phenotype] = ()) -> Ranking:
    """The diseases that fit the patient's present and absent terms, best first (the index is rebuilt when stale)."""
    return Ranking(current_index(), terms, parameters, absent)


@dataclass
class Entry:
    """One line of the results: a disease, or the numbered types of one disease with the best first."""

    number: int  # 1-based place in the list of entries
    result: FinderResult  # the best-scoring disease of the entry
    group: str = ""  # the types' shared name ("Bardet-Biedl syndrome"), "" for a disease on its own
    others: list[FinderResult] = field(default_factory=list)  # the group's other types, best first

    @property
    def size(self) -> int:
        return 1 + len(self.others)


class Grouped:
    """A ranking with the numbered types of one disease together, at the place of the best of them.

    ``len()`` counts entries, a slice explains just its entries and their types (two queries).
    """

    def __init__(self, ranking: Ranking):
        self.ranking = ranking
        groups = ranking.index.groups[ranking.order] if len(ranking.order) else np.zeros(0, dtype=np.int32)
        self.entries: list[list[int]] = []
        leader: dict[int, int] = {}
        for position, group in enumerate(groups.tolist()):
            if group < 0:
                self.entries.append([position])
            elif group in leader:
                self.entries[leader[group]].append(position)
            else:
                leader[group] = len(self.entries)
                self.entries.append([position])
        self.names = ranking.index.group_names

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0] if item >= 0 else self[len(self) + item]
        numbers = range(len(self.entries))[item]
        positions = [position for number in numbers for position in self.entries[number]]
        results = {result.rank - 1: result for result in self.ranking.explain(positions)}
        entries = []
        for number in numbers:
            found = [results[position] for position in self.entries[number] if position in results]
            if not found:
                continue
            group = int(self.ranking.index.groups[self.ranking.order[self.entries[number][0]]])
            entries.append(
                Entry(number + 1, found[0], self.names[group] if group >= 0 and len(found) > 1 else "", found[1:])
            )
        return entries


def grouped(ranking: Ranking) -> Grouped:
    return Grouped(ranking)
