from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import SampleRelease, make_editor


def pytest_configure(config):
    # whitenoise serves from STATIC_ROOT and warns when it is missing; tests don't run collectstatic.
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Tests do not run collectstatic, and need no slow password hashing.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The time limits a request's queries get (gard/db) are for a sick database, not a busy test machine:
    # the tests of the limits set their own (tests/site/test_resilience.py).
    settings.DATABASE_QUERY_TIMEOUT = 60.0
    settings.DATABASE_CONNECT_TIMEOUT = 30.0
    # Tests send many searches from one address; the rate limits have their own (tests/site/test_rate_limits.py).
    settings.RATELIMIT_ENABLE = False
    # Imports read no open data unless a test gives it (tests/factories.py: write_open_data); the site's
    # own files (fixtures/open_data) pair real records, which would merge the small release's pages.
    settings.OPEN_DATA_DIR = tmp_path / "no-open-data"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    # Pages are cached by content generation and address (gard/cache.py); the test database starts
    # afresh each test but a cache outlives it, so every test starts with an empty one.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _dependencies_answering(monkeypatch):
    """Each test starts with the database and the cache answering and no request being served.

    The process remembers a dependency's failure for RETRY_AFTER seconds (gard/failures.py), and the
    time limits apply while a request is served (gard/db: from Django's request_started to
    request_finished, which the test client skips when it re-raises a view's exception): neither may
    carry over into the next test.
    """
    import logging

    from gard import cache, cache_backends, db
    from gard.failures import Outage

    monkeypatch.setattr(db, "outage", Outage("Database", logging.getLogger("gard.db")))
    monkeypatch.setattr(cache_backends, "outage", Outage("Cache", logging.getLogger("gard.cache")))
    monkeypatch.setitem(cache._last_read, "number", None)
    db._serving.active = False


@pytest.fixture
def documents(db):
    """The site as built from the source documents."""
    call_command("loaddata", "source_documents", verbosity=0)


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def release(tmp_path):
    """The small HPO release (tests/factories.py), not yet imported: a test may edit it first."""
    return SampleRelease(tmp_path)


@pytest.fixture
def imported(db, release):
    """The sample release, imported once."""
    release.run()
    return release
