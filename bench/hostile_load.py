"""Heavy clients: does a cached page stay quick while scripts send searches the page cache cannot answer?

    .venv/bin/python bench/hostile_load.py --database PATH [--addresses] [-- GUNICORN OPTIONS]
    DATABASE_URL=postgres://…/imported REDIS_URL=redis://… .venv/bin/python bench/hostile_load.py

Serves the catalogue with gunicorn as `make run` does (gunicorn.conf.py: WEB_CONCURRENCY workers, 2 unless
set) on a free port of 127.0.0.1, with the rates of the environment (SEARCH_RATE, SUGGEST_RATE) or the
site's defaults. A disease page with the most symptom rows is fetched until every worker has it cached; its
quiet median latency is then measured over --quiet requests. Then --clients hostile clients each send
--each searches and --each suggestions for "the s" with an extra random parameter (so the page cache never
answers them), as fast as answers come, while one more client fetches the cached page over and over; when
the hostile clients are done, the cached page's median and p95 under load, their ratio to the quiet median,
and the hostile requests' status counts are printed as Markdown for the README. The static files are
collected into a temporary folder first (about 10 s), removed at the end.

The hostile clients come from one address (four processes of one script) unless --addresses, which
gives each its own through X-Forwarded-For with TRUSTED_PROXY_COUNT=1 (clients behind one proxy).
Options after -- go to gunicorn (-- --worker-class gthread --threads 4), to measure what they change.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import manage  # noqa: E402
from bench.servers import gunicorn  # noqa: E402

HOSTILE_QUERY = "the%20s"


def fetch(url: str, headers=None) -> tuple[int, float]:
    """The status and the seconds one request took (an error status is an answer too)."""
    request = urllib.request.Request(url, headers=headers or {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return status, time.perf_counter() - started


def busiest_disease_page(env) -> str:
    os.environ.update(env)
    import django

    django.setup()
    from django.db.models import Count

    from gard.models import Disease

    slug = Disease.objects.annotate(rows=Count("annotations")).order_by("-rows", "slug").values_list("slug", flat=True)
    return f"/diseases/{slug.first()}/"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def hostile(base: str, number: int, each: int, forwarded: bool) -> Counter:
    """One hostile client (a process of its own, so the measuring client shares no interpreter with it)."""
    headers = {"X-Forwarded-For": f"198.51.100.{number + 1}"} if forwarded else {}
    randomness = random.Random(number)
    statuses = Counter()
    for _ in range(each):
        for path in ("/search/", "/search/suggest/"):
            status, _ = fetch(f"{base}{path}?q={HOSTILE_QUERY}&x={randomness.getrandbits(48):x}", headers)
            statuses[path, status] += 1
    return statuses


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, help="an imported SQLite catalogue (default: DATABASE_URL's)")
    parser.add_argument("--quiet", type=int, default=50, help="requests for the quiet median")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--each", type=int, default=20, help="searches and as many suggestions per client")
    parser.add_argument("--addresses", action="store_true", help="each hostile client from its own address")
    parser.add_argument("gunicorn", nargs=argparse.REMAINDER, help="-- then options for gunicorn")
    args = parser.parse_args()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gard.settings"}
    if args.database:
        env["SQLITE_PATH"] = str(args.database.resolve())
    if args.addresses:
        env["TRUSTED_PROXY_COUNT"] = "1"
    static_root = tempfile.TemporaryDirectory(prefix="hostile-static-")
    env["STATIC_ROOT"] = static_root.name  # collected afresh, as `make run` does, without touching staticfiles/
    manage(env, "collectstatic", "--noinput", "-v0")
    page = busiest_disease_page(env)
    workers = int(env.get("WEB_CONCURRENCY", "2"))
    options = [option for option in args.gunicorn if option != "--"]
    with gunicorn(env, ["--workers", str(workers), *options]) as server:
        base = server.base
        for _ in range(10 * workers):  # every worker renders and caches it (its own memory, or the shared Redis)
            status, _ = fetch(base + page)
            if status != 200:
                sys.exit(f"{page}: {status}, not 200")
        quiet = [fetch(base + page)[1] * 1000 for _ in range(args.quiet)]
        loaded, started = [], time.perf_counter()
        with ProcessPoolExecutor(max_workers=args.clients) as pool:
            clients = [pool.submit(hostile, base, number, args.each, args.addresses) for number in range(args.clients)]
            while not all(client.done() for client in clients):
                status, seconds = fetch(base + page)
                if status != 200:
                    sys.exit(f"{page} under load: {status}, not 200")
                loaded.append(seconds * 1000)
            elapsed = time.perf_counter() - started
            statuses = sum((client.result() for client in clients), Counter())
    static_root.cleanup()
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    cache = "Redis" if env.get("REDIS_URL") else "local memory"
    quiet_median, loaded_median = statistics.median(quiet), statistics.median(loaded)
    counts = ", ".join(
        f"{path} {status}: {count}" for (path, status), count in sorted(statuses.items(), key=lambda item: item[0])
    )
    print(f"{database}, {cache} cache, {workers} gunicorn workers {' '.join(options)}; {page}")
    print(f"rates: SEARCH_RATE={env.get('SEARCH_RATE', 'default')}, SUGGEST_RATE={env.get('SUGGEST_RATE', 'default')}")
    print(
        f"hostile: {args.clients} clients x {args.each} searches + {args.each} suggestions"
        f" ({'one address each' if args.addresses else 'one address'}), {elapsed:.1f} s\n"
    )
    print("| Cached page, quiet median | under load: median | p95 | median / quiet | hostile answers |")
    print("|---|---|---|---|---|")
    print(
        f"| {quiet_median:.1f} ms | {loaded_median:.1f} ms | {percentile(loaded, 0.95):.1f} ms"
        f" | {loaded_median / quiet_median:.1f}x | {counts} |"
    )


if __name__ == "__main__":
    main()
