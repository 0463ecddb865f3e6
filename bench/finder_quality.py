"""Quality and speed of the symptom finder on simulated patients.

    .venv/bin/python bench/finder_quality.py [--database PATH] [--seed 6] [--grid]

Reads a database holding the full catalogue (default: the one the settings name;
``--database`` a SQLite file) and writes nothing to it. With a fixed seed it draws
500 diseases among those with at least 5 symptoms (aspect P, not NOT) and makes
three patients of each:

- plain: 5 of the disease's annotated terms;
- noisy: the same 5 with 2 of them replaced by a direct parent (is_a; which parent
  chosen with the seed), plus 2 random terms from anywhere under Phenotypic
  abnormality (HP:0000118);
- hard: the 5 with 2 replaced by a grandparent, plus 3 random terms.

For each variant it reports the share of patients whose disease ranks 1st, in the
top 10 and in the top 50, ties counted against (rank = 1 + the number of other
diseases scoring at least as much), for the finder and two baselines scored over
the same diseases: (a) the number of the patient's terms the disease is annotated
with, (b) the number of the patient's terms that are, or are ancestors of, one of
its annotated terms. Then the finder's speed in-process: the index build, and 100
ten-term queries (a noisy patient and 3 more random terms) each with the
explanation of its first 20 results. ``--grid`` also scores a grid of the
ranking's parameters on the same patients. Prints Markdown tables.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PATIENTS = 500
MIN_SYMPTOMS = 5
TIMED_QUERIES = 100
PHENOTYPIC_ABNORMALITY = "HP:0000118"
VARIANTS = ["plain", "noisy", "hard"]
CUTOFFS = [1, 10, 50]
# Each parameter varied alone, the others as shipped (gard/finder/ranking.py, Parameters).
GRID = {
    "delta": (0.5, 0.65, 0.8, 0.9),
    "alpha": (0.5, 0.6, 0.7, 0.8, 1.0),
    "sigma": (0.0, 0.1, 0.25),
    "phi": (0.0, 0.2, 0.5, 1.0),
    "penalty": (0.5, 1.0, 2.0),
    "beta": (0.0, 0.25, 0.5, 0.75),
    "gamma": (0.0, 0.1, 0.15, 0.2, 0.3),
}


def setup(database: Path | None):
    if database:
        os.environ["SQLITE_PATH"] = str(database)
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gard.settings")
    import django

    django.setup()


def make_patients(index, parents: dict, seed: int) -> list[tuple[int, dict]]:
    """(disease index, {variant: term indexes}) for PATIENTS diseases drawn with the seed."""
    import numpy as np

    rng = random.Random(seed)
    direct = index.direct
    terms_of = [[] for _ in range(index.disease_total)]
    rows = np.repeat(np.arange(len(direct.pointers) - 1), np.diff(direct.pointers))
    for term, disease in zip(rows.tolist(), direct.diseases.tolist(), strict=True):
        terms_of[disease].append(term)
    eligible = [d for d in range(index.disease_total) if len(terms_of[d]) >= MIN_SYMPTOMS]
    top = index.term_position_of(PHENOTYPIC_ABNORMALITY)
    anywhere = sorted(t for t in range(len(index.hpo_ids)) if top in set(index.ancestors(t).tolist()))

    def parent(term):
        choices = sorted(parents.get(term, ()))
        return rng.choice(choices) if choices else term

    patients = []
    for disease in sorted(rng.sample(eligible, PATIENTS)):
        chosen = rng.sample(sorted(terms_of[disease]), 5)
        noisy = [parent(t) for t in chosen[:2]] + chosen[2:] + rng.sample(anywhere, 2)
        hard = [parent(parent(t)) for t in chosen[:2]] + chosen[2:] + rng.sample(anywhere, 3)
        extra = rng.sample(anywhere, 3)
        patients.append((disease, {"plain": chosen, "noisy": noisy, "hard": hard, "ten": noisy + extra}))
    return patients


def rank_of(scores, disease: int) -> int:
    """1 + the number of other diseases scoring at least as much (ties count against)."""
    return int((scores >= scores[disease]).sum())


def baseline_scores(index, terms: list[int], closure: bool):
    import numpy as np

    rows = index.closure if closure else index.direct
    counts = np.zeros(index.disease_total, dtype=np.int64)
    for term in dict.fromkeys(terms):
        counts[rows.diseases[rows.row(term)]] += 1
    return counts


def shares(ranks: list[int]) -> list[float]:
    return [100 * sum(r <= cutoff for r in ranks) / len(ranks) for cutoff in CUTOFFS]


def evaluate(index, patients, scorer) -> dict[str, list[float]]:
    return {
        variant: shares([rank_of(scorer(terms[variant]), disease) for disease, terms in patients])
        for variant in VARIANTS
    }


def table(results: dict[str, dict[str, list[float]]]) -> list[str]:
    header = "| Variant | Ranker | 1st | Top 10 | Top 50 |"
    lines = [header, "|---|---|---|---|---|"]
    for variant in VARIANTS:
        for ranker, figures in results.items():
            cells = " | ".join(f"{value:.1f}%" for value in figures[variant])
            lines.append(f"| {variant} | {ranker} | {cells} |")
    return lines


def grid(index, patients, base) -> list[str]:
    from gard.finder.ranking import score

    columns = " | ".join(f"{variant} {cutoff}" for variant in VARIANTS for cutoff in ("1st", "top 10", "top 50"))
    lines = [f"| Parameter | Value | {columns} |", "|" + "---|" * (2 + 3 * len(VARIANTS))]
    for name, values in GRID.items():
        for value in values:
            parameters = base.but(**{name: value})
            figures = evaluate(index, patients, lambda terms, p=parameters: score(index, terms, p)[0])
            cells = " | ".join(f"{figure:.1f}" for variant in VARIANTS for figure in figures[variant])
            shipped = " (shipped)" if value == getattr(base, name) else ""
            lines.append(f"| {name} | {value}{shipped} | {cells} |")
            print(lines[-1], file=sys.stderr, flush=True)
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, help="SQLite file with the full catalogue (default: the settings')")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--grid", action="store_true", help="also score a grid of the ranking's parameters")
    args = parser.parse_args()
    setup(args.database)

    from gard.cache import content_generation
    from gard.finder import PARAMETERS, rank
    from gard.finder.index import Index, current_index
    from gard.finder.ranking import score
    from gard.models import Phenotype

    builds = []
    for _ in range(3):
        started = time.perf_counter()
        index = Index.build(content_generation())
        builds.append(time.perf_counter() - started)
    index = current_index()
    parents: dict[int, set[int]] = {}
    for child, parent in Phenotype.parents.through.objects.values_list("from_phenotype_id", "to_phenotype_id"):
        parents.setdefault(index.term_position[child], set()).add(index.term_position[parent])
    patients = make_patients(index, parents, args.seed)

    started = time.perf_counter()
    results = {
        "finder": evaluate(index, patients, lambda terms: score(index, terms, PARAMETERS)[0]),
        "(a) exact matches": evaluate(index, patients, lambda terms: baseline_scores(index, terms, closure=False)),
        "(b) term or ancestor of an annotated term": evaluate(
            index, patients, lambda terms: baseline_scores(index, terms, closure=True)
        ),
    }
    quality_seconds = time.perf_counter() - started

    terms_by_pk = Phenotype.objects.in_bulk([int(index.term_pks[t]) for _, p in patients for t in p["ten"]])
    times = []
    for _, terms in patients[:TIMED_QUERIES]:
        query = [terms_by_pk[int(index.term_pks[t])] for t in terms["ten"]]
        started = time.perf_counter()
        page = rank(query)[0:20]
        times.append(time.perf_counter() - started)
        assert page, "a ten-term query found nothing"
    times.sort()

    print(f"Simulated patients: {PATIENTS} diseases (seed {args.seed}) among those with >= {MIN_SYMPTOMS} symptoms;")
    print(f"{index.disease_total} diseases ranked; parameters {PARAMETERS}.\n")
    print("\n".join(table(results)))
    print()
    print("| Measure | Figure |")
    print("|---|---|")
    print(f"| Index build (full catalogue) | median {1000 * statistics.median(builds):.0f} ms of 3 |")
    print(
        f"| 10-term query with the first 20 results explained ({TIMED_QUERIES} queries) | "
        f"median {1000 * statistics.median(times):.1f} ms, p95 {1000 * times[int(0.95 * len(times)) - 1]:.1f} ms |"
    )
    print(f"| Scoring all 3 x {PATIENTS} patients with the three rankers | {quality_seconds:.1f} s |")
    if args.grid:
        print()
        print("\n".join(grid(index, patients, PARAMETERS)))


if __name__ == "__main__":
    main()
