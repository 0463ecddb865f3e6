"""Search as families type it: does the page they mean come first? And how quickly do searches answer?

    .venv/bin/python bench/family_search.py --database PATH      (an imported SQLite catalogue)
    DATABASE_URL=postgres://…/imported_database .venv/bin/python bench/family_search.py

Needs a catalogue with the HPO release and the open data imported (``bench/benchmark.py --database
PATH`` builds one). Quality: the queries in ``bench/family_queries.tsv`` (written by hand from how
families and patient organisations name the diseases), each searched in-process as the search page
does, counted as found first (top 1) or among the first three (top 3), by kind of query. Speed: the
search page through Django's test client for the mixed queries of ``bench/benchmark.py`` and the
misspellings and possessives of the family set, beside a trivial view measured in the same run.
``bench/family_queries_heldout.tsv`` holds queries over other diseases, written after the ranking was
tuned on the first set; both are reported, each on its own.
"""

import argparse
import csv
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUERIES = ROOT / "bench" / "family_queries.tsv"  # the ranking was tuned on these
HELD_OUT = ROOT / "bench" / "family_queries_heldout.tsv"  # written afterwards, over other diseases; not tuned on


def read_queries(path: Path) -> list[tuple[str, str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.reader(handle, delimiter="\t") if row and not row[0].startswith("#")]
    return [(kind, query, page) for kind, query, page in rows]


def page_of(curie: str) -> int | None:
    """The disease page an Orphanet record is on: the page holding the record, or the group page made for it."""
    from gard.models import Disease, Identifier

    prefix, accession = curie.split(":")
    found = Identifier.objects.filter(prefix=prefix, accession=accession).values_list("disease_id", flat=True).first()
    if found is None and prefix == "ORPHA":
        found = Disease.objects.filter(orpha_group=accession).values_list("pk", flat=True).first()
    return found


TOP_THREES = {}  # query -> the slugs of its first three results, for comparing two databases (--save)


def quality(rows) -> tuple[dict, list]:
    from gard.search.query import search

    by_kind = defaultdict(lambda: [0, 0, 0])  # queries, top 1, top 3
    misses = []
    for kind, query, curie in rows:
        expected = page_of(curie)
        if expected is None:
            sys.exit(f"{curie} (for {query!r}) is on no page of this catalogue")
        results = search(query, limit=3).items
        found = [result.disease_id for result in results]
        TOP_THREES[query] = [result.disease.slug for result in results]
        counts = by_kind[kind]
        counts[0] += 1
        counts[1] += found[:1] == [expected]
        counts[2] += expected in found
        if found[:1] != [expected]:
            misses.append((kind, query, curie, expected in found))
    return by_kind, misses


def speed(queries: list[str]) -> dict:
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from bench.benchmark import p95, timed

    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": static}
    no_cache = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(ROOT_URLCONF="bench.urls", STORAGES=storages, CACHES=no_cache):
        client = Client()
        trivial = timed(client, "/bench/trivial/", 200)
        times = []
        for query in queries:
            client.get("/search/", {"q": query})
            started = time.perf_counter()
            response = client.get("/search/", {"q": query})
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (query, response.status_code)
        trivial += timed(client, "/bench/trivial/", 200)
    return {
        "n": len(times),
        "median": statistics.median(times),
        "p95": p95(times),
        "trivial": statistics.median(trivial),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, help="an imported SQLite catalogue (default: DATABASE_URL's)")
    parser.add_argument("--save", type=Path, help="write each query's first three results (slugs) to this JSON file")
    args = parser.parse_args()
    if args.database:
        os.environ["SQLITE_PATH"] = str(args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gard.settings")
    import django

    django.setup()
    from django.db import connection

    from bench.benchmark import SEARCHES

    rows = read_queries(QUERIES)
    family = [query for kind, query, _ in rows if kind in ("misspelling", "possessive", "british", "spacing")]
    timing = speed(SEARCHES + family[::3])
    database = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    for title, path in [("Tuned on", QUERIES), ("Held out", HELD_OUT)]:
        report(f"{title} ({path.name}), {database}", read_queries(path))
    if args.save:
        args.save.write_text(json.dumps(TOP_THREES, indent=1, sort_keys=True), encoding="utf-8")
    print(
        f"\nSpeed, {timing['n']} mixed queries (names, other names, identifiers, genes, symptoms, misspellings): "
        f"median {timing['median']:.1f} ms, p95 {timing['p95']:.1f} ms; trivial view {timing['trivial']:.2f} ms "
        f"({timing['median'] / timing['trivial']:.0f}×)."
    )


def report(title: str, rows) -> None:
    by_kind, misses = quality(rows)
    total = [sum(counts[i] for counts in by_kind.values()) for i in range(3)]
    print(f"\n{title}: {len(rows)} family queries over {len({page for *_, page in rows})} diseases.\n")
    print("| Kind of query | Queries | Top 1 | Top 3 |")
    print("|---|---|---|---|")
    for kind in sorted(by_kind, key=lambda k: -by_kind[k][0]):
        n, found_first, in_three = by_kind[kind]
        print(f"| {kind} | {n} | {100 * found_first / n:.1f}% | {100 * in_three / n:.1f}% |")
    print(f"| **all** | {total[0]} | {100 * total[1] / total[0]:.1f}% | {100 * total[2] / total[0]:.1f}% |")
    if misses:
        print("\nNot first (kind, query, page, in the top 3):")
        for kind, query, curie, in_three in misses:
            print(f"  {kind}: {query!r} -> {curie}{' (top 3)' if in_three else ''}")


if __name__ == "__main__":
    main()
