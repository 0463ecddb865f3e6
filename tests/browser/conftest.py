"""Driving Debian's Chromium through Playwright against the site served by pytest-django's live_server.

Fixtures:
- ``browser``: one Chromium for the browser tests (it fails, never skips, when Chromium is missing);
- ``new_page(width=1280, height=900)``: a fresh page whose relative addresses go to the live server;
  console errors, uncaught script errors and Content-Security-Policy violations fail the test;
- ``site``: the pages built from the source documents; ``catalogue_site``: those plus a real sample
  of the HPO release (fixtures/hpo_sample/, written by ``manage.py build_hpo_sample``) imported.
"""

import os
import sqlite3

import pytest
from django.core.management import call_command
from django.db import connections, transaction

from tests.browser.helpers import HPO_SAMPLE, OPEN_DATA
from tests.servers import CHROMIUM, CHROMIUM_ARGS

ERRORS = pytest.StashKey[list]()


@pytest.fixture(scope="package", autouse=True)
def _orm_beside_playwright():
    """Playwright's sync API keeps an asyncio loop running in this thread, so Django refuses ORM calls
    here (SynchronousOnlyOperation). Nothing else runs in that loop, so the check is lifted for these
    tests only, and restored when they end."""
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(scope="package")
def browser(_orm_beside_playwright):
    """Debian's Chromium, started once for the browser tests and closed after them (its loop must not
    outlive them: the other tests use the ORM in this thread)."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium package "
            "(.ci/run installs it, or run `apt-get install chromium`)"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _watch(page, errors: list):
    """Record in errors this page's console errors, uncaught script errors, CSP violations (Chromium logs
    them as console errors) and files it failed to load."""

    def on_response(response):
        # Documents are the tests' own concern (the 404 page is opened on purpose and its status checked);
        # there is no favicon, which Chromium asks for anyway.
        failed = response.status >= 400 and response.request.resource_type != "document"
        if failed and not response.url.endswith("/favicon.ico"):
            errors.append(f"{response.status} for {response.url} on {page.url}")

    def on_console(message):
        # "Failed to load resource" repeats a status that on_response has judged already.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(f"console error on {page.url}: {message.text}")

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"script error on {page.url}: {error}"))


@pytest.fixture
def new_page(browser, live_server, request):
    """new_page(width=1280, height=900) -> a Playwright page on the live server, closed after the test."""
    contexts = []
    errors = request.node.stash.setdefault(ERRORS, [])

    def make(width=1280, height=900):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}, accept_downloads=True
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        _watch(page, errors)
        # Pages opened from this one afterwards (a link with a target, window.open) are watched too.
        context.on("page", lambda opened: _watch(opened, errors))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A browser test whose pages logged an error, a script error or a CSP violation fails."""
    result = yield
    errors = item.stash.get(ERRORS, [])
    if errors:
        raise AssertionError("the browser reported errors:\n" + "\n".join(errors))
    return result


_snapshots: dict[str, object] = {}


def _load(name: str, load):
    """Run load() into the test database, which the live server shares. transactional_db empties the
    database after every test, and a load takes seconds (an import on PostgreSQL: about ten), so the
    first load's result is kept and later tests restore that copy: SQLite in memory by its backup API,
    PostgreSQL by COPY of every table (``_PostgresSnapshot``)."""
    connection = connections["default"]
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        if name not in _snapshots:
            load()
            _snapshots[name] = _PostgresSnapshot(connection)
        else:
            _snapshots[name].restore(connection)
        return
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        load()
        return
    if name in _snapshots:
        _snapshots[name].backup(connection.connection)
        return
    load()
    snapshot = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(snapshot)
    _snapshots[name] = snapshot


class _PostgresSnapshot:
    """The rows of every table of the schema (migrations' record aside), copied out in PostgreSQL's COPY
    format, and put back as they were: tables emptied, rows copied in, each sequence set past its rows.
    Foreign keys are deferred to the commit, so the order of the tables does not matter."""

    def __init__(self, connection):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "AND tablename <> 'django_migrations' ORDER BY tablename"
            )
            self.tables = [row[0] for row in cursor.fetchall()]
            self.rows = {}
            for table in self.tables:
                with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                    self.rows[table] = b"".join(bytes(block) for block in copy)
            cursor.execute(
                "SELECT s.relname, t.relname, a.attname FROM pg_class s "
                "JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass "
                "JOIN pg_class t ON t.oid = d.refobjid "
                "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid "
                "WHERE s.relkind = 'S' AND s.relnamespace = current_schema()::regnamespace"
            )
            self.sequences = cursor.fetchall()

    def restore(self, connection):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("TRUNCATE " + ", ".join(f'"{table}"' for table in self.tables) + " CASCADE")
            for table in self.tables:
                if self.rows[table]:
                    with cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                        copy.write(self.rows[table])
            for sequence, table, column in self.sequences:
                cursor.execute(
                    f'SELECT setval(%s, COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)',
                    [sequence],
                )


@pytest.fixture
def site(transactional_db, live_server):
    """The site as built from the source documents, served by the live server."""
    _load("site", lambda: call_command("loaddata", "source_documents", verbosity=0))


@pytest.fixture
def catalogue_site(transactional_db, live_server):
    """The documents plus a real sample of the HPO release imported by import_hpo, then the site's open
    data (fixtures/open_data) as `make run` imports them: Renu syndrome (the largest page), the Alström
    and Alpers records, Marfan syndrome, cystic fibrosis, Achondrogenesis type 1A (two records, one
    page) and two types of Ehlers-Danlos syndrome (a group page), with every term their annotations need."""

    def load():
        call_command("loaddata", "source_documents", verbosity=0)
        call_command(
            "import_hpo",
            obo=HPO_SAMPLE / "hp.obo",
            annotations=HPO_SAMPLE / "phenotype.hpoa",
            genes=HPO_SAMPLE / "genes_to_phenotype.txt",
            open_data=OPEN_DATA,
            verbosity=0,
        )
        call_command("import_open_data", data=OPEN_DATA, verbosity=0)

    _load("catalogue_site", load)
