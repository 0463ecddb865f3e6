"""A search the database stops at its time limit is a page saying it was too broad, not a server error
(gard/search/query.py: time_limited). The database's own mechanism stops it here: SQLite's progress handler,
PostgreSQL's statement_timeout, on the statement that counts the full-text matches."""

import threading

import pytest
from django.db import OperationalError, connection
from django.test import Client

from gard.models import Disease
from tests.factories import make_disease
from tests.html import page_text

pytestmark = pytest.mark.django_db

COUNT = "SELECT count(*) FROM gard_disease_fts"
LONG_SQLITE_STATEMENT = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1e9) SELECT count(*) FROM n"
)


def stopped_by_the_database(execute, sql, params, many, context):
    """The count of matches runs long and the database stops it, as at its time limit."""
    if not sql.lstrip().startswith(COUNT):
        return execute(sql, params, many, context)
    if connection.vendor == "sqlite":
        # What the progress handler does at the limit: sqlite3_interrupt() on the running statement.
        timer = threading.Timer(0.05, connection.connection.interrupt)
        timer.start()
        try:
            return execute(LONG_SQLITE_STATEMENT, None, False, context)
        finally:
            timer.cancel()
    execute("SET LOCAL statement_timeout = 50", None, False, context)
    return execute("SELECT pg_sleep(5)", None, False, context)


def failing_otherwise(execute, sql, params, many, context):
    if sql.lstrip().startswith(COUNT):
        raise OperationalError("server closed the connection unexpectedly")
    return execute(sql, params, many, context)


@pytest.fixture
def catalogue(db):
    make_disease("Alpers syndrome", other_names=["Progressive sclerosing poliodystrophy"])


def test_a_search_stopped_at_the_time_limit_says_it_was_too_broad(client, catalogue):
    with connection.execute_wrapper(stopped_by_the_database):
        response = client.get("/search/", {"q": "sclerosing"})
    assert response.status_code == 200
    assert "too broad" in page_text(response)
    assert "no-store" in response["Cache-Control"]
    # The transaction the search ran in (the test's) is still usable.
    assert Disease.objects.count() == 1
    # Not cached: the same address searches again once the database answers.
    response = client.get("/search/", {"q": "sclerosing"})
    assert "Alpers syndrome" in page_text(response)


def test_suggestions_stopped_at_the_time_limit_are_empty(client, catalogue):
    with connection.execute_wrapper(stopped_by_the_database):
        response = client.get("/search/suggest/", {"q": "sclerosing"})
    assert response.status_code == 200
    assert response.json() == {"query": "sclerosing", "suggestions": [], "too_broad": True}
    assert Disease.objects.count() == 1


def test_another_database_error_is_not_called_too_broad(catalogue):
    # It stays the server's error (the site's 503 or 500 page), not the searcher's.
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(failing_otherwise):
        response = client.get("/search/", {"q": "sclerosing"})
    assert response.status_code >= 500
    assert "too broad" not in page_text(response)
