"""`make audit`: the site as deployed, checked by Lighthouse, the Nu HTML Checker and pa11y.

    .venv/bin/python bench/site_audit.py [--only NAME ...] [--site DIR]

Builds the site with the sample catalogue on a SQLite file of its own in a temporary folder (migrate,
the source documents, the HPO sample of fixtures/hpo_sample, the open data, static files collected),
serves it with gunicorn (gunicorn.conf.py, DEBUG off) on a free loopback port, picks the pages to check
from its database, and runs on each page, at a phone's width (375 px, Lighthouse's mobile emulation)
and on a desktop (Lighthouse's desktop preset, 1280x800):

- the Nu HTML Checker (vnu.jar) once over every page's HTML as served;
- pa11y with both its runners (axe-core and HTML_CodeSniffer), WCAG 2 AA;
- Lighthouse (performance, accessibility, best practices, SEO).

It fails (exit status 1) on any Nu error, any pa11y error, a Lighthouse accessibility, best-practices or
SEO score below 100, or a page answering another status than expected. Pages not meant for search engines
(a robots noindex tag, or robots.txt keeping crawlers out) are excepted from SEO, and the 404 page from the
console error that is Chrome logging its status. Performance is reported, never failed on. A Lighthouse
run that fails to record the page is run again (three runs at most). Reports go to build/audit/: each
tool's JSON (and Lighthouse's HTML), the pages' HTML, summary.json and summary.txt (the table printed at
the end).

The tools are those of bench/audit/package.json (`npm ci` there; `make audit` does it), with Debian's
Chromium and Java. ``--site DIR`` keeps the built site in DIR and reuses it on the next run.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.servers import CHROMIUM, CHROMIUM_ARGS, gunicorn  # noqa: E402

TOOLS = ROOT / "bench" / "audit" / "node_modules"
OUT = ROOT / "build" / "audit"
VIEWPORTS = {"mobile": {"width": 375, "height": 667}, "desktop": {"width": 1280, "height": 800}}
# Lighthouse's categories: the first three must score 100; performance is reported only.
GATED = ("accessibility", "best-practices", "seo")
CATEGORIES = ("performance", *GATED)
TOOL_TIMEOUT = 180  # seconds for one run of pa11y or Lighthouse
LIGHTHOUSE_ATTEMPTS = 3


@dataclass
class Page:
    name: str
    path: str
    status: int = 200
    # Filled in by the run:
    answered: int | None = None
    indexed: bool = True
    nu: list = field(default_factory=list)  # the checker's messages for this page
    pa11y: dict = field(default_factory=dict)  # viewport -> issues (or {"error": text} if pa11y failed)
    lighthouse: dict = field(default_factory=dict)  # viewport -> {category: score 0-100 or None}

    @property
    def slug(self) -> str:
        ascii_name = unicodedata.normalize("NFKD", self.name).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


# --- What passes -------------------------------------------------------------------------------------------


def robots_rules(text: str) -> list[tuple[bool, str]]:
    """The (allow, pattern) rules robots.txt gives every crawler (its ``User-agent: *`` groups)."""
    rules, agents, in_rules = [], [], False
    for line in text.splitlines():
        key, _, value = line.split("#", 1)[0].partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(value)
        elif key in ("allow", "disallow"):
            in_rules = True
            if "*" in agents and value:
                rules.append((key == "allow", value))
    return rules


def _robots_regex(pattern: str) -> re.Pattern:
    anchored = pattern.endswith("$")
    body = ".*".join(re.escape(part) for part in pattern.rstrip("$").split("*"))
    return re.compile(body + ("$" if anchored else ""))


def crawlable(rules: list[tuple[bool, str]], address: str) -> bool:
    """Whether a crawler may fetch this path (with its query string), as search engines read robots.txt:
    the longest matching pattern wins, Allow over Disallow on a tie; no match allows."""
    best = None
    for allow, pattern in rules:
        if _robots_regex(pattern).match(address):
            key = (len(pattern), allow)
            if best is None or key > best:
                best = key
    return best is None or best[1]


def meant_for_search_engines(html: str, rules: list[tuple[bool, str]], address: str) -> bool:
    """False for a page with a robots noindex tag or one robots.txt keeps crawlers away from."""
    for tag in re.findall(r"<meta\b[^>]*>", html, flags=re.IGNORECASE):
        if re.search(r"""name\s*=\s*["']?robots""", tag, re.I) and re.search(r"noindex", tag, re.I):
            return False
    return crawlable(rules, address)


def nu_errors(messages: list) -> list:
    """The Nu HTML Checker's errors (its "info" messages, warnings among them, do not count)."""
    return [message for message in messages if message.get("type") in ("error", "non-document-error")]


def rule_counts(errors: list) -> str:
    """ "axe color-contrast x3, htmlcs WCAG2AA.Principle1.Guideline1_3.1_3_1.H49 x1" (pa11y), by count."""
    counts = {}
    for error in errors:
        rule = f"{error.get('runner', 'pa11y')} {str(error.get('code', error.get('error', '?')))[:200]}"
        counts[rule] = counts.get(rule, 0) + 1
    return ", ".join(f"{rule} x{count}" for rule, count in sorted(counts.items(), key=lambda item: -item[1]))


def pa11y_errors(issues) -> list:
    if isinstance(issues, dict):  # pa11y itself failed on the page
        return [issues]
    return [issue for issue in issues if issue.get("type") == "error"]


def failures(page: Page) -> list[str]:
    """Why the page fails the audit; empty when it passes."""
    found = []
    if page.answered != page.status:
        found.append(f"answered {page.answered}, not {page.status}")
    if errors := nu_errors(page.nu):
        found.append(f"{len(errors)} Nu error(s)")
    for viewport in VIEWPORTS:
        if errors := pa11y_errors(page.pa11y.get(viewport, {"error": "not run"})):
            found.append(f"{len(errors)} pa11y error(s) ({viewport}: {rule_counts(errors)})")
        scores = page.lighthouse.get(viewport, {})
        for category in GATED:
            if category == "seo" and not page.indexed:
                continue
            score = scores.get(category)
            if score is None or (score < 100 and not only_own_error_status(page, scores, category)):
                why = ", ".join(scores.get("failing", {}).get(category, [])) or scores.get("error", "not scored")
                found.append(f"Lighthouse {category} {score} ({viewport}: {why})")
    return found


def only_own_error_status(page: Page, scores: dict, category: str) -> bool:
    """Whether all a page meant to answer an error (the 404) loses in the category is Chrome logging that
    status as a console error: the page doing what it should, not a fault in it."""
    if page.status == 200 or scores.get("failing", {}).get(category) != ["errors-in-console"]:
        return False
    return all(
        error.get("source") == "network" and urllib.parse.urlsplit(error.get("url", "")).path == page.path
        for error in scores.get("console_errors", [])
    )


# --- The site ----------------------------------------------------------------------------------------------


def site_environment(folder: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        SQLITE_PATH=str(folder / "site.sqlite3"),
        STATIC_ROOT=str(folder / "static"),
        DEBUG="False",
        ALLOWED_HOSTS="127.0.0.1",
        # The tools load each page many times from one address: rate limits would answer them 429.
        RATELIMIT_ENABLE="False",
        PYTHONUNBUFFERED="1",
    )
    return env


def build_site(env: dict) -> None:
    sample = ROOT / "fixtures" / "hpo_sample"
    steps = [
        ("migrate", "--noinput"),
        ("load_documents",),
        (
            "import_hpo",
            "--obo",
            str(sample / "hp.obo"),
            "--annotations",
            str(sample / "phenotype.hpoa"),
            "--genes",
            str(sample / "genes_to_phenotype.txt"),
        ),
        ("import_open_data",),
        ("collectstatic", "--noinput", "--verbosity", "0"),
    ]
    for step in steps:
        started = time.monotonic()
        subprocess.run([sys.executable, "manage.py", *step], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        print(f"  manage.py {step[0]}: {time.monotonic() - started:.0f} s", flush=True)


def pick_pages(env: dict, base: str) -> list[Page]:
    """The pages to check, found in the site's database."""
    os.environ.update(SQLITE_PATH=env["SQLITE_PATH"], DJANGO_SETTINGS_MODULE="gard.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.db.models import Count
    from django.urls import reverse

    from gard.models import Annotation, Disease

    def disease(start: str) -> Disease:
        found = Disease.objects.filter(name__istartswith=start).order_by("name").first()
        if found is None:
            raise SystemExit(f"No disease named {start}… in the sample catalogue")
        return found

    alpers, alstrom, renu = disease("Alpers"), disease("Alström"), disease("ReNU")
    symptoms = Annotation.objects.symptoms().filter(disease=renu)
    # The table filtered as a reader would: a word of one of its symptoms, in the group most of them are in
    # (one the page offers as a choice).
    html = fetch(base + renu.get_absolute_url())[1]
    offered = set(re.findall(r'name="frequency" value="([a-z_]+)"', html))
    frequency = (
        symptoms.filter(frequency__in=offered)
        .values_list("frequency", flat=True)
        .annotate(count=Count("pk"))
        .order_by("-count", "frequency")
        .first()
    )
    term = symptoms.filter(frequency=frequency).order_by("phenotype__name").first().phenotype
    word = max(re.findall(r"[A-Za-z]+", term.name), key=len).lower()
    common = (
        symptoms.values_list("phenotype__hpo_id", flat=True)
        .annotate(count=Count("pk"))
        .order_by("-count", "phenotype__hpo_id")
    )
    shared = list(
        Annotation.objects.symptoms()
        .filter(phenotype__hpo_id__in=list(common[:20]))
        .values_list("phenotype__hpo_id", flat=True)
        .annotate(diseases=Count("disease", distinct=True))
        .order_by("-diseases", "phenotype__hpo_id")
    )
    symptom = shared[0]
    finder = urllib.parse.urlencode([("term", hpo_id) for hpo_id in shared[:3]])
    table = urllib.parse.urlencode({"q": word, "frequency": frequency})
    search_word = re.sub(r"[^a-z]", "", alstrom.name.split()[0].lower().replace("ö", "o"))
    return [
        Page("home", reverse("home")),
        Page("search results", reverse("search") + "?" + urllib.parse.urlencode({"q": search_word})),
        Page(f"letter {alpers.name[0].upper()}", reverse("disease-letter", args=[alpers.name[0].upper()])),
        Page(alpers.name, alpers.get_absolute_url()),
        Page(alstrom.name, alstrom.get_absolute_url()),
        Page(renu.name, renu.get_absolute_url()),
        Page(f"{renu.name} filtered", f"{renu.get_absolute_url()}?{table}"),
        Page(f"symptom {symptom}", reverse("symptom-detail", args=[symptom])),
        Page("finder", reverse("finder") + "?" + finder),
        Page("404", "/diseases/no-such-disease/", status=404),
    ]


def fetch(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


# --- The tools ---------------------------------------------------------------------------------------------


def run_nu(pages: list[Page], files: dict) -> None:
    jar = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
    done = subprocess.run(
        ["java", "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, files.values())],
        capture_output=True,
        text=True,
        timeout=TOOL_TIMEOUT,
    )
    report = json.loads(done.stderr or done.stdout)
    (OUT / "nu.json").write_text(json.dumps(report, indent=1))
    by_file = {}
    for message in report.get("messages", []):
        by_file.setdefault(urllib.parse.unquote(message.get("url", "")).removeprefix("file:"), []).append(message)
    for page in pages:
        page.nu = by_file.get(str(files[page.name]), [])


def run_pa11y(base: str, page: Page, viewport: str) -> None:
    size = VIEWPORTS[viewport]
    config = {
        "chromeLaunchConfig": {"executablePath": CHROMIUM, "args": CHROMIUM_ARGS},
        "viewport": {**size, "isMobile": viewport == "mobile"},
        "standard": "WCAG2AA",
        "runners": ["axe", "htmlcs"],
        "timeout": TOOL_TIMEOUT * 1000,
    }
    folder = OUT / "pa11y"
    config_file = folder / f"{page.slug}-{viewport}.config.json"
    config_file.write_text(json.dumps(config))
    done = subprocess.run(
        [str(TOOLS / ".bin" / "pa11y"), "--config", str(config_file), "--reporter", "json", base + page.path],
        capture_output=True,
        text=True,
        timeout=TOOL_TIMEOUT,
        env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "true"},
    )
    try:
        issues = json.loads(done.stdout)
    except json.JSONDecodeError:
        issues = {"error": (done.stderr or done.stdout).strip()[-2000:]}
    (folder / f"{page.slug}-{viewport}.json").write_text(json.dumps(issues, indent=1))
    page.pa11y[viewport] = issues


def run_lighthouse(base: str, page: Page, viewport: str) -> None:
    output = OUT / "lighthouse" / f"{page.slug}-{viewport}"
    command = [
        "node",
        str(TOOLS / "lighthouse" / "cli" / "index.js"),
        base + page.path,
        "--quiet",
        "--output=json",
        "--output=html",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
    ]
    if viewport == "desktop":
        command.append("--preset=desktop")
    if page.status != 200:  # the 404 page: scored as it is, not refused as a page that failed to load
        command.append("--ignore-status-code")
    # A run that fails to record the page (Lighthouse's NO_NAVSTART and the like, seen on a busy machine)
    # is run again, up to LIGHTHOUSE_ATTEMPTS times in all; a run that recorded it stands, whatever it scored.
    for _attempt in range(LIGHTHOUSE_ATTEMPTS):
        scores = lighthouse_once(command, output)
        if "error" not in scores and None not in (scores[category] for category in CATEGORIES):
            break
    page.lighthouse[viewport] = scores


def lighthouse_once(command: list[str], output: Path) -> dict:
    """One Lighthouse run: its category scores (0-100, None where it could not score one), the gated
    categories' failing audits, and its runtime error if it had one."""
    report_file = output.with_name(output.name + ".report.json")
    report_file.unlink(missing_ok=True)
    done = subprocess.run(
        command, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, timeout=TOOL_TIMEOUT
    )
    scores = dict.fromkeys(CATEGORIES)
    if not report_file.exists():
        scores["error"] = done.stderr.strip()[-500:] or f"Lighthouse exited {done.returncode}"
        return scores
    report = json.loads(report_file.read_text())
    if error := report.get("runtimeError"):
        scores["error"] = error.get("message")
    for category in CATEGORIES:
        score = report["categories"].get(category, {}).get("score")
        scores[category] = None if score is None else round(score * 100)
    scores["failing"] = {
        category: failing
        for category in GATED
        if (
            failing := [
                ref["id"]
                for ref in report["categories"].get(category, {}).get("auditRefs", [])
                if ref["weight"] and report["audits"][ref["id"]].get("score") not in (None, 1)
            ]
        )
    }
    console = report["audits"].get("errors-in-console", {}).get("details", {}).get("items", [])
    scores["console_errors"] = [
        {"source": item.get("source"), "url": item.get("sourceLocation", {}).get("url", item.get("url", ""))}
        for item in console
    ]
    return scores


# --- The run -----------------------------------------------------------------------------------------------


def table(pages: list[Page]) -> str:
    head = ("page", "viewport", "perf", "a11y", "best pr.", "SEO", "Nu err.", "pa11y err.", "verdict")
    rows = [head]
    for page in pages:
        verdict = "fail" if failures(page) else "pass"
        for viewport in VIEWPORTS:
            scores = page.lighthouse.get(viewport, {})
            seo = scores.get("seo")
            rows.append(
                (
                    page.name,
                    viewport,
                    *(str(scores.get(category)) for category in CATEGORIES[:3]),
                    f"{seo}" + ("" if page.indexed else " (not indexed)"),
                    str(len(nu_errors(page.nu))),
                    str(len(pa11y_errors(page.pa11y.get(viewport, {"error": "not run"})))),
                    verdict,
                )
            )
    widths = [max(len(row[column]) for row in rows) for column in range(len(head))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", help="check only the pages whose name contains this")
    parser.add_argument("--site", type=Path, help="keep the built site here and reuse it on later runs")
    args = parser.parse_args()
    for tool in (CHROMIUM, TOOLS / ".bin" / "pa11y", TOOLS / "lighthouse"):
        if not Path(tool).exists():
            raise SystemExit(f"{tool} is missing: `make audit` installs the tools (bench/audit, Debian's Chromium)")
    if shutil.which("java") is None:
        raise SystemExit("java is missing (Debian: default-jre-headless)")
    started = time.monotonic()
    shutil.rmtree(OUT, ignore_errors=True)
    for folder in ("html", "pa11y", "lighthouse"):
        (OUT / folder).mkdir(parents=True)

    with tempfile.TemporaryDirectory() as temporary:
        folder = args.site or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        env = site_environment(folder.resolve())
        if not (folder / "site.sqlite3").exists():
            print("== The site with the sample catalogue", flush=True)
            build_site(env)
        with gunicorn(env, log=OUT / "gunicorn.log") as server:
            base = server.base
            pages = pick_pages(env, base)
            if args.only:
                pages = [page for page in pages if any(part.lower() in page.name.lower() for part in args.only)]
            rules = robots_rules(fetch(base + "/robots.txt")[1])
            files = {}
            for page in pages:
                page.answered, html = fetch(base + page.path)
                page.indexed = meant_for_search_engines(html, rules, page.path)
                files[page.name] = (OUT / "html" / f"{page.slug}.html").resolve()
                files[page.name].write_text(html)
            print(f"== {len(pages)} pages on {base}: the Nu HTML Checker and pa11y", flush=True)
            with ThreadPoolExecutor(max_workers=2) as pool:
                nu = pool.submit(run_nu, pages, files)
                checks = [pool.submit(run_pa11y, base, page, viewport) for page in pages for viewport in VIEWPORTS]
                for check in [nu, *checks]:
                    check.result()
            if not server.running:
                raise SystemExit(f"gunicorn stopped during the audit: see {OUT / 'gunicorn.log'}")
            print(f"   {time.monotonic() - started:.0f} s so far", flush=True)
            print("== Lighthouse, one page at a time", flush=True)
            for page in pages:
                for viewport in VIEWPORTS:
                    if not server.running:
                        raise SystemExit(f"gunicorn stopped during the audit: see {OUT / 'gunicorn.log'}")
                    run_lighthouse(base, page, viewport)
                    scores = page.lighthouse[viewport]
                    line = ", ".join(f"{category} {scores[category]}" for category in CATEGORIES)
                    if failing := scores.get("failing"):
                        line += f"; below 100 by {failing}"
                    if error := scores.get("error"):
                        line += f"; {error}"
                    print(f"   {page.name} ({viewport}): {line}", flush=True)

    elapsed = time.monotonic() - started
    text = table(pages)
    failing = {page.name: failures(page) for page in pages if failures(page)}
    summary = {
        "seconds": round(elapsed),
        "pages": [
            {
                "name": page.name,
                "path": page.path,
                "indexed": page.indexed,
                "lighthouse": page.lighthouse,
                "nu_errors": len(nu_errors(page.nu)),
                "pa11y_errors": {viewport: len(pa11y_errors(page.pa11y.get(viewport, []))) for viewport in VIEWPORTS},
                "failures": failures(page),
            }
            for page in pages
        ],
    }
    (OUT / "summary.json").write_text(json.dumps(summary, indent=1))
    (OUT / "summary.txt").write_text(text + "\n")
    print()
    print(text)
    print()
    for name, reasons in failing.items():
        print(f"FAIL {name}: {'; '.join(reasons)}")
    print(f"{len(pages)} pages, {len(failing)} failing; {elapsed:.0f} s; reports in {OUT.relative_to(ROOT)}/")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
