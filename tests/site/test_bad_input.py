"""Bad, repeated, overlong or hostile input gives a normal page or a clean 404, never a 500."""

import pytest

from tests.html import page_text

pytestmark = pytest.mark.usefixtures("documents")

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
    "x" * 3000,  # longer than any field takes; an address over 4,096 characters gets the 414 page instead
    "\u202etxt.exe",
    "😀" * 50,
    "HP:",
    "HP:999999999999",
    "ORPHA:",
    "OMIM:" + "9" * 40,
    "\x00",
    " ",
]

PAGES = ["/", "/search/", "/diseases/alpers-syndrome/", "/diseases/alpers-syndrome/symptoms.csv"]
PARAMETERS = ["q", "frequency", "sort", "page", "letter"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_in_every_parameter_give_a_normal_page(client, path, value):
    for name in PARAMETERS:
        response = client.get(path, {name: value})
        assert response.status_code == 200, (path, name, value)
        if "<" in value and response["Content-Type"].startswith("text/html"):
            assert value not in response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_repeated_parameters_give_a_normal_page(client, path):
    response = client.get(f"{path}?q=a&q=b&frequency=frequent&frequency=frequent&sort=name&sort=-name&page=1&page=2")
    assert response.status_code == 200


def test_invalid_filter_values_are_ignored_with_a_clear_message(client):
    response = client.get("/diseases/alpers-syndrome/", {"frequency": "often", "sort": "random"})
    text = page_text(response)
    assert "Some filter values could not be used and were ignored" in text
    assert "often is not one of the available choices" in text
    assert "Showing 43 of 43 symptoms" in text


def test_overlong_symptom_query_is_refused_with_a_message(client):
    response = client.get("/diseases/alpers-syndrome/", {"q": "a" * 101})
    text = page_text(response)
    assert "Ensure this value has at most 100 characters" in text
    assert "Showing 43 of 43 symptoms" in text


def test_overlong_search_is_refused_with_a_message(client):
    response = client.get("/search/", {"q": "a" * 201})
    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters" in page_text(response)


def test_search_query_is_escaped_where_it_is_echoed(client):
    response = client.get("/search/", {"q": "<b>bold</b>"})
    html = response.content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<b>bold</b>" not in html


@pytest.mark.parametrize(
    "path",
    [
        "/diseases/unknown/",
        "/diseases/ALPERS-SYNDROME/",
        "/diseases/alpers syndrome/",
        "/diseases/%3Cscript%3E/",
        "/diseases/alpers-syndrome/unknown/",
        "/diseases/unknown/symptoms.csv",
        "/nothing-here/",
    ],
)
def test_unknown_paths_give_a_clean_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in page_text(response)
