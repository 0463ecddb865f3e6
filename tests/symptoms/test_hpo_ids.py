"""One reader of HPO IDs for the whole site (gard.models.parse_hpo_id), and one lookup of a term by ID."""

import pytest

from gard.models import Phenotype, parse_hpo_id
from gard.search.query import search
from tests.factories import make_annotation, make_disease, make_term


@pytest.mark.parametrize(
    "text", ["HP:0001250", "hp:0001250", "HP_0001250", "HP 0001250", " HP:0001250 ", "0001250", "HP:1250", "hp1250"]
)
def test_every_usual_spelling_names_the_same_id(text):
    assert parse_hpo_id(text) == "HP:0001250"


@pytest.mark.parametrize("text", ["1250", "HP:00012", "HP:0000000", "HP:12345678", "seizure", "", "HP:"])
def test_text_that_is_no_id_or_an_id_cut_short_is_not_read_as_one(text):
    assert parse_hpo_id(text) is None


@pytest.fixture
def seizure(db):
    term = make_term("HP:0001250", "Seizure", alt_ids=["HP:0002279"])
    disease = make_disease("Epilepsy syndrome", records=["OMIM:100001"])
    make_annotation(disease.identifiers.first(), term, "frequent")
    return term


def test_search_reads_an_id_without_its_leading_zeros_as_the_id(seizure):
    results = search("HP:1250")
    assert results.hpo_id == "HP:0001250" and results.symptom == seizure
    assert [result.disease.name for result in results.items] == ["Epilepsy syndrome"]


def test_a_symptom_page_under_a_short_or_older_id_leads_to_the_term(client, seizure):
    for address in ("/symptoms/HP:1250/", "/symptoms/hp:0001250/", "/symptoms/HP:0002279/"):
        response = client.get(address)
        assert response.status_code == 301 and response["Location"] == "/symptoms/HP:0001250/", address
    assert client.get("/symptoms/1250/").status_code == 404


def test_the_symptom_table_filter_reads_the_same_spellings(client, seizure):
    other = make_term("HP:0001251", "Ataxia")
    disease = make_disease("Two symptoms", records=["OMIM:100002"])
    make_annotation(disease.identifiers.first(), seizure, "frequent")
    make_annotation(disease.identifiers.first(), other, "frequent")
    html = client.get(disease.get_absolute_url(), {"q": "hp:1250"}).content.decode()
    assert ">HP:0001250</a>" in html and ">HP:0001251</a>" not in html


def test_a_terms_own_id_wins_over_another_terms_older_id(db, django_assert_num_queries):
    first = make_term("HP:0000001", "All")
    second = make_term("HP:0000002", "Abnormality of body height", alt_ids=["HP:0000001", "HP:0000003"])
    with django_assert_num_queries(2):  # the terms, then which older ID led to which
        found = Phenotype.objects.by_ids(["HP:0000001", "HP:0000003", "HP:0009999"])
    assert found == {"HP:0000001": (first, False), "HP:0000003": (second, True)}
    with django_assert_num_queries(1):
        assert Phenotype.objects.find("hp:3") == second
