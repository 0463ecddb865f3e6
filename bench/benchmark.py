"""Benchmarks for the catalogue: import, the largest disease page, search.

    .venv/bin/python bench/benchmark.py [--database PATH] [--skip-import]
    DATABASE_URL=postgres://…/empty_database .venv/bin/python bench/benchmark.py

Imports the HPO release and the open data into a fresh SQLite file, or the empty PostgreSQL
database DATABASE_URL names (timing the full import, its peak memory and a no-change re-import),
then measures in-process request
times through Django's test client, each beside a trivial view measured in
the same run so the ratios hold when the machine's speed drifts. Prints a
Markdown table for the README. Machines here are noisy: medians, not means.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LARGEST = ("OMIM", "620851")  # the record with the most annotations (211)
SEARCHES = [
    # names, with and without accents, prefixes as typed
    "alstrom",
    "Alström syndrome",
    "alpers",
    "marfan",
    "marf",
    "cystic fibrosis",
    "noonan syndrome",
    "huntington",
    "ehlers danlos",
    "tuberous sclerosis",
    "rett",
    "angelman",
    "prader willi",
    "fabry",
    "gaucher",
    "pompe",
    "duchenne",
    "becker muscular",
    "spinal muscular atrophy",
    "fragile x",
    "down syndrome",
    "williams syndrome",
    "kabuki",
    "charge syndrome",
    "dravet",
    "leigh syndrome",
    "mitochondrial dna depletion",
    "epileptic encephalopathy",
    "retinitis pigmentosa",
    "usher syndrome",
    "bardet biedl",
    "joubert",
    "meckel",
    "polycystic kidney",
    "alport",
    "fanconi anemia",
    "diamond blackfan",
    "hemophilia",
    "thalassemia",
    "sickle",
    "phenylketonuria",
    "maple syrup",
    "tay sachs",
    "niemann pick",
    "krabbe",
    "canavan",
    "zellweger",
    "smith lemli opitz",
    "cornelia de lange",
    "rubinstein taybi",
    # other names
    "progressive sclerosing poliodystrophy",
    "alstrom hallgren",
    "velocardiofacial",
    "digeorge",
    "brittle bone",
    "dwarfism",
    "lou gehrig",
    "infantile poliodystrophy",
    "ahs",
    "alms",
    # identifiers
    "ORPHA:64",
    "OMIM:203800",
    "ORPHA:726",
    "OMIM:203700",
    "OMIM:620851",
    "ORPHA:558",
    "OMIM:154700",
    "ORPHA:586",
    "DECIPHER:16",
    "orphanet 64",
    # genes
    "ALMS1",
    "POLG",
    "FBN1",
    "CFTR",
    "DMD",
    "MECP2",
    "SCN1A",
    "COL1A1",
    "PKD1",
    "NF1",
    # symptoms, by name, other name or HPO ID
    "seizure",
    "ataxia",
    "microcephaly",
    "hypotonia",
    "throwing up",
    "small head",
    "hearing loss",
    "obesity",
    "short stature",
    "cardiomyopathy",
    "HP:0001284",
    "0001251",
    "HP:0000252",
    "hp:0001250",
    "HP:0001263",
    "liver failure",
    "blindness",
    "scoliosis",
    "cleft palate",
    "intellectual disability",
]


def run(command, env):
    started = time.perf_counter()
    completed = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if completed.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{completed.stdout}\n{completed.stderr}")
    return time.perf_counter() - started, completed.stdout


def child_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def import_figures(database: Path) -> dict:
    """The whole import as `make run` does it: the HPO release (with the open data's one-to-one pairs),
    then the open data; each twice, the second time with nothing new."""
    env = {**os.environ, "SQLITE_PATH": str(database), "DJANGO_SETTINGS_MODULE": "gard.settings"}
    manage = [sys.executable, "manage.py"]
    run(manage + ["migrate", "--noinput", "-v0"], env)
    run(manage + ["load_documents", "-v0"], env)
    before = child_peak_mb()
    hpo, hpo_output = run(manage + ["import_hpo"], env)
    open_data, open_output = run(manage + ["import_open_data"], env)
    peak = child_peak_mb()
    hpo_again, output = run(manage + ["import_hpo"], env)
    open_again, open_again_output = run(manage + ["import_open_data"], env)
    return {
        "hpo_s": hpo,
        "open_data_s": open_data,
        "peak_mb": peak if peak > before else None,
        "again_s": hpo_again + open_again,
        "again_output": f"{output.splitlines()[0]} {_after('Open data:', open_again_output)[0]}",
        "pairs": next((line for line in hpo_output.splitlines() if line.startswith("One-to-one")), ""),
        "open_data_lines": _after("Open data:", open_output)[1:],
    }


def _after(heading: str, output: str) -> list[str]:
    """The lines of a command's output from the one that starts with ``heading``."""
    lines = [line.strip() for line in output.splitlines()]
    starts = [number for number, line in enumerate(lines) if line.startswith(heading)]
    return lines[starts[0] :] if starts else [""]


def timed(client, path, repeat):
    client.get(path)  # warm
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return samples


def p95(samples):
    return statistics.quantiles(samples, n=20)[-1]


def request_figures(database: Path) -> dict:
    os.environ["SQLITE_PATH"] = str(database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gard.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from gard.models import Identifier

    disease = Identifier.objects.select_related("disease").get(prefix=LARGEST[0], accession=LARGEST[1]).disease
    page = disease.get_absolute_url()
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Pages are rendered afresh (no page cache: what every first visit after an edit costs); the cached
    # page is timed separately with the configured cache.
    no_cache = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(ROOT_URLCONF="bench.urls", STORAGES=storages, CACHES=no_cache):
        client = Client()
        trivial = timed(client, "/bench/trivial/", 200)
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, params, many, context: queries.append(sql) or execute(sql, params, many, context)
        ):
            client.get(page)
        page_times = timed(client, page, 60)
        search_times = []
        for query in SEARCHES:
            client.get("/search/", {"q": query})
            started = time.perf_counter()
            client.get("/search/", {"q": query})
            search_times.append((time.perf_counter() - started) * 1000)
        trivial_after = timed(client, "/bench/trivial/", 200)
    with override_settings(ROOT_URLCONF="bench.urls", STORAGES=storages):
        cached_times = timed(Client(), page, 200)
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "EXPLAIN QUERY PLAN SELECT rowid FROM gard_disease_fts WHERE gard_disease_fts MATCH %s",
                    ['"alstrom"*'],
                )
                plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            else:
                cursor.execute(
                    "EXPLAIN SELECT rowid FROM gard_disease_fts f WHERE f.document @@ to_tsquery('simple', %s)",
                    ["alstrom:*"],
                )
                plan = " / ".join(row[0].strip() for row in cursor.fetchall())
    trivial_median = statistics.median(trivial + trivial_after)
    return {
        "trivial_ms": trivial_median,
        "page": page,
        "annotations": disease.annotations.count(),
        "page_queries": len(queries),
        "page_ms": statistics.median(page_times),
        "page_p95_ms": p95(page_times),
        "cached_ms": statistics.median(cached_times),
        "cached_p95_ms": p95(cached_times),
        "search_n": len(search_times),
        "search_ms": statistics.median(search_times),
        "search_p95_ms": p95(search_times),
        "search_plan": plan,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, help="SQLite file to build (default: a temporary one)")
    parser.add_argument("--skip-import", action="store_true", help="Measure requests on an existing --database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        database = args.database or Path(scratch) / "bench.sqlite3"
        imported = None
        if not args.skip_import:
            # With DATABASE_URL (PostgreSQL) the import goes to that database, which must be empty.
            if database.exists():
                database.unlink()
            imported = import_figures(database)
        requests = request_figures(database)
    trivial = requests["trivial_ms"]
    database_name = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"Machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}; {database_name}, in-process.\n")
    print("| Measure | Figure | Target |")
    print("|---|---|---|")
    if imported:
        peak = f"{imported['peak_mb']:.0f} MB" if imported["peak_mb"] else "n/a"
        full = imported["hpo_s"] + imported["open_data_s"]
        figure = (
            f"{full:.1f} s ({imported['hpo_s']:.1f} s `import_hpo`, {imported['open_data_s']:.1f} s "
            f"`import_open_data`), peak memory {peak}"
        )
        print(f"| Full import, fresh database | {figure} | ≤ 90 s, ≤ 1 GB |")
        print(f"| No-change re-import, both | {imported['again_s']:.1f} s ({imported['again_output']}) | ≤ 30 s |")
    print(f"| Trivial view (same run, in-process) | median {trivial:.2f} ms | reference |")
    print(
        f"| Largest disease page `{requests['page']}` ({requests['annotations']} annotations) | "
        f"median {requests['page_ms']:.1f} ms, p95 {requests['page_p95_ms']:.1f} ms, "
        f"{requests['page_queries']} queries (the content generation, then the page's); "
        f"{requests['page_ms'] / trivial:.0f}× the trivial view | ≤ 25 ms |"
    )
    print(
        f"| The same page from the page cache | median {requests['cached_ms']:.2f} ms, "
        f"p95 {requests['cached_p95_ms']:.2f} ms, 1 query; {requests['cached_ms'] / trivial:.0f}× the trivial view | |"
    )
    print(
        f"| Search, {requests['search_n']} mixed queries | median {requests['search_ms']:.1f} ms, "
        f"p95 {requests['search_p95_ms']:.1f} ms; {requests['search_ms'] / trivial:.0f}× the trivial view | "
        "median ≤ 10 ms, p95 ≤ 30 ms |"
    )
    print(f"\nSearch plan: {requests['search_plan']}")
    if imported:
        print(f"\n{imported['pairs']}")
        print("Open data import, fresh database:")
        for line in imported["open_data_lines"]:
            print(f"  {line}")


if __name__ == "__main__":
    main()
