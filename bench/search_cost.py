"""What the costliest searches cost: CPU time of each, in-process, on the full catalogue.

    .venv/bin/python bench/search_cost.py --database PATH      (an imported SQLite catalogue)
    DATABASE_URL=postgres://…/imported_database .venv/bin/python bench/search_cost.py

Each query through Django's test client with the page cache off, as the search page and the
suggestion endpoint answer it: the median CPU time of this process (``time.process_time``, which
holds the database's own work on SQLite, not on PostgreSQL, whose server does it) and of wall time,
over --repeat runs after one warm-up. The queries are the ones a script or a careless client sends
to make search work hard: common short words, single letters, many short words, a very long query.

--typing also scores search as it is typed: for each query of bench/family_queries*.tsv, its last word cut
to each length from three letters, whether the disease meant is among the first three suggestions (and
first). --no-cap searches without the bounds on one query's work (PREFIX_TERMS, CORRECTED_WORDS in
gard/search/spelling.py), to compare.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    "the s",
    "s",
    "a",
    "a b c",
    "syndrome s",
    "the",
    "syn",
    "dis",
    "ab",
    "pro",
    "syndrome",
    "disease with a",
    "a b c d e f g h i j k l",
    "the of and in with to for on by at de la",
    "syndrome disease deficiency type familial congenital",
    "abcdefghij " * 30,
]


def measure(client, path: str, query: str, repeat: int) -> tuple[float, float]:
    client.get(path, {"q": query})
    cpu, wall = [], []
    for _ in range(repeat):
        started_cpu, started = time.process_time(), time.perf_counter()
        response = client.get(path, {"q": query})
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, query, response.status_code)
    return statistics.median(cpu), statistics.median(wall)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, help="an imported SQLite catalogue (default: DATABASE_URL's)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--typing", action="store_true", help="also score suggestions as queries are typed")
    parser.add_argument("--no-cap", action="store_true", help="no bound on prefix completions and corrections")
    args = parser.parse_args()
    if args.database:
        os.environ["SQLITE_PATH"] = str(args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gard.settings")
    os.environ.setdefault("RATELIMIT_ENABLE", "False")
    import django

    django.setup()
    if args.no_cap:
        from gard.search import spelling

        spelling.PREFIX_TERMS = spelling.CORRECTED_WORDS = 10**9
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": static}
    no_cache = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    database = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    bounds = "no bounds (--no-cap)" if args.no_cap else "bounded"
    print(f"{database}, {bounds}, median of {args.repeat} runs (CPU of this process / wall), page cache off\n")
    print("| Query | Search page | Suggestions |")
    print("|---|---|---|")
    with override_settings(STORAGES=storages, CACHES=no_cache, RATELIMIT_ENABLE=False):
        client = Client()
        for query in QUERIES:
            page = measure(client, "/search/", query, args.repeat)
            suggest = measure(client, "/search/suggest/", query, args.repeat)
            shown = query if len(query) <= 40 else f"{query[:24]}… ({len(query)} characters)"
            print(f"| `{shown}` | {page[0]:.0f} / {page[1]:.0f} ms | {suggest[0]:.0f} / {suggest[1]:.0f} ms |")
    if args.typing:
        typing_quality()


def typing_quality():
    """Suggestions for each family query as typed, its last word from three letters to whole."""
    from bench.family_search import HELD_OUT, QUERIES, page_of, read_queries
    from gard.models import Disease
    from gard.search.query import suggest

    slugs = {}
    for path in (QUERIES, HELD_OUT):
        typed = first = top3 = 0
        for _, query, curie in read_queries(path):
            expected = page_of(curie)
            if expected not in slugs:
                slugs[expected] = Disease.objects.get(pk=expected).get_absolute_url()
            head, _, last = query.rpartition(" ")
            for length in range(3, len(last) + 1):
                urls = [s["url"] for s in suggest(f"{head} {last[:length]}".strip(), limit=3)]
                typed += 1
                first += urls[:1] == [slugs[expected]]
                top3 += slugs[expected] in urls
        shares = f"first {100 * first / typed:.1f}%, top 3 {100 * top3 / typed:.1f}%"
        print(f"\nAs typed ({path.name}): {typed} partial queries; {shares}")


if __name__ == "__main__":
    main()
