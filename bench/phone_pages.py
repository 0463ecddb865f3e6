"""Disease pages on a phone: Lighthouse's mobile performance score, several runs per page, medians.

    .venv/bin/python bench/phone_pages.py [--database PATH] [--runs 5] [--largest 5]

Serves the catalogue `make run` imported (db.sqlite3, or --database, or DATABASE_URL) with gunicorn as
`make run` does, static files collected into a temporary folder, and runs Lighthouse (bench/audit's
pinned version, `make audit` installs it; Debian's Chromium) with its default mobile settings: a
mid-range phone emulated at 412 px, 4x slower CPU and a slow 4G network, simulated. The pages: Alpers
syndrome, Alström syndrome, ReNU syndrome, the ``--largest`` diseases with the most symptoms, the
disease with the longest written text, and the home page for comparison.

Prints, per page, the median over ``--runs`` runs of the performance score, total blocking time, largest
contentful paint and the page's DOM elements, and the lowest score; exits 1 if a page's median score is
under the target (95). Each run takes 10-20 s; the scores move with the machine's load, so run it on a
quiet machine.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import manage  # noqa: E402
from bench.servers import CHROMIUM, CHROMIUM_ARGS, gunicorn  # noqa: E402
from bench.site_audit import LIGHTHOUSE_ATTEMPTS, TOOLS  # noqa: E402

LIGHTHOUSE = TOOLS / ".bin" / "lighthouse"
TARGET = 95
NAMED = ["alpers-syndrome", "alstrom-syndrome", "renu-syndrome"]


def pages(env, largest: int) -> list[str]:
    os.environ.update(env)
    import django

    django.setup()
    from django.db.models import Count, Sum
    from django.db.models.functions import Length

    from gard.models import Disease

    by_symptoms = Disease.objects.annotate(terms=Count("annotations__phenotype", distinct=True))
    slugs = NAMED + list(by_symptoms.order_by("-terms", "slug").values_list("slug", flat=True)[:largest])
    longest = Disease.objects.annotate(text=Sum(Length("sections__body"))).filter(text__isnull=False)
    slugs.append(longest.order_by("-text", "slug").values_list("slug", flat=True).first())
    return ["/", *(f"/diseases/{slug}/" for slug in dict.fromkeys(slugs))]


def lighthouse(command: Path, url: str, report: Path) -> dict:
    """One mobile run's performance figures. A run that fails to record the page (Lighthouse's NO_NAVSTART,
    now and then) is run again, as the audit does."""
    for _attempt in range(LIGHTHOUSE_ATTEMPTS):
        report.unlink(missing_ok=True)
        subprocess.run(
            [
                str(command),
                url,
                "--only-categories=performance",
                "--output=json",
                f"--output-path={report}",
                f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
                "--quiet",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            timeout=180,
        )
        result = json.loads(report.read_text()) if report.exists() else {}
        if result and result["categories"]["performance"]["score"] is not None:
            break
    else:
        sys.exit(f"Lighthouse could not score {url} in {LIGHTHOUSE_ATTEMPTS} attempts")
    audits = result["audits"]
    return {
        "score": round(result["categories"]["performance"]["score"] * 100),
        "tbt": audits["total-blocking-time"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "elements": audits["dom-size"]["numericValue"],
        "kb": audits["total-byte-weight"]["numericValue"] / 1024,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, help="an imported SQLite catalogue (default: DATABASE_URL's)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--largest", type=int, default=5)
    parser.add_argument("--lighthouse", type=Path, default=LIGHTHOUSE, help="Lighthouse 12's command")
    args = parser.parse_args()
    if not args.lighthouse.exists():
        sys.exit(f"{args.lighthouse} is missing: `make audit` installs it (or `npm ci` in bench/audit).")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gard.settings", "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1"}
    if args.database:
        env["SQLITE_PATH"] = str(args.database.resolve())
    scratch = tempfile.TemporaryDirectory(prefix="phone-pages-")
    env["STATIC_ROOT"] = str(Path(scratch.name) / "static")
    manage(env, "collectstatic", "--noinput", "-v0")
    paths = pages(env, args.largest)
    results = {}
    with gunicorn(env) as server:
        base = server.base
        for number in range(args.runs):  # runs interleaved: a busy moment of the machine spreads over the pages
            for path in paths:
                figures = lighthouse(args.lighthouse, base + path, Path(scratch.name) / "report.json")
                results.setdefault(path, []).append(figures)
                print(f"run {number + 1}: {path} {figures['score']}", file=sys.stderr, flush=True)
    scratch.cleanup()
    print(f"Lighthouse mobile performance, median of {args.runs} runs (target {TARGET}), on {os.cpu_count()} cores\n")
    print("| Page | Score | Lowest | Total blocking time | Largest contentful paint | DOM elements | Sent |")
    print("|---|---|---|---|---|---|---|")
    below = []
    for path, runs in results.items():
        score = statistics.median(run["score"] for run in runs)
        if path != "/" and score < TARGET:
            below.append(path)
        print(
            f"| {path} | {score:g} | {min(run['score'] for run in runs)}"
            f" | {statistics.median(run['tbt'] for run in runs):.0f} ms"
            f" | {statistics.median(run['lcp'] for run in runs) / 1000:.1f} s"
            f" | {runs[0]['elements']:,.0f} | {runs[0]['kb']:.0f} KB |"
        )
    if below:
        sys.exit(f"\nUnder {TARGET}: {', '.join(below)}")


if __name__ == "__main__":
    main()
