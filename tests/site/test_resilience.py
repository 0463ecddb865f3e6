"""A sick cache or database costs visitors seconds, not the site (gard/cache_backends.py, gard/cache.py,
gard/db/, gard/health.py).

In-process: a cache that raises on every call, a database that refuses every query, SQLite's time limits.
Served by gunicorn, with the fault started and stopped by the test itself: a Redis server of the test's
own, killed or frozen (SIGSTOP); PostgreSQL behind a relay in this process, cut or frozen (PostgreSQL only:
the relay needs a database server). The served site gets short timeouts through its environment.
"""

import io
import logging
import os
import re
import runpy
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings
from django.core.cache.backends.base import BaseCache
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connection
from django.db.utils import ConnectionHandler
from django.urls import path

from gard import db
from gard.cache_backends import FailOpen
from gard.failures import Outage
from tests.factories import EDITOR_PASSWORD
from tests.html import page_text
from tests.servers import Relay, gunicorn, manage, redis_server, start_redis, stop_redis
from tests.site.test_two_servers import site_database

DISEASE = "/diseases/alpers-syndrome/"
PUBLIC_PAGES = ["/", DISEASE, "/diseases/letter/A/", "/symptoms/HP:0001251/", "/search/?q=alpers"]
TIMEOUT_NAMES = ("DATABASE_CONNECT_TIMEOUT", "DATABASE_QUERY_TIMEOUT", "REDIS_TIMEOUT", "RETRY_AFTER")
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


class Unreachable(BaseCache):
    """A cache whose server refuses every connection."""

    def __init__(self, location, params):
        super().__init__(params)

    def _refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("Connection refused")

    get = set = add = delete = touch = has_key = incr = clear = get_many = set_many = delete_many = _refuse


class UnreachableCache(FailOpen, Unreachable):
    """The site's fail-open layer over it, as over the Redis backend."""


@pytest.fixture
def unreachable_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "tests.site.test_resilience.UnreachableCache"}}


def refuse_queries(execute, sql, params, many, context):
    raise OperationalError("connection to server failed: Connection refused")


# -- in-process: both databases -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("documents", "unreachable_cache")
def test_a_cache_that_raises_on_every_call_leaves_pages_rendered_and_logs_once(client, caplog):
    with caplog.at_level(logging.ERROR, logger="gard.cache"):
        for path in PUBLIC_PAGES + PUBLIC_PAGES:
            response = client.get(path)
            assert response.status_code == 200, path
    assert "Alpers syndrome" in page_text(client.get(DISEASE))
    failures = [record for record in caplog.records if record.name == "gard.cache"]
    # The first failure is logged; the cache is then left alone for RETRY_AFTER seconds, so asked no more.
    assert len(failures) == 1
    assert "ConnectionRefusedError: Connection refused); pages are rendered without it" in failures[0].getMessage()


@pytest.mark.django_db
@pytest.mark.usefixtures("unreachable_cache")
def test_sign_in_works_without_the_cache(client, editor):
    assert client.get("/admin/login/").status_code == 200
    response = client.post("/admin/login/?next=/admin/", {"username": "editor", "password": EDITOR_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_repeated_failures_are_one_line_a_minute_and_the_recovery_says_how_many(caplog):
    outage = Outage("Cache", logging.getLogger("gard.cache"))
    with caplog.at_level(logging.INFO, logger="gard.cache"):
        for _ in range(5):
            outage.failed("get", ConnectionRefusedError("refused"), "pages are rendered without it")
        outage.failed("set", ConnectionRefusedError("refused"), "pages are rendered without it")
        assert outage.down()
        outage.answered()
        outage.answered()
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 3
    assert lines[0].startswith("Cache failed (get: ConnectionRefusedError: refused)")
    assert lines[1].startswith("Cache failed (set: ")
    assert lines[2] == "Cache answers again (4 more failures since the last line)"
    assert not outage.down()


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_without_the_database_cached_pages_are_served_and_others_are_the_503_page(client, caplog):
    assert client.get(DISEASE).status_code == 200  # stored
    with connection.execute_wrapper(refuse_queries), caplog.at_level(logging.ERROR, logger="gard.db"):
        cached = client.get(DISEASE)
        uncached = client.get("/diseases/letter/B/")
        ready = client.get("/readyz/")
        alive = client.get("/healthz/")
    assert cached.status_code == 200 and "Alpers syndrome" in page_text(cached)
    assert uncached.status_code == 503 and uncached["Retry-After"] == "5"
    assert "Temporarily unavailable" in page_text(uncached)
    assert ready.status_code == 503 and "database: failed (OperationalError)\n" in ready.text
    assert "cache: ok" in ready.text and "no-cache" in ready["Cache-Control"]
    assert alive.status_code == 200
    assert (
        caplog.records[0]
        .getMessage()
        .startswith("Database failed (content generation: OperationalError: connection to server failed")
    )
    # Back: pages are rendered and stored again.
    db.outage.answered()
    assert client.get("/diseases/letter/B/").status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_a_page_rendered_while_the_number_is_uncertain_is_not_stored(client):
    client.get(DISEASE)
    db.outage.failed("content generation", OperationalError("gone"), "test")  # left alone: the last number is used
    assert client.get("/diseases/letter/B/").status_code == 200  # the database answers the page itself
    db.outage.answered()
    with connection.execute_wrapper(refuse_queries):
        assert client.get(DISEASE).status_code == 200
        assert client.get("/diseases/letter/B/").status_code == 503  # it was not stored under the old number


@pytest.mark.django_db
@pytest.mark.usefixtures("unreachable_cache")
def test_readiness_names_the_cache_when_it_fails(client):
    response = client.get("/readyz/")
    assert response.status_code == 503 and response["Content-Type"] == "text/plain"
    assert response.text == "database: ok\ncache: failed (ConnectionRefusedError)\n"


@pytest.mark.django_db
def test_readiness_is_ok_when_both_answer(client):
    response = client.get("/readyz/")
    assert (response.status_code, response.text) == (200, "database: ok\ncache: ok\n")
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


def boom(request):
    raise ZeroDivisionError("a bug in a view")


urlpatterns = [path("boom/", boom)]  # for the test below


def test_a_request_error_is_logged_with_its_traceback_in_gunicorns_format(client, settings):
    settings.ROOT_URLCONF = "tests.site.test_resilience"
    client.raise_request_exception = False
    (handler,) = [each for each in logging.getLogger("django.request").handlers if type(each) is logging.StreamHandler]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        assert client.get("/boom/").status_code == 500
    finally:
        handler.setStream(previous)
    header, *traceback = stream.getvalue().splitlines()
    timestamp = r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\]"
    assert re.fullmatch(timestamp + r" \[\d+\] \[ERROR\] django.request: Internal Server Error: /boom/", header)
    assert traceback[0] == "Traceback (most recent call last):"
    assert traceback[-1] == "ZeroDivisionError: a bug in a view"


# -- settings ----------------------------------------------------------------------------------------

SETTINGS_FILE = str(settings.BASE_DIR / "gard" / "settings.py")
TIMEOUT_VARIABLES = ("DATABASE_URL", "REDIS_URL", "SENTRY_DSN", *TIMEOUT_NAMES)


def read_settings(monkeypatch, **environment):
    for name in TIMEOUT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(SETTINGS_FILE)


def test_timeouts_default_to_a_few_seconds_and_reach_the_database_and_cache_options(monkeypatch):
    sqlite = read_settings(monkeypatch)
    assert sqlite["DATABASES"]["default"]["OPTIONS"] == {"timeout": 5.0}
    assert (sqlite["DATABASE_QUERY_TIMEOUT"], sqlite["RETRY_AFTER"]) == (5.0, 5.0)
    served = read_settings(
        monkeypatch,
        DATABASE_URL="postgres://site:secret@db.internal:5432/rare",
        REDIS_URL="redis://cache.internal:6379/0",
        DATABASE_CONNECT_TIMEOUT="4.5",
        REDIS_TIMEOUT="0.5",
    )
    assert served["DATABASES"]["default"]["OPTIONS"] == {"connect_timeout": 5}  # libpq counts whole seconds
    assert served["CACHES"]["default"]["OPTIONS"] == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


@pytest.mark.parametrize("value", ["0", "-1", "soon", "", "7200"])
def test_a_timeout_that_is_not_a_usable_number_of_seconds_stops_start_up(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured, match="REDIS_TIMEOUT must be a number of seconds above 0"):
        read_settings(monkeypatch, REDIS_TIMEOUT=value)


def test_errors_go_to_the_error_tracker_only_when_sentry_dsn_is_set():
    script = "import django, sentry_sdk; django.setup(); print(sentry_sdk.get_client().is_active())"
    env = {name: value for name, value in os.environ.items() if name != "SENTRY_DSN"}
    env["DJANGO_SETTINGS_MODULE"] = "gard.settings"

    def active(**environment):
        run = subprocess.run(
            [sys.executable, "-c", script],
            env={**env, **environment},
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 0, run.stderr
        return run.stdout.strip()

    assert active() == "False"
    assert active(SENTRY_DSN="https://public@errors.example.org/1") == "True"


# -- SQLite's limits (a database file of the test's own, on either run) -------------------------------


@contextmanager
def sqlite_connection(path, timeout=5.0):
    handler = ConnectionHandler(
        {"default": {"ENGINE": "gard.db.sqlite3", "NAME": str(path), "OPTIONS": {"timeout": timeout}}}
    )
    database = handler["default"]
    try:
        yield database
    finally:
        database.close()


COUNT_FOREVER = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


@pytest.mark.django_db  # lets the test open connections of its own
def test_sqlite_interrupts_a_query_running_past_its_time_limit(tmp_path):
    with sqlite_connection(tmp_path / "limits.sqlite3") as database, db.time_limit(0.3):
        started = time.monotonic()
        with pytest.raises(OperationalError, match="interrupted"), database.cursor() as cursor:
            cursor.execute(COUNT_FOREVER)
        assert time.monotonic() - started < 2
        with database.cursor() as cursor:  # the next query runs as usual
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)


@pytest.mark.django_db  # lets the test open connections of its own
def test_sqlite_gives_up_waiting_for_a_lock_after_its_busy_timeout(tmp_path):
    path = tmp_path / "locked.sqlite3"
    with sqlite_connection(path) as holder, sqlite_connection(path, timeout=0.3) as waiter:
        with holder.cursor() as cursor:
            cursor.execute("CREATE TABLE note (body text)")
        holder.connection.execute("BEGIN IMMEDIATE")  # holds the write lock
        started = time.monotonic()
        with pytest.raises(OperationalError, match="locked"), waiter.cursor() as cursor:
            cursor.execute("INSERT INTO note VALUES ('x')")
        assert 0.25 < time.monotonic() - started < 2
        holder.connection.rollback()


# -- served by gunicorn: the fault started and stopped by the test ----------------------------------

TIMEOUTS = {
    "DATABASE_CONNECT_TIMEOUT": "2",  # libpq's least
    "DATABASE_QUERY_TIMEOUT": "1",
    "REDIS_TIMEOUT": "0.5",
    "RETRY_AFTER": "1",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A database of the module's own with the source documents, and a Redis server of its own."""
    tmp_path = tmp_path_factory.mktemp("resilience")
    with site_database(tmp_path) as database, redis_server() as redis_process:
        env = {
            **os.environ,
            **database,
            **TIMEOUTS,
            "REDIS_URL": f"redis://127.0.0.1:{redis_process.port}/0",
            "STATIC_ROOT": str(tmp_path / "static"),
            "DEBUG": "False",
        }
        for command in (["migrate", "--noinput"], ["load_documents"], ["collectstatic", "--noinput"]):
            manage(env, *command)
        yield SimpleNamespace(env=env, redis=redis_process, log=tmp_path / "server.log")


def fetch(base, path):
    """Status, seconds taken, body and headers; a status of None when no answer came in 20 s."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(base + path, timeout=20) as response:
            status, body, headers = response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        status, body, headers = error.code, error.read().decode(), error.headers
    except OSError:
        status, body, headers = None, "", {}
    return SimpleNamespace(status=status, seconds=time.monotonic() - started, text=body, headers=headers)


def uncached() -> str:
    return f"/search/?q=marfan{uuid.uuid4().hex[:8]}"


def log_of(site) -> str:
    return site.log.read_text()


def stored_pages(site) -> int:
    return len(redis.Redis(port=site.redis.port).keys("gard:*page:*"))


def test_with_redis_stopped_pages_are_rendered_and_come_from_it_again_once_it_restarts(site):
    with gunicorn(site.env, log=site.log) as base:
        assert fetch(base, DISEASE).status == 200 and stored_pages(site) >= 1
        stop_redis(site.redis.server)
        for path in (DISEASE, uncached(), "/admin/login/", DISEASE):
            answer = fetch(base, path)
            assert answer.status == 200 and answer.seconds < 2, (path, answer.status, answer.seconds)
        assert "Alpers syndrome" in fetch(base, DISEASE).text
        ready = fetch(base, "/readyz/")
        assert (ready.status, ready.text) == (503, "database: ok\ncache: failed (ConnectionError)\n")
        assert "gard.cache: Cache failed (get: ConnectionError" in log_of(site)

        # The same port again, the app server not restarted.
        site.redis.server = start_redis(site.redis.port)
        time.sleep(float(TIMEOUTS["RETRY_AFTER"]) + 0.2)
        assert fetch(base, "/readyz/").status == 200
        assert fetch(base, DISEASE).status == 200 and stored_pages(site) >= 1
        assert "gard.cache: Cache answers again" in log_of(site)


def test_with_redis_frozen_pages_answer_within_its_timeout_and_recover_when_it_resumes(site):
    with gunicorn(site.env, log=site.log) as base:
        assert fetch(base, DISEASE).status == 200
        site.redis.server.send_signal(signal.SIGSTOP)
        try:
            first = fetch(base, DISEASE)  # waits REDIS_TIMEOUT once
            then = [fetch(base, path) for path in (DISEASE, uncached(), "/admin/login/")]  # left alone: no wait
            assert first.status == 200 and first.seconds < 2.5, first
            assert all(answer.status == 200 and answer.seconds < 1 for answer in then), then
            assert "gard.cache: Cache failed (get: TimeoutError" in log_of(site)
        finally:
            site.redis.server.send_signal(signal.SIGCONT)
        time.sleep(float(TIMEOUTS["RETRY_AFTER"]) + 0.2)
        before = stored_pages(site)
        assert fetch(base, uncached()).status == 200
        assert stored_pages(site) == before + 1  # stored in Redis again
        assert fetch(base, "/readyz/").status == 200


@pytest.fixture
def relayed_site(site):
    """The site's database reached through a relay the test can cut or freeze (PostgreSQL only)."""
    url = urlsplit(site.env["DATABASE_URL"])
    relay = Relay(url.hostname, url.port or 5432)
    netloc = f"{url.username}:{url.password}@127.0.0.1:{relay.port}"
    env = {**site.env, "DATABASE_URL": url._replace(netloc=netloc).geturl()}
    try:
        yield SimpleNamespace(env=env, relay=relay, log=site.log)
    finally:
        relay.close()


needs_postgres = pytest.mark.skipif(not ON_POSTGRES, reason="the relay stands between the site and PostgreSQL")


def assert_database_outage(base, site, bound):
    cached, page, ready, alive = (fetch(base, path) for path in (DISEASE, uncached(), "/readyz/", "/healthz/"))
    assert cached.status == 200 and "Alpers syndrome" in page_text(SimpleNamespace(content=cached.text.encode()))
    assert page.status == 503 and page.headers["Retry-After"] == "1" and "Temporarily unavailable" in page.text
    assert ready.status == 503 and ready.text == "database: failed (OperationalError)\ncache: ok\n"
    assert alive.status == 200
    assert max(cached.seconds, page.seconds, ready.seconds) < bound, (cached, page, ready)
    assert "gard.db: Database failed" in log_of(site)


def assert_recovered(base, site):
    time.sleep(float(TIMEOUTS["RETRY_AFTER"]) + 0.2)
    assert fetch(base, uncached()).status == 200
    assert fetch(base, "/readyz/").text == "database: ok\ncache: ok\n"
    assert "gard.db: Database answers again" in log_of(site)


@needs_postgres
def test_with_the_database_cut_off_cached_pages_are_served_and_others_say_unavailable(relayed_site):
    with gunicorn(relayed_site.env, log=relayed_site.log) as base:
        assert fetch(base, DISEASE).status == 200
        relayed_site.relay.cut()
        assert_database_outage(base, relayed_site, bound=2)
        relayed_site.relay.restore()
        assert_recovered(base, relayed_site)


@needs_postgres
def test_with_the_database_frozen_requests_give_up_within_seconds(relayed_site):
    with gunicorn(relayed_site.env, log=relayed_site.log) as base:
        assert fetch(base, DISEASE).status == 200
        relayed_site.relay.freeze()
        # The health check gets DATABASE_CONNECT_TIMEOUT (2 s), a new connection as long; not gunicorn's 30 s.
        assert_database_outage(base, relayed_site, bound=4)
        relayed_site.relay.restore()
        assert_recovered(base, relayed_site)


@needs_postgres
def test_a_query_to_a_frozen_server_fails_when_its_time_is_up(site, django_db_blocker):
    url = urlsplit(site.env["DATABASE_URL"])
    relay = Relay(url.hostname, url.port or 5432)
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "gard.db.postgresql",
                "NAME": url.path.lstrip("/"),
                "USER": url.username,
                "PASSWORD": url.password,
                "HOST": "127.0.0.1",
                "PORT": relay.port,
            }
        }
    )
    database = handler["default"]
    try:
        django_db_blocker.unblock()  # a connection of the test's own; no test database (which would reorder this test)
        with database.cursor() as cursor:
            cursor.execute("SELECT 1")
        relay.freeze()
        started = time.monotonic()
        limit = pytest.raises(OperationalError, match="did not answer within 1.5 s")
        with db.time_limit(0.5), limit, database.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM gard_disease")
        assert time.monotonic() - started < 3
    finally:
        database.close()
        django_db_blocker.restore()
        relay.close()
