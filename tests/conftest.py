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
