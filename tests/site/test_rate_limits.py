"""Per-client rate limits on search, suggestions and the finder (gard/ratelimits.py).

Rates here are per hour (most), so a test never straddles the end of a period (django-ratelimit counts in fixed
windows); the cache that holds the counts is emptied before each test (tests/conftest.py).
"""

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from gard.settings import envrates
from tests.factories import make_disease, make_term
from tests.html import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.RATELIMIT_ENABLE = True  # off for the other tests (tests/conftest.py)


@pytest.fixture
def catalogue(db):
    seizure = make_term("HP:0001250", "Seizure")
    make_disease("Alpers syndrome", symptoms=[seizure])
    return seizure


def search(client, number: int, **extra):
    """A search the page cache has not seen (a different query each time)."""
    return client.get("/search/", {"q": "alpers", "x": str(number)}, **extra)


@override_settings(SEARCH_RATE="3/h")
def test_search_answers_429_past_the_rate_with_retry_after(client, catalogue):
    assert [search(client, number).status_code for number in range(3)] == [200, 200, 200]
    response = search(client, 3)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert "Too many requests" in page_text(response)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("rates", [["2/h", "100/d"], ["100/h", "2/d"]])
def test_every_one_of_several_rates_applies(client, catalogue, rates):
    with override_settings(SEARCH_RATE=rates):
        statuses = [search(client, number).status_code for number in range(3)]
        assert statuses == [200, 200, 429]
        assert 1 <= int(search(client, 3)["Retry-After"]) <= 86400


@pytest.mark.parametrize("value", ["sixty", "60", "60/x", "0/m", "10/0s", "10/10s;60/m", ""])
def test_a_rate_that_cannot_be_read_stops_start_up(monkeypatch, value):
    monkeypatch.setenv("SEARCH_RATE", value)
    with pytest.raises(ImproperlyConfigured, match="SEARCH_RATE"):
        envrates("SEARCH_RATE", "10/10s,60/m")


def test_rates_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("SEARCH_RATE", " 5/s, 100/5m ,1000/d")
    assert envrates("SEARCH_RATE", "10/10s,60/m") == ["5/s", "100/5m", "1000/d"]


@override_settings(SEARCH_RATE="3/h")
def test_other_clients_keep_their_own_budget(client, catalogue):
    for number in range(4):
        search(client, number, REMOTE_ADDR="192.0.2.1")
    assert search(client, 4, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert search(client, 5, REMOTE_ADDR="192.0.2.2").status_code == 200


@override_settings(SEARCH_RATE="2/h", TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_each_forwarded_address_is_a_client(client, catalogue):
    # Every request arrives from the proxy; the client is the address it appended.
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for number in range(2):
        assert search(client, number, HTTP_X_FORWARDED_FOR="192.0.2.1", **proxy).status_code == 200
    assert search(client, 2, HTTP_X_FORWARDED_FOR="192.0.2.1", **proxy).status_code == 429
    # What the client wrote to the left of it does not make it another client.
    assert search(client, 3, HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.1", **proxy).status_code == 429
    assert search(client, 4, HTTP_X_FORWARDED_FOR="192.0.2.2", **proxy).status_code == 200


@override_settings(SEARCH_RATE="2/h")
def test_a_page_served_from_the_page_cache_is_not_counted(client, catalogue):
    for _ in range(5):  # rendered once, then served from the cache
        assert client.get("/search/", {"q": "alpers"}).status_code == 200
    assert search(client, 1).status_code == 200  # the second page rendered
    assert search(client, 2).status_code == 429
    # A page already in the cache is still served to a client past its budget: it costs nothing.
    assert client.get("/search/", {"q": "alpers"}).status_code == 200


@override_settings(SEARCH_RATE="1/h")
def test_the_429_page_is_not_stored_in_the_page_cache(client, catalogue):
    search(client, 0)
    assert search(client, 1).status_code == 429
    assert search(client, 1, REMOTE_ADDR="192.0.2.9").status_code == 200


@override_settings(SUGGEST_RATE="3/h")
def test_search_and_finder_suggestions_share_one_budget(client, catalogue):
    assert client.get("/search/suggest/", {"q": "alp"}).status_code == 200
    assert client.get("/finder/suggest/", {"q": "seiz"}).status_code == 200
    assert client.get("/search/suggest/", {"q": "alpe"}).status_code == 200
    response = client.get("/finder/suggest/", {"q": "seizu"})
    assert response.status_code == 429
    assert response["Retry-After"]
    # The search page has its own budget.
    assert search(client, 0).status_code == 200


@override_settings(FINDER_RATE="2/h")
def test_the_finder_and_its_phenopacket_files_are_limited(client, catalogue):
    assert client.get("/finder/", {"term": "HP:0001250"}).status_code == 200
    assert client.get("/finder/phenopacket.json", {"term": "HP:0001250"}).status_code == 200
    assert client.get("/finder/", {"term": "HP:0001250", "page": "2"}).status_code == 429
    # The upload is counted before the file is read.
    response = client.post("/finder/phenopacket/", {"file": SimpleUploadedFile("case.json", b"{}")})
    assert response.status_code == 429


@override_settings(SEARCH_RATE="1/h", RATELIMIT_ENABLE=False)
def test_limits_can_be_switched_off(client, catalogue):
    assert [search(client, number).status_code for number in range(3)] == [200, 200, 200]


class BrokenCache(LocMemCache):
    """A cache whose server cannot be reached."""

    def add(self, *args, **kwargs):
        raise ConnectionError("cache unreachable")

    incr = get = add


@override_settings(
    SEARCH_RATE="1/h",
    RATELIMIT_USE_CACHE="counts",
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "counts": {"BACKEND": f"{__name__}.BrokenCache"},
    },
)
def test_a_failing_cache_lets_requests_through(client, catalogue, caplog):
    assert [search(client, number).status_code for number in range(3)] == [200, 200, 200]
    assert "Rate limit not applied" in caplog.text
