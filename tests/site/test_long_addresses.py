"""Addresses too long to be real get the site's own 414 page, from Django and through gunicorn."""

import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from gard.finder.terms import MAX_TERMS
from gard.frequency import Frequency
from gard.uri_length import MAX_URI_LENGTH
from tests.servers import gunicorn, production_site

LONGEST_TYPED = "日" * 200  # the finder's "Add a symptom" at its maxlength, nine characters each when encoded


def longest_finder_address() -> str:
    """The finder as its form sends it at its fullest: every term, half of them "not", and a symptom typed."""
    half = MAX_TERMS // 2
    pairs = [("term", f"HP:{n:07}") for n in range(half)] + [("not", f"HP:{n:07}") for n in range(half, MAX_TERMS)]
    return "/finder/?" + urlencode([*pairs, ("add", LONGEST_TYPED), ("as", "absent"), ("page", "100000")])


def longest_symptom_table_address() -> str:
    pairs = [("q", "日" * 100)] + [("frequency", value) for value in Frequency.values]
    pairs += [("system", "HP:0000001"), ("sort", "hpo_id"), ("names", "plain")]
    return "/diseases/alstrom-syndrome/?" + urlencode(pairs)


@pytest.mark.django_db
@pytest.mark.parametrize("address", [longest_finder_address, longest_symptom_table_address])
def test_the_longest_addresses_the_site_makes_are_under_the_limit_and_answered(client, address):
    url = address()
    assert len(url) < MAX_URI_LENGTH - 1000  # room to spare
    assert client.get(url).status_code in (200, 404)  # 404: the table's disease is not in this database


@pytest.mark.django_db
def test_an_address_over_the_limit_gets_the_sites_414_page(client):
    response = client.get("/finder/", {"add": "x" * MAX_URI_LENGTH})
    assert response.status_code == 414
    html = response.content.decode()
    assert "<h1>Address too long</h1>" in html
    assert "4,096 characters" in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.django_db
def test_a_long_path_without_a_query_gets_the_414_page_too(client):
    assert client.get("/diseases/" + "a" * MAX_URI_LENGTH + "/").status_code == 414


@pytest.mark.django_db
def test_an_address_at_the_limit_is_answered_as_usual(client):
    path = "/finder/?add="
    response = client.get(path + "x" * (MAX_URI_LENGTH - len(path)))
    assert response.status_code == 200


def test_gunicorn_passes_a_6_kb_address_to_the_site_for_its_414_page(tmp_path):
    env = production_site(tmp_path)
    with gunicorn(env) as base, pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(base + "/finder/?add=" + "x" * 6000, timeout=10)
    assert refused.value.code == 414
    assert "<h1>Address too long</h1>" in refused.value.read().decode()
