"""Load test: gunicorn serving the full catalogue, under wrk, on loopback.

    .venv/bin/python bench/load.py [--database PATH] [--duration 60] [--connections 64]
        [--persistent-connections] [-- GUNICORN OPTIONS]

Builds the catalogue into a temporary SQLite file (migrate, load_documents,
import_hpo; about 40 s) unless --database names one already built, collects
the static files, and starts gunicorn with 2 workers on a free port of
127.0.0.1. Every address of the mix is checked to answer 200 (which also
stores it in one worker's cache); a 20-second warm-up run of wrk fills the other's.
Then three runs of wrk, --duration seconds each at --connections connections:

- the mix: disease pages, filtered symptom tables (and their CSV) and
  searches, 200 addresses taken in turn (the default cache, each worker's own
  memory, holds 300 entries);
- the site's stylesheet as whitenoise serves it (a hashed file from collectstatic);
- /healthz/, a view that returns "ok".

Prints req/s, p50 and p99 latency and errors for each (any answer that is not
2xx counts as an error, as do connect, read, write and timeout errors) and
the ratios, as a Markdown table for the README; exits 1 if there were errors.
wrk is installed with apt-get if missing. Whatever it started (gunicorn, wrk,
the temporary files) is stopped and removed when it ends or is interrupted.
wrk and gunicorn share this machine's cores, so the figures are for both.
About five minutes in all (three minutes with --database).

--persistent-connections serves with the site's settings but each worker's
database connection kept open between requests, and options after -- go to
gunicorn (e.g. -- --max-requests 0), to measure what they change.
"""

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchmark import SEARCHES  # noqa: E402
from bench.servers import gunicorn  # noqa: E402

LUA = ROOT / "bench" / "load.lua"
WORKERS = 2
DISEASE_PAGES = 100
TABLE_PAGES = 50
SEARCH_PAGES = 50
TABLE_FILTERS = [
    "?frequency=very_frequent&frequency=frequent",
    "?sort=-name&names=plain",
    "?q=abnormal",
    "?frequency=occasional&sort=hpo_id",
    "symptoms.csv?frequency=frequent",
]


def ensure_wrk() -> str:
    if not shutil.which("wrk"):
        print("wrk is missing: installing it with apt-get.", flush=True)
        install = ["apt-get", "install", "-y", "-q", "wrk"]
        if subprocess.run(install).returncode:
            subprocess.run(["apt-get", "update", "-q"], check=True)
            subprocess.run(install, check=True)
    return shutil.which("wrk")


def manage(env, *command):
    completed = subprocess.run(
        [sys.executable, "manage.py", *command], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if completed.returncode:
        sys.exit(f"manage.py {' '.join(command)} failed:\n{completed.stdout}\n{completed.stderr}")


def build(env, fresh: bool):
    if fresh:
        print("Building the catalogue: migrate, load_documents, import_hpo ...", flush=True)
    manage(env, "migrate", "--noinput", "-v0")
    if fresh:
        manage(env, "load_documents", "-v0")
        manage(env, "import_hpo", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")


def addresses(env) -> list[str]:
    """The mix: the largest disease pages and a fixed random sample of the rest, filtered tables, searches."""
    os.environ.update(env)
    import django

    django.setup()
    from django.db.models import Count

    from gard.models import Disease

    diseases = Disease.objects.annotate(rows=Count("annotations")).filter(rows__gt=0)
    largest = list(diseases.order_by("-rows", "slug").values_list("slug", flat=True)[:20])
    others = sorted(set(diseases.values_list("slug", flat=True)) - set(largest))
    slugs = largest + random.Random(1).sample(others, DISEASE_PAGES - len(largest))
    pages = [f"/diseases/{slug}/" for slug in slugs]
    filters = [TABLE_FILTERS[number % len(TABLE_FILTERS)] for number in range(TABLE_PAGES)]
    tables = [f"/diseases/{slug}/{query}" for slug, query in zip(slugs, filters, strict=False)]
    searches = [f"/search/?{urlencode({'q': query})}" for query in SEARCHES[::2][:SEARCH_PAGES]]
    mix = list(dict.fromkeys(pages + tables + searches))
    random.Random(2).shuffle(mix)
    return mix


def stylesheet(static_root: Path) -> str:
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/site.css"]


def check(base: str, paths: list[str]):
    """Every address answers 200 itself (no redirect): the run's error count then means what it says."""
    for path in paths:
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                if response.status != 200 or response.url != base + path:
                    sys.exit(f"{path}: {response.status} at {response.url}, not 200")
        except urllib.error.HTTPError as error:
            sys.exit(f"{path}: {error.code}, not 200")


def wrk(binary, base, paths_file: Path, args, duration: int) -> dict:
    command = [binary, f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}s", "--timeout", "10s"]
    command += ["-s", str(LUA), base, "--", str(paths_file)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    summary = json.loads(completed.stdout.strip().splitlines()[-1])
    seconds = summary["duration_us"] / 1e6
    errors = sum(summary[kind] for kind in ("non2xx", "connect", "read", "write", "timeout"))
    return {
        "rps": summary["requests"] / seconds,
        "p50_ms": summary["p50_us"] / 1000,
        "p99_ms": summary["p99_us"] / 1000,
        "errors": errors,
        "requests": summary["requests"],
        "kb": summary["bytes"] / summary["requests"] / 1024 if summary["requests"] else 0,
    }


def persistent_connections(env, scratch: Path) -> dict:
    """The site's settings with each worker's database connection kept open between requests."""
    (scratch / "load_settings.py").write_text(
        'from gard.settings import *  # noqa: F403\nDATABASES["default"]["CONN_MAX_AGE"] = None  # noqa: F405\n'
    )
    return {**env, "DJANGO_SETTINGS_MODULE": "load_settings", "PYTHONPATH": f"{scratch}{os.pathsep}{ROOT}"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, help="SQLite file with the catalogue (default: build a temporary one)")
    parser.add_argument("--duration", type=int, default=60, help="seconds per measured run (default 60)")
    parser.add_argument("--warmup", type=int, default=20, help="seconds of the warm-up run (default 20)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument(
        "--persistent-connections",
        action="store_true",
        help="keep each worker's SQLite connection open between requests (CONN_MAX_AGE=None), to compare",
    )
    parser.add_argument("gunicorn", nargs="*", help="more gunicorn options, after --")
    args = parser.parse_args()
    binary = ensure_wrk()

    # Stopped by a signal: leave through the finally blocks, which stop what was started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory(prefix="gard-load-") as scratch:
        scratch = Path(scratch)
        env = {
            **os.environ,
            "DATABASE_URL": "",  # the SQLite file, whatever the environment names
            "SQLITE_PATH": str(args.database.resolve() if args.database else scratch / "site.sqlite3"),
            "STATIC_ROOT": str(scratch / "static"),
            "DEBUG": "False",
            "DJANGO_SETTINGS_MODULE": "gard.settings",
        }
        build(env, fresh=not args.database)
        runs = {"mix": addresses(env), "static": [stylesheet(scratch / "static")], "trivial": ["/healthz/"]}
        files = {name: scratch / f"{name}.txt" for name in runs}
        for name, paths in runs.items():
            files[name].write_text("\n".join(paths) + "\n")

        server_env = persistent_connections(env, scratch) if args.persistent_connections else env
        with gunicorn(server_env, ["--workers", str(WORKERS), *args.gunicorn]) as server:
            base = server.base
            print(f"gunicorn ({WORKERS} workers) on {base}; checking the {len(runs['mix'])} addresses ...", flush=True)
            check(base, [path for paths in runs.values() for path in paths])
            print(f"Warm-up: {args.warmup} s of the mix.", flush=True)
            wrk(binary, base, files["mix"], args, args.warmup)
            results = {}
            for name in ("static", "trivial", "mix"):
                print(f"Measuring {name}: {args.duration} s at {args.connections} connections ...", flush=True)
                results[name] = wrk(binary, base, files[name], args, args.duration)
                time.sleep(2)

    report(results, args, len(runs["mix"]), runs["static"][0])
    if any(result["errors"] for result in results.values()):
        sys.exit(1)


def report(results, args, mix_size, static_path):
    static, trivial, mix = results["static"], results["trivial"], results["mix"]
    cache = "Redis (REDIS_URL)" if os.environ.get("REDIS_URL") else "each worker's own memory"
    connections = "kept open (CONN_MAX_AGE=None)" if args.persistent_connections else "as configured (CONN_MAX_AGE=600)"
    extra = f"; gunicorn.conf.py plus {' '.join(args.gunicorn)}" if args.gunicorn else "; gunicorn.conf.py"
    print(
        f"\nMachine: {os.cpu_count()} cores shared by wrk ({args.threads} threads) and gunicorn ({WORKERS} "
        f"workers{extra}); {args.connections} connections, {args.duration} s a run, 127.0.0.1; SQLite, "
        f"connections {connections}; cache: {cache}.\n"
    )
    print("| Run | req/s | p50 | p99 | errors | size | req/s vs static file | vs trivial view |")
    print("|---|---|---|---|---|---|---|---|")
    rows = [
        (f"Mix: {mix_size} public pages", mix),
        (f"Static file `{static_path}` (whitenoise)", static),
        ("Trivial view `/healthz/`", trivial),
    ]
    for label, result in rows:
        print(
            f"| {label} | {result['rps']:,.0f} | {result['p50_ms']:.1f} ms | {result['p99_ms']:.1f} ms | "
            f"{result['errors']} of {result['requests']:,} | {result['kb']:.1f} KB | "
            f"{result['rps'] / static['rps']:.0%} | {result['rps'] / trivial['rps']:.0%} |"
        )
    verdict = "met" if mix["rps"] >= 0.5 * static["rps"] else "NOT met"
    print(f"\nTarget, cached pages at ≥ 50% of the static file's req/s: {verdict} ({mix['rps'] / static['rps']:.0%}).")


if __name__ == "__main__":
    main()
