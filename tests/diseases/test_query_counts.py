"""The number of queries a public page makes does not grow with its content."""

import pytest

from gard.models import Disease, Frequency
from tests.factories import make_disease, make_term
from tests.queries import count_queries


def disease_with_symptoms(slug: str, symptoms: int) -> Disease:
    """A written page (a summary citing a reference) with this many symptoms, of every frequency in turn;
    the terms, each with four other names, are shared with diseases made before."""
    terms = [
        make_term(
            f"HP:{number:07}",
            f"Symptom {number}",
            names=[(f"Other name {number}.{n}", False) for n in range(4)],
            reuse=True,
        )
        for number in range(symptoms)
    ]
    return make_disease(
        slug.replace("-", " ").title(),
        slug=slug,
        sections={"summary": "A summary citing [1]."},
        references=["A reference."],
        symptoms=[(term, Frequency.values[number % len(Frequency.values)]) for number, term in enumerate(terms)],
    )


@pytest.mark.django_db
def test_disease_page_queries_do_not_grow_with_its_symptoms(client):
    disease_with_symptoms("small-disease", 3)
    disease_with_symptoms("large-disease", 200)
    small = count_queries(client, "/diseases/small-disease/")
    large = count_queries(client, "/diseases/large-disease/")
    assert small == large


@pytest.mark.django_db
def test_disease_page_query_count_is_locked(client, django_assert_num_queries):
    disease_with_symptoms("locked-disease", 20)
    # content generation (gard/cache.py); disease; identifiers, synonyms, sections (+source), resources (+source),
    # references; symptom counts per group; symptom rows (+term, source); other names of the terms.
    with django_assert_num_queries(10):
        client.get("/diseases/locked-disease/")
    with django_assert_num_queries(10):
        client.get("/diseases/locked-disease/", {"q": "symptom 1", "frequency": "frequent", "sort": "hpo_id"})


@pytest.mark.django_db
def test_symptom_csv_query_count_is_locked(client, django_assert_num_queries):
    disease_with_symptoms("csv-disease", 50)
    # content generation (gard/cache.py); disease; symptom counts per group; symptom rows; other names of the terms.
    with django_assert_num_queries(5):
        client.get("/diseases/csv-disease/symptoms.csv")


@pytest.mark.django_db
def test_home_page_query_count_is_locked(client, django_assert_num_queries):
    for number in range(30):
        Disease.objects.create(name=f"Disease {number}")
    with django_assert_num_queries(2):  # the content generation (gard/cache.py); the diseases
        client.get("/")


@pytest.mark.django_db
def test_search_query_count_does_not_grow_with_results(client):
    disease_with_symptoms("search-disease", 5)
    for number in range(30):
        disease_with_symptoms(f"symptom-disease-{number}", 3)
    client.get("/search/?q=warm")  # search's vocabulary is read once for each content generation
    few = count_queries(client, "/search/?q=symptom 4")  # one disease has "Symptom 4"
    many = count_queries(client, "/search/?q=symptom")  # all 31 have a "Symptom …"
    # content generation (gard/cache.py); the names that are or start with the query; count; one ranked page
    # of ids; why each matched outside its name (highlights, skipped when every result on the page matched by
    # name); the diseases with what each is; matching symptom terms and those terms. And the search's savepoint
    # (SAVEPOINT, RELEASE: gard.search.query.time_limited), because the test runs inside a transaction.
    assert few == 8 + 2
    assert many <= 8 + 2
