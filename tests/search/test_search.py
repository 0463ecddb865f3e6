import html

import pytest

from gard.models import Disease, Identifier
from tests.html import page_text, result_names

pytestmark = pytest.mark.usefixtures("documents")


@pytest.mark.parametrize("query", ["alstrom", "ALSTRÖM", "Alström syndrome", "alström"])
def test_disease_name_is_found_ignoring_accents_and_case(client, query):
    assert result_names(client.get("/search/", {"q": query})) == ["Alström syndrome"]


def test_other_name_finds_the_disease_and_says_why(client):
    response = client.get("/search/", {"q": "poliodystrophy"})
    assert result_names(response) == ["Alpers syndrome"]
    assert "Also called Progressive cerebral poliodystrophy" in page_text(response)


def test_other_name_with_apostrophe_or_without(client):
    assert result_names(client.get("/search/", {"q": "alpers' disease"})) == ["Alpers syndrome"]
    assert result_names(client.get("/search/", {"q": "Alstrom-Hallgren"})) == ["Alström syndrome"]


@pytest.mark.parametrize("query", ["Huntington's disease", "Huntington’s", "huntington disease", "HUNTINGTON'S"])
def test_possessive_finds_names_written_with_it_or_without(client, query):
    with_it = Disease.objects.create(name="Huntington's disease")
    without = Disease.objects.create(name="Huntington disease-like 2")
    names = {html.unescape(name) for name in result_names(client.get("/search/", {"q": query}))}
    assert names == {with_it.name, without.name}


def test_symptom_name_finds_diseases_with_it(client):
    response = client.get("/search/", {"q": "epilepsia partialis continua"})
    assert result_names(response) == ["Alpers syndrome"]
    assert "Symptom: Epilepsia partialis continua" in page_text(response)


def test_symptom_other_name_finds_diseases_with_it(client):
    response = client.get("/search/", {"q": "throwing up"})
    assert result_names(response) == ["Alpers syndrome"]
    assert "Symptom: Throwing up" in page_text(response)


@pytest.mark.parametrize("query", ["HP:0001284", "hp:0001284", "0001284"])
def test_hpo_id_finds_diseases_with_or_without_prefix(client, query):
    assert result_names(client.get("/search/", {"q": query})) == ["Alpers syndrome"]


@pytest.mark.parametrize("query", ["ORPHA:64", "orpha:64", "OMIM:203800", "Orphanet 64"])
def test_identifier_finds_its_disease(client, query):
    assert result_names(client.get("/search/", {"q": query}))[0] == "Alström syndrome"


def test_exact_identifier_puts_its_disease_first(client):
    # A disease whose name would otherwise sort first also matches the query's words.
    other = Disease.objects.create(name="ORPHA 64 related condition")
    Identifier.objects.create(disease=other, prefix="OMIM", accession="999999")
    names = result_names(client.get("/search/", {"q": "ORPHA:64"}))
    assert names[0] == "Alström syndrome"


def test_exact_name_ranks_above_other_names_and_symptoms(client):
    Disease.objects.create(name="Syndrome with vomiting")
    names = result_names(client.get("/search/", {"q": "vomiting"}))
    assert names == ["Syndrome with vomiting", "Alpers syndrome"]


def test_no_results_say_so(client):
    response = client.get("/search/", {"q": "xylophone"})
    assert "0 diseases found" in page_text(response)
    assert "No disease matched" in page_text(response)


def test_empty_search_shows_the_form(client):
    response = client.get("/search/")
    assert response.status_code == 200
    assert "Type a disease name" in page_text(response)


def test_results_are_paginated_and_bad_page_numbers_fall_back(client):
    for number in range(25):
        Disease.objects.create(name=f"Test syndrome {number:02}")
    first = client.get("/search/", {"q": "test syndrome"})
    assert len(result_names(first)) == 20
    assert "Page 1 of 2" in page_text(first)
    second = client.get("/search/", {"q": "test syndrome", "page": "2"})
    assert len(result_names(second)) == 5
    for bad in ("999", "-1", "abc", "1e9"):
        assert client.get("/search/", {"q": "test syndrome", "page": bad}).status_code == 200
