"""Configuration from the environment, and the database, cache and search index actually in use.

The settings are read afresh from gard/settings.py under a changed environment (or, for refusing
to start, in a new process). The tests of what is configured run against whatever this run has:
SQLite and local memory by default, PostgreSQL and Redis when DATABASE_URL and REDIS_URL name them
(CI runs the suite both ways), and check each against what it should be.
"""

import os
import re
import runpy
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gard.models import Disease, Synonym
from gard.search import index as search_index
from gard.search import query as search

SETTINGS_FILE = str(settings.BASE_DIR / "gard" / "settings.py")
VARIABLES = ("DATABASE_URL", "SQLITE_PATH", "REDIS_URL", "DEBUG", "ALLOWED_HOSTS", "PRODUCTION", "SECRET_KEY")
LONG_SECRET = "k" * 30 + uuid.uuid4().hex


@pytest.fixture
def read_settings(monkeypatch):
    """Read the settings module afresh with these environment variables (the others of VARIABLES unset)."""

    def read(**environment):
        for name in VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(SETTINGS_FILE)

    return read


def start_django(**environment) -> subprocess.CompletedProcess:
    """Start Django in a new process with these variables set, as a server or a command would."""
    env = {name: value for name, value in os.environ.items() if name not in VARIABLES}
    env |= {"DJANGO_SETTINGS_MODULE": "gard.settings", **environment}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


# -- DATABASE_URL -----------------------------------------------------------------------------


def test_without_database_url_the_database_is_the_sqlite_file(read_settings, tmp_path):
    database = read_settings(SQLITE_PATH=str(tmp_path / "site.sqlite3"))["DATABASES"]["default"]
    assert database["ENGINE"] == "gard.db.sqlite3"  # Django's, with time limits (gard/db/)
    assert database["NAME"] == str(tmp_path / "site.sqlite3")
    assert read_settings()["DATABASES"]["default"]["NAME"] == str(settings.BASE_DIR / "db.sqlite3")


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_postgres_database_url_picks_postgresql_with_kept_and_checked_connections(read_settings, scheme):
    url = f"{scheme}://site:secret@db.internal:6543/rare_diseases"
    database = read_settings(DATABASE_URL=url, SQLITE_PATH="/ignored.sqlite3")["DATABASES"]["default"]
    assert database["ENGINE"] == "gard.db.postgresql"  # Django's, with time limits (gard/db/)
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("rare_diseases", "site", "secret")
    assert (database["HOST"], database["PORT"]) == ("db.internal", 6543)
    assert database["CONN_MAX_AGE"] == 600 and database["CONN_HEALTH_CHECKS"] is True


def test_sqlite_database_url_picks_sqlite(read_settings, tmp_path):
    database = read_settings(DATABASE_URL=f"sqlite:///{tmp_path}/other.sqlite3")["DATABASES"]["default"]
    assert database["ENGINE"] == "gard.db.sqlite3"  # Django's, with time limits (gard/db/)
    assert database["NAME"] == f"{tmp_path}/other.sqlite3"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://site:secret@db.internal/rare", "DATABASE_URL must start with postgres:// or postgresql://"),
        ("db.internal:5432/rare", "DATABASE_URL must start with"),
        ("postgres://site:secret@db.internal:5432/", "DATABASE_URL must name the database"),
    ],
)
def test_unusable_database_url_stops_start_up_without_showing_the_password(read_settings, url, message):
    with pytest.raises(ImproperlyConfigured, match=message) as error:
        read_settings(DATABASE_URL=url)
    assert "secret" not in str(error.value)


# -- REDIS_URL ----------------------------------------------------------------------------------


def test_redis_url_picks_the_redis_cache(read_settings):
    cache_settings = read_settings(REDIS_URL="redis://cache.internal:6379/2")["CACHES"]["default"]
    assert cache_settings["BACKEND"] == "gard.cache_backends.RedisCache"  # Django's, failing open
    assert cache_settings["LOCATION"] == "redis://cache.internal:6379/2"


def test_without_redis_url_each_process_caches_in_memory(read_settings):
    assert read_settings()["CACHES"]["default"]["BACKEND"] == "gard.cache_backends.LocMemCache"


def test_redis_url_of_another_kind_stops_start_up(read_settings):
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL must start with redis://"):
        read_settings(REDIS_URL="http://cache.internal:6379")


# -- DEBUG, ALLOWED_HOSTS, SECRET_KEY -----------------------------------------------------------


@pytest.mark.parametrize("value", ["", "2", "y", "n", "enabled", "truee", "0.0", "tru e"])
def test_debug_other_than_an_accepted_spelling_stops_start_up_naming_the_spellings(read_settings, value):
    message = f"DEBUG must be true/false, 1/0, yes/no or on/off (in any case), not {value!r}"
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        read_settings(DEBUG=value)


def test_debug_is_off_unless_set(read_settings):
    assert read_settings()["DEBUG"] is False
    assert read_settings(DEBUG="True")["DEBUG"] is True


@pytest.mark.parametrize("value", ["True", "true", "TRUE", "1", "yes", "Yes", "on", "ON", " true ", "1\n"])
def test_debug_accepts_the_spellings_of_true_in_any_case(read_settings, value):
    assert read_settings(DEBUG=value)["DEBUG"] is True


@pytest.mark.parametrize("value", ["False", "false", "FALSE", "0", "no", "No", "off", "Off", " 0 ", "False "])
def test_debug_accepts_the_spellings_of_false_in_any_case(read_settings, value):
    assert read_settings(DEBUG=value)["DEBUG"] is False


def test_every_boolean_setting_reads_the_same_spellings(read_settings):
    read = read_settings(PRODUCTION="off", RATELIMIT_ENABLE="0")
    assert read["PRODUCTION"] is False
    assert read["RATELIMIT_ENABLE"] is False


def test_allowed_hosts_are_read_as_a_list(read_settings):
    hosts = read_settings(ALLOWED_HOSTS=" rare.example.org, .example.net,10.0.0.5,[::1] ")["ALLOWED_HOSTS"]
    assert hosts == ["rare.example.org", ".example.net", "10.0.0.5", "[::1]"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("https://rare.example.org", "not 'https://rare.example.org'"),
        ("rare.example.org/path", "not 'rare.example.org/path'"),
        ("rare.example.org:8000", "not 'rare.example.org:8000'"),
        ("rare.example.org;other.example.org", "not 'rare.example.org;other.example.org'"),
        ("rare example.org", "not 'rare example.org'"),
        ("", "ALLOWED_HOSTS must name at least one host"),
        (" , ", "ALLOWED_HOSTS must name at least one host"),
    ],
)
def test_bad_allowed_hosts_stop_start_up(read_settings, value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        read_settings(ALLOWED_HOSTS=value)


def test_a_bad_value_stops_a_real_start_with_its_message():
    started = start_django(DEBUG="maybe")
    assert started.returncode != 0
    assert "ImproperlyConfigured: DEBUG must be true/false, 1/0, yes/no or on/off (in any case), not 'maybe'" in (
        started.stderr
    )


def test_debug_0_starts_django():
    started = start_django(DEBUG="0")
    assert started.returncode == 0, started.stderr


@pytest.mark.parametrize("secret", [None, "dev-only-insecure-key-change-me", "short-but-not-the-default"])
def test_production_refuses_to_start_with_the_development_or_a_short_secret_key(secret):
    environment = {"PRODUCTION": "True"} | ({"SECRET_KEY": secret} if secret else {})
    started = start_django(**environment)
    assert started.returncode != 0
    assert "PRODUCTION=True needs SECRET_KEY set to a long random value of its own." in started.stderr


def test_production_starts_with_a_long_secret_key_of_its_own():
    started = start_django(PRODUCTION="True", SECRET_KEY=LONG_SECRET)
    assert started.returncode == 0, started.stderr


# -- what this run has configured ----------------------------------------------------------------


def expected_vendor() -> str:
    return "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


def test_the_database_in_use_is_the_configured_one():
    assert connection.vendor == expected_vendor()


def test_the_configured_cache_round_trips_a_value():
    backend = type(caches["default"]).__name__
    assert backend == ("RedisCache" if os.environ.get("REDIS_URL") else "LocMemCache")
    key, value = f"configuration-test-{uuid.uuid4().hex}", {"disease": "Alström syndrome", "symptoms": [1, 2]}
    cache.set(key, value, timeout=30)
    try:
        assert cache.get(key) == value
        if backend == "RedisCache":
            # Stored in the Redis server itself, where every worker and server reads it.
            import redis

            client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
            assert client.exists(cache.make_and_validate_key(key)) == 1
    finally:
        cache.delete(key)
    assert cache.get(key) is None


@pytest.mark.django_db
def test_the_search_backend_matches_the_database_and_its_tables_exist():
    backend = search_index.backend()
    assert backend.vendor == connection.vendor
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE name LIKE 'gard_%_fts'")
            tables = dict(cursor.fetchall())
            assert set(tables) == {"gard_disease_fts", "gard_phenotype_fts"}
            assert all("USING fts5" in sql for sql in tables.values())
        else:
            cursor.execute(
                "SELECT tablename, indexdef FROM pg_indexes WHERE tablename LIKE %s AND indexdef LIKE %s",
                ["gard\\_%\\_fts", "%USING gin%"],
            )
            indexes = dict(cursor.fetchall())
            assert set(indexes) == {"gard_disease_fts", "gard_phenotype_fts"}
            assert all("USING gin (document)" in definition for definition in indexes.values())
            cursor.execute("SELECT extname FROM pg_extension WHERE extname = 'unaccent'")
            assert cursor.fetchone() == ("unaccent",)
            cursor.execute("SELECT gard_fold('Alström–Hallgren SYNDROME, type 1')")
            assert cursor.fetchone() == ("alstrom hallgren syndrome type 1",)


@pytest.mark.django_db
def test_search_on_the_configured_database_reads_its_full_text_index():
    disease = Disease.objects.create(name="Alström syndrome")
    Synonym.objects.create(disease=disease, name="Alstrom-Hallgren syndrome")
    with CaptureQueriesContext(connection) as queries:
        results = search.search("alstrom hallg")
    assert [result.disease for result in results.items] == [disease]
    assert results.items[0].reasons == ["Also called Alstrom-Hallgren syndrome"]
    ranked = next(query["sql"] for query in queries if "AS tier" in query["sql"])
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {ranked}")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "VIRTUAL TABLE INDEX" in plan and ":M" in plan  # FTS5 answers MATCH from its index
        else:
            # A few rows are quicker to read whole; with whole-table reads priced out, the plan shows the index.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute(f"EXPLAIN {ranked}")
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "Bitmap Index Scan on gard_disease_fts_document" in plan


@pytest.mark.django_db
def test_a_word_too_long_for_any_index_matches_nothing_on_either_database():
    Disease.objects.create(name="Alström syndrome")
    # PostgreSQL would leave the long word out of the query and match on "syndrome" alone.
    assert search.search("x" * 2047 + " syndrome").total == 0
    assert search.search("x" * 2046 + " syndrome").total == 0  # indexable, but in no name
    assert search.search("syndrome").total == 1
