"""Every public address answers GET and HEAD, and 405 with an Allow header and the site's own page to any other
method (gard/methods.py); the phenopacket upload takes POST only. The admin is Django's own and not checked."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from tests.factories import make_disease, make_term
from tests.html import page_text

pytestmark = pytest.mark.django_db

# A sample address for each named public pattern; a pattern added without one fails the first test.
SAMPLE_KWARGS = {
    "home": {},
    "search": {},
    "search-suggest": {},
    "disease-index": {},
    "disease-letter": {"letter": "A"},
    "disease-detail": {"slug": "alpers-syndrome"},
    "disease-symptoms-csv": {"slug": "alpers-syndrome"},
    "symptom-detail": {"hpo_id": "HP:0001250"},
    "finder": {},
    "finder-suggest": {},
    "finder-phenopacket": {},
    "finder-phenopacket-download": {},
    "healthz": {},
    "readyz": {},
    "robots": {},
    "favicon": {},
    "sitemap": {},
    "sitemap-section": {"section": "diseases"},
}
QUERIES = {
    "search": "?q=alpers",
    "search-suggest": "?q=alp",
    "finder-suggest": "?q=seiz",
    "finder-phenopacket-download": "?term=HP:0001250",
}
POST_ONLY = {"finder-phenopacket"}  # a file in, a redirect out
REDIRECTS = {"favicon"}  # to the icon among the static files
UNSAFE = ["OPTIONS", "TRACE", "POST", "PUT", "PATCH", "DELETE"]


def public_patterns() -> list[URLPattern]:
    """The site's own URL patterns: everything but the admin's (an included resolver)."""
    return [pattern for pattern in get_resolver().url_patterns if isinstance(pattern, URLPattern)]


def address(name: str) -> str:
    return reverse(name, kwargs=SAMPLE_KWARGS[name]) + QUERIES.get(name, "")


@pytest.fixture
def catalogue(db):
    seizure = make_term("HP:0001250", "Seizure")
    make_disease("Alpers syndrome", slug="alpers-syndrome", symptoms=[seizure])


def test_every_public_pattern_has_a_sample_address():
    assert sorted(pattern.name for pattern in public_patterns()) == sorted(SAMPLE_KWARGS)


SAFE_NAMES = sorted(set(SAMPLE_KWARGS) - POST_ONLY)


@pytest.mark.parametrize("name", SAFE_NAMES)
def test_get_and_head_answer(client, catalogue, name):
    expected = 302 if name in REDIRECTS else 200
    assert client.get(address(name)).status_code == expected
    assert client.head(address(name)).status_code == expected


@pytest.mark.parametrize("method", UNSAFE)
@pytest.mark.parametrize("name", SAFE_NAMES)
def test_other_methods_answer_405_with_allow_and_the_sites_page(catalogue, name, method):
    # CSRF checked as a browser's request would be: the 405 comes first, not the CSRF failure's 403.
    client = Client(enforce_csrf_checks=True)
    response = client.generic(method, address(name))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "Method not allowed" in page_text(response)


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"])
def test_the_phenopacket_upload_takes_post_only(catalogue, method):
    response = Client(enforce_csrf_checks=True).generic(method, address("finder-phenopacket"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_the_phenopacket_upload_still_takes_a_file(catalogue):
    packet = b'{"id": "p", "phenotypicFeatures": [{"type": {"id": "HP:0001250", "label": "Seizure"}}]}'
    response = Client(enforce_csrf_checks=True).post(
        address("finder-phenopacket"), {"file": SimpleUploadedFile("case.json", packet)}
    )
    assert response.status_code == 303
    assert response["Location"] == "/finder/?term=HP%3A0001250"
