"""Search over the catalogue: how results are ranked and explained, HPO IDs, symptom terms,
pagination, hostile query syntax, the as-you-type suggestions, and the queries each makes.

The data is built with the ORM; the save signals keep the full-text index current. Genes come
only from the HPO import, which rebuilds the index at its end: linking one through the M2M
fires no save signal, so make_disease (tests/factories.py) rebuilds the index after it, as the
import does.
"""

import html as html_module
import re

import pytest

from gard.models import Annotation, Disease, Identifier
from gard.search.index import rebuild_search
from tests.factories import add_diseases, make_annotation, make_disease, make_term
from tests.html import page_text, result_names

pytestmark = pytest.mark.django_db


def search(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response


def reasons(response) -> dict[str, list[str]]:
    """Each result's name with the reasons it gives for matching."""
    html = response.content.decode()
    found = {}
    for item in re.findall(r"<li>\s*<h3>(.*?)</li>\s*(?=<li>\s*<h3>|</ol>)", html, flags=re.S):
        name = html_module.unescape(re.search(r"<a [^>]*>(.*?)</a>", item).group(1))
        found[name] = [html_module.unescape(r) for r in re.findall(r"<li>([^<]*)</li>", item)]
    return found


@pytest.fixture
def seizure(db):
    return make_term(
        "HP:0001250",
        "Seizure",
        names=[("Epileptic seizure", False), ("Epilepsy", True)],
        alt_ids=["HP:0002279", "HP:0002306"],
    )


@pytest.fixture
def catalogue(seizure):
    """Alström syndrome (OMIM:203800, ORPHA:64, gene ALMS1), Alpers syndrome (with seizures), a
    cardiomyopathy with ALMS1 too, and a disease where seizures are NOT seen and one with a seizure
    inheritance row (neither has the symptom)."""
    recessive = make_term("HP:0000007", "Autosomal recessive inheritance")
    alstrom = make_disease(
        "Alström syndrome",
        other_names=["Alstrom-Hallgren syndrome", "ALMS"],
        records=["OMIM:203800", "ORPHA:64"],
        genes=["ALMS1"],
        inheritance=[recessive],
    )
    alpers = make_disease(
        "Alpers syndrome",
        other_names=["Alpers-Huttenlocher syndrome", "Progressive cerebral poliodystrophy"],
        records=["OMIM:203700"],
        genes=["POLG"],
        symptoms=[seizure],
    )
    make_disease("Infantile dilated cardiomyopathy", records=["OMIM:999001"], genes=["ALMS1"])
    make_disease("Benign familial disease", not_seen=[seizure])
    make_disease("Inheritance example disease", inheritance=[seizure])
    return {"alstrom": alstrom, "alpers": alpers}


# -- ranking ---------------------------------------------------------------------------------


def test_exact_name_then_name_prefix_then_other_names_then_words_anywhere(client, db):
    make_disease("Atypical cystic fibrosis")  # the words, not at the start: strongest by BM25 alone
    make_disease("Mucoviscidosis", other_names=["Cystic fibrosis of the pancreas"])
    make_disease("Cystic fibrosis-related diabetes")
    make_disease("Cystic fibrosis")
    make_disease("Pulmonary fibrosis")  # only one of the words
    response = search(client, "cystic fibrosis")
    assert result_names(response) == [
        "Cystic fibrosis",
        "Cystic fibrosis-related diabetes",
        "Mucoviscidosis",
        "Atypical cystic fibrosis",
    ]
    assert reasons(response)["Mucoviscidosis"] == ["Also called Cystic fibrosis of the pancreas"]
    assert reasons(response)["Cystic fibrosis"] == []  # its name says why
    assert "4 diseases found" in page_text(response)


def test_symptom_words_rank_with_words_anywhere_after_other_names(client, db):
    fibrosis = make_term("HP:0100759", "Cystic fibrosis of the liver")
    make_disease("Liver disease", symptoms=[fibrosis])
    make_disease("Mucoviscidosis", other_names=["Cystic fibrosis of the pancreas"])
    make_disease("Cystic fibrosis")
    response = search(client, "Cystic Fibrosis")
    assert result_names(response) == ["Cystic fibrosis", "Mucoviscidosis", "Liver disease"]
    assert reasons(response)["Liver disease"] == ["Symptom: Cystic fibrosis of the liver"]


@pytest.mark.parametrize("query", ["ALSTROM", "alström", "Alstrom", "ALSTRÖM SYNDROME", "alstrom  syndrome"])
def test_accents_and_case_are_ignored(client, catalogue, query):
    assert result_names(search(client, query))[0] == "Alström syndrome"


def test_exact_name_ignoring_accents_and_case_ranks_first(client, catalogue):
    make_disease("Alstrom syndrome type 2")
    assert result_names(search(client, "ALSTROM SYNDROME")) == ["Alström syndrome", "Alstrom syndrome type 2"]


@pytest.mark.parametrize(
    ("query", "curie", "lookalike"),
    [
        ("ORPHA:64", "ORPHA:64", "Orpha 64 lookalike"),
        ("orpha:64", "ORPHA:64", "Orpha 64 lookalike"),
        ("OMIM:203800", "OMIM:203800", "OMIM 203800 lookalike"),
        ("orphanet 64", "ORPHA:64", "Orphanet 64 lookalike"),
        ("Orphanet:064", "ORPHA:64", "Orphanet 064 lookalike"),
    ],
)
def test_exact_identifier_puts_its_disease_first_and_lists_it_once(client, catalogue, query, curie, lookalike):
    make_disease(lookalike)  # its name starts with the query's words, so it would otherwise come first
    response = search(client, query)
    assert result_names(response) == ["Alström syndrome", lookalike]
    assert reasons(response)["Alström syndrome"] == [f"Identifier {curie}"]
    assert "2 diseases found" in page_text(response)


def test_unknown_identifier_searches_the_words(client, catalogue):
    make_disease("Orpha 65 lookalike")
    assert result_names(search(client, "ORPHA:65")) == ["Orpha 65 lookalike"]


@pytest.mark.parametrize("query", ["ALMS1", "alms1"])
def test_gene_symbol_finds_the_diseases_whose_records_have_it(client, catalogue, query):
    response = search(client, query)
    assert sorted(result_names(response)) == ["Alström syndrome", "Infantile dilated cardiomyopathy"]
    for found in reasons(response).values():
        assert found == ["Gene: ALMS1"]


def test_symptom_name_finds_diseases_that_have_it_and_says_so(client, catalogue):
    response = search(client, "seizure")
    assert result_names(response) == ["Alpers syndrome"]  # not the NOT row, nor the inheritance row
    assert reasons(response)["Alpers syndrome"] == ["Symptom: Epileptic seizure", "Symptom: Seizure"]


def test_symptom_other_name_finds_diseases_and_names_it(client, catalogue):
    response = search(client, "epilepsy")
    assert result_names(response) == ["Alpers syndrome"]
    assert reasons(response)["Alpers syndrome"] == ["Symptom: Epilepsy"]


def test_disease_other_name_finds_it_and_names_it(client, catalogue):
    response = search(client, "huttenlocher")
    assert result_names(response) == ["Alpers syndrome"]
    assert reasons(response)["Alpers syndrome"] == ["Also called Alpers-Huttenlocher syndrome"]


def test_other_name_typed_as_a_prefix_while_typing(client, catalogue):
    assert result_names(search(client, "poliodys")) == ["Alpers syndrome"]


def test_a_symptom_added_later_is_found(client, catalogue, seizure):
    # The save signal keeps the index current for edits made one row at a time.
    make_annotation(catalogue["alstrom"], seizure, imported=False)
    assert sorted(result_names(search(client, "seizure"))) == ["Alpers syndrome", "Alström syndrome"]


# -- HPO IDs and symptom terms -----------------------------------------------------------------


@pytest.mark.parametrize("query", ["HP:0001250", "hp:0001250", "0001250", "HP_0001250"])
def test_hpo_id_lists_the_diseases_with_that_symptom_and_links_it(client, catalogue, query):
    response = search(client, query)
    assert result_names(response) == ["Alpers syndrome"]  # not where it is NOT seen
    html = response.content.decode()
    assert 'HP:0001250 is the symptom <a href="/symptoms/HP:0001250/">Seizure</a>' in html
    assert reasons(response)["Alpers syndrome"] == ["Symptom: Seizure (HP:0001250)"]
    assert "older ID" not in page_text(response)  # it is the term's own ID, however it was typed


@pytest.mark.parametrize("query", ["HP:0002279", "hp:0002306", "0002279"])
def test_alt_id_finds_the_current_term(client, catalogue, query):
    response = search(client, query)
    assert result_names(response) == ["Alpers syndrome"]
    assert 'is the symptom <a href="/symptoms/HP:0001250/">Seizure</a>' in response.content.decode()
    assert "the ID you searched for is an older ID of this term" in page_text(response)


def test_unknown_hpo_id_finds_nothing(client, catalogue):
    response = search(client, "HP:0009999")
    assert result_names(response) == []
    assert "0 diseases found" in page_text(response)


def test_matching_symptom_terms_are_listed_and_link_to_their_pages(client, catalogue):
    make_term("HP:0011097", "Epileptic spasm")
    response = search(client, "epilep")
    html = response.content.decode()
    section = html.split('class="symptom-results"')[1].split("</section>")[0]
    links = re.findall(r'<a href="(/symptoms/HP:\d{7}/)">([^<]+)</a>', section)
    assert sorted(links) == [("/symptoms/HP:0001250/", "Seizure"), ("/symptoms/HP:0011097/", "Epileptic spasm")]


def test_obsolete_terms_are_not_listed_as_matching_symptoms(client, catalogue):
    make_term("HP:0000000", "obsolete Seizure-like episode", is_obsolete=True)
    html = search(client, "seizure").content.decode()
    assert "/symptoms/HP:0000000/" not in html


# -- pagination ------------------------------------------------------------------------------


@pytest.fixture
def many(db):
    add_diseases([f"Test syndrome {n:02}" for n in range(25)])


def test_results_past_twenty_continue_on_page_two(client, many):
    first = search(client, "test syndrome")
    second = search(client, "test syndrome", page=2)
    assert len(result_names(first)) == 20 and len(result_names(second)) == 5
    assert sorted(result_names(first) + result_names(second)) == [f"Test syndrome {n:02}" for n in range(25)]
    assert "Page 1 of 2" in page_text(first) and "Page 2 of 2" in page_text(second)
    assert '<ol class="results" start="21"' in second.content.decode()
    assert 'href="?q=test%20syndrome&amp;page=2" rel="next"' in first.content.decode()
    assert 'href="?q=test%20syndrome&amp;page=1" rel="prev"' in second.content.decode()
    assert "25 diseases found" in page_text(second)


@pytest.mark.parametrize("page", ["abc", "-1", "0", "1e9", "", "10001", "2.5"])
def test_bad_page_numbers_give_the_first_page_of_results(client, many, page):
    response = search(client, "test syndrome", page=page)
    assert result_names(response) == result_names(search(client, "test syndrome"))
    assert "Page 1 of 2" in page_text(response)


@pytest.mark.parametrize("page", ["3", "999", "10000"])
def test_page_past_the_end_shows_the_last_page(client, many, page):
    response = search(client, "test syndrome", page=page)
    assert result_names(response) == result_names(search(client, "test syndrome", page=2))
    assert "Page 2 of 2" in page_text(response)


def test_identifier_result_is_counted_once_across_pages(client, catalogue):
    add_diseases([f"Orpha 64 variant {n:02}" for n in range(24)])
    first = search(client, "ORPHA:64")
    second = search(client, "ORPHA:64", page=2)
    assert result_names(first)[0] == "Alström syndrome"
    names = result_names(first) + result_names(second)
    assert len(names) == len(set(names)) == 25
    assert "25 diseases found" in page_text(first)


# -- query syntax is never passed to the full-text engine -----------------------------------


@pytest.mark.parametrize(
    "query",
    ['"alstrom', "alstrom*", "(alstrom", "alstrom)", "-alstrom", "alstrom:", "^alstrom", "alstrom +", "{alstrom}"],
)
def test_fts_syntax_characters_around_a_word_still_find_it(client, catalogue, query):
    assert result_names(search(client, query))[0] == "Alström syndrome"


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "*",
        "(",
        ")",
        "-",
        ":",
        "NEAR",
        "NEAR(alstrom syndrome, 2)",
        "alstrom NEAR syndrome",
        "alstrom AND",
        "OR alstrom",
        "NOT",
        "name:alstrom",
        "{name other_names}: alstrom",
        "alstrom * syndrome",
        "a" * 200,
        "HP:",
        "ORPHA:",
    ],
)
def test_fts_syntax_in_the_query_never_causes_an_error(client, catalogue, query):
    search(client, query)
    assert client.get("/search/suggest/", {"q": query}).status_code == 200


# -- suggestions -------------------------------------------------------------------------------


def test_suggestions_give_the_disease_name_and_url(client, catalogue):
    response = client.get("/search/suggest/", {"q": "alst"})
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["query"] == "alst"
    assert data["suggestions"][0] == {"label": "Alström syndrome", "url": "/diseases/alstrom-syndrome/", "detail": ""}


@pytest.mark.parametrize("query", ["a", " a ", "", "é"])
def test_one_letter_query_suggests_nothing(client, catalogue, query):
    assert client.get("/search/suggest/", {"q": query}).json()["suggestions"] == []


def test_symptom_terms_are_suggested_after_diseases(client, catalogue):
    suggestions = client.get("/search/suggest/", {"q": "seiz"}).json()["suggestions"]
    assert suggestions == [
        {"label": "Alpers syndrome", "url": "/diseases/alpers-syndrome/", "detail": "Symptom: Epileptic seizure"},
        {"label": "Seizure (HP:0001250)", "url": "/symptoms/HP:0001250/", "detail": "Symptom"},
    ]


def test_suggestions_are_at_most_eight(client, many):
    assert len(client.get("/search/suggest/", {"q": "test"}).json()["suggestions"]) == 8


# -- query counts ----------------------------------------------------------------------------

# Words: the content generation (gard/cache.py); the names that are or start with the query (gard/search/names.py);
# the number of full-text matches; one ranked page of ids; why each matched outside its name (highlights); the
# diseases of the page with what each is; the matching symptom terms; those terms. The vocabulary
# (gard/search/spelling.py) is read once for each content generation, so a search made first warms it.
# And the search's savepoint (SAVEPOINT, RELEASE: gard.search.query.time_limited), because the test runs inside a
# transaction; a request outside one makes neither.
SAVEPOINT = 2
TEXT_SEARCH_QUERIES = 8 + SAVEPOINT


def warm_vocabulary(client):
    client.get("/search/", {"q": "warm up"})


@pytest.mark.parametrize("number", [2, 60])
def test_search_query_count_does_not_grow_with_results(client, seizure, django_assert_num_queries, number):
    diseases = add_diseases(f"Disease {n:02}" for n in range(number))
    Annotation.objects.bulk_create(
        Annotation(disease=disease, phenotype=seizure, import_ref=f"a-{disease.pk}") for disease in diseases
    )
    rebuild_search()
    warm_vocabulary(client)
    with django_assert_num_queries(TEXT_SEARCH_QUERIES):
        response = client.get("/search/", {"q": "seizure"})
    assert len(result_names(response)) == min(number, 20)
    # An HPO ID: the content generation; the term; the number of diseases with it; one page of their ids; those
    # diseases.
    with django_assert_num_queries(5 + SAVEPOINT):
        response = client.get("/search/", {"q": "HP:0001250"})
    assert len(result_names(response)) == min(number, 20)
    # An identifier: the content generation; its record; the names; the number of other diseases the words match;
    # one ranked page of them (no highlights: none matched); the diseases; the matching symptom terms (none, so no
    # second query for them).
    Identifier.objects.create(disease=Disease.objects.first(), prefix="ORPHA", accession="1")
    warm_vocabulary(client)
    with django_assert_num_queries(7 + SAVEPOINT):
        response = client.get("/search/", {"q": "ORPHA:1"})
    assert result_names(response) == ["Disease 00"]


@pytest.mark.parametrize("number", [2, 60])
def test_suggestion_query_count_does_not_grow_with_matches(client, seizure, django_assert_num_queries, number):
    add_diseases([f"Seizure disorder {n:02}" for n in range(number)])
    warm_vocabulary(client)
    # The content generation (gard/cache.py); the names; the number of matches; one ranked page of ids (not
    # needed when the names filled the page); the diseases; then, with room left, the matching symptom terms
    # and those terms. (No highlights: every suggestion matched by its name.)
    with django_assert_num_queries((7 if number < 8 else 4) + SAVEPOINT):
        response = client.get("/search/suggest/", {"q": "seiz"})
    assert len(response.json()["suggestions"]) == min(number + 1, 8)
