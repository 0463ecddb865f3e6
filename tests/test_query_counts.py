"""The number of queries a public page makes does not grow with its content."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gard.models import Annotation, Disease, Frequency, Phenotype, PhenotypeSynonym, Reference, Section


def make_disease(slug: str, symptoms: int) -> Disease:
    disease = Disease.objects.create(name=slug.replace("-", " ").title(), slug=slug)
    Section.objects.create(disease=disease, kind="summary", body="A summary citing [1].")
    Reference.objects.create(disease=disease, number=1, citation="A reference.")
    for number in range(symptoms):
        phenotype, _ = Phenotype.objects.get_or_create(hpo_id=f"HP:{number:07}", defaults={"name": f"Symptom {number}"})
        if not phenotype.synonyms.exists():
            PhenotypeSynonym.objects.bulk_create(
                PhenotypeSynonym(phenotype=phenotype, name=f"Other name {number}.{n}", search_name=f"o {n}")
                for n in range(4)
            )
        Annotation.objects.create(
            disease=disease, phenotype=phenotype, frequency=Frequency.values[number % len(Frequency.values)]
        )
    return disease


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_disease_page_queries_do_not_grow_with_its_symptoms(client):
    make_disease("small-disease", 3)
    make_disease("large-disease", 200)
    small = count_queries(client, "/diseases/small-disease/")
    large = count_queries(client, "/diseases/large-disease/")
    assert small == large


@pytest.mark.django_db
def test_disease_page_query_count_is_locked(client, django_assert_num_queries):
    make_disease("locked-disease", 20)
    # content generation (gard/cache.py); disease; identifiers, synonyms, sections (+source), resources (+source),
    # references; symptom counts per group; symptom rows (+term, source); other names of the terms.
    with django_assert_num_queries(10):
        client.get("/diseases/locked-disease/")
    with django_assert_num_queries(10):
        client.get("/diseases/locked-disease/", {"q": "symptom 1", "frequency": "frequent", "sort": "hpo_id"})


@pytest.mark.django_db
def test_symptom_csv_query_count_is_locked(client, django_assert_num_queries):
    make_disease("csv-disease", 50)
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
    make_disease("search-disease", 5)
    for number in range(30):
        make_disease(f"symptom-disease-{number}", 3)
    few = count_queries(client, "/search/?q=symptom 4")  # one disease has "Symptom 4"
    many = count_queries(client, "/search/?q=symptom")  # all 31 have a "Symptom …"
    # content generation (gard/cache.py); count; one ranked page of ids; why each matched outside its name
    # (highlights, skipped when every result on the page matched by name); the diseases; matching symptom
    # terms and those terms.
    assert few == 7
    assert many <= 7
