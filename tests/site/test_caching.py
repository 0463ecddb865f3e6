"""Public pages are served from the cache until public content changes (gard/cache.py).

Cached pages are keyed by the content generation, a number in the database that every
edit and every import that changed something raises; a request reads it once.
"""

import pytest
from django.contrib.messages import add_message, constants
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gard.cache import bump_content_generation, content_generation
from gard.models import ContentGeneration, Disease, Gene, Identifier, Phenotype, Section, Synonym
from tests.factories import OBO
from tests.html import edit_in_admin, page_text

DISEASE = "/diseases/alpers-syndrome/"
PUBLIC_PAGES = [
    "/",
    "/diseases/letter/A/",
    DISEASE,
    f"{DISEASE}?frequency=frequent&sort=-name",
    f"{DISEASE}symptoms.csv",
    "/symptoms/HP:0001251/",
    "/search/?q=alpers",
    "/search/suggest/?q=alp",
]


def get(client, path, **extra):
    """The response and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    return response, len(queries)


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_second_request_is_served_from_the_cache_with_one_query(client, path):
    first, rendered = get(client, path)
    second, cached = get(client, path)
    assert first.status_code == second.status_code == 200
    assert rendered > 1
    assert cached == 1  # the content generation, nothing else
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_head_is_served_from_the_entry_get_stored(client):
    get(client, DISEASE)
    with CaptureQueriesContext(connection) as queries:
        response = client.head(DISEASE)
    assert response.status_code == 200 and len(queries) == 1
    assert response.content == b""  # a HEAD answer has no body, whatever was cached


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_csv_stays_a_csv_when_served_from_the_cache(client):
    path = f"{DISEASE}symptoms.csv?frequency=very_frequent"
    first = client.get(path)
    second, queries = get(client, path)
    assert queries == 1
    assert second["Content-Type"] == "text/csv; charset=utf-8"
    assert second["Content-Disposition"] == 'attachment; filename="alpers-syndrome-symptoms.csv"'
    assert second.content == first.content and second.content.startswith(b"Medical term,HPO ID,")


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_suggestions_stay_json_when_served_from_the_cache(client):
    first = client.get("/search/suggest/", {"q": "alp"})
    second, queries = get(client, "/search/suggest/?q=alp")
    assert queries == 1
    assert second["Content-Type"] == "application/json"
    assert second.json() == first.json() and second.json()["suggestions"]


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_different_query_strings_are_different_entries(client):
    everything, _ = get(client, DISEASE)
    frequent, rendered = get(client, f"{DISEASE}?frequency=frequent")
    occasional, rendered_too = get(client, f"{DISEASE}?frequency=occasional")
    assert rendered > 1 and rendered_too > 1  # neither came from another address's entry
    assert len({everything.content, frequent.content, occasional.content}) == 3
    assert "Showing 43 of 43 symptoms" in page_text(everything)
    assert "Showing 43 of 43" not in page_text(frequent)
    again, queries = get(client, f"{DISEASE}?frequency=frequent")
    assert queries == 1 and again.content == frequent.content


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_an_admin_edit_shows_on_the_next_request(client, editor):
    before = client.get(DISEASE)
    assert "Alpers syndrome, renamed" not in page_text(before)
    assert get(client, DISEASE)[1] == 1  # cached

    staff = Client()
    staff.force_login(editor)
    edit_in_admin(staff, Disease.objects.get(slug="alpers-syndrome"), name="Alpers syndrome, renamed")

    after, queries = get(client, DISEASE)
    assert queries > 1  # rendered afresh
    assert "Alpers syndrome, renamed" in page_text(after)
    assert "Alpers syndrome, renamed" in page_text(client.get("/"))  # every page, not only the one edited


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_each_kind_of_edit_raises_the_generation():
    disease = Disease.objects.get(slug="alpers-syndrome")
    phenotype = Phenotype.objects.get(hpo_id="HP:0001251")
    gene = Gene.objects.create(symbol="POLG", ncbi_id=5428)
    record = disease.identifiers.first()
    edits = [
        lambda: Section.objects.filter(disease=disease).first().save(),
        lambda: Synonym.objects.create(disease=disease, name="A new other name"),
        lambda: Synonym.objects.get(name="A new other name").delete(),
        lambda: phenotype.save(),
        lambda: record.genes.add(gene),  # m2m_changed
        lambda: gene.records.clear(),  # from the other side
        lambda: phenotype.parents.add(Phenotype.objects.exclude(pk=phenotype.pk).first()),
        lambda: Identifier.objects.create(disease=disease, prefix="DECIPHER", accession="99"),
    ]
    for edit in edits:
        before = content_generation()
        edit()
        assert content_generation() > before


@pytest.mark.django_db
def test_generation_row_is_created_once_and_numbers_only_go_up():
    assert not ContentGeneration.objects.exists()
    first = content_generation()
    assert ContentGeneration.objects.count() == 1 and content_generation() == first
    bump_content_generation()
    assert content_generation() == first + 1
    ContentGeneration.objects.all().delete()  # lost, as in a flush: it comes back higher than before
    assert content_generation() > first + 1


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_signed_in_users_are_neither_served_nor_stored(client, editor):
    client.get(DISEASE)  # cached for visitors
    staff = Client()
    staff.force_login(editor)
    _, queries = get(staff, DISEASE)
    assert queries > 2  # the session, the user, then the page itself
    Disease.objects.filter(slug="alpers-syndrome").update(name="Changed behind the cache's back")
    assert "Changed behind" in page_text(staff.get(DISEASE))
    assert "Changed behind" not in page_text(client.get(DISEASE))  # visitors still get the stored page


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_unknown_addresses_and_redirects_are_not_stored(client):
    for path, status in (("/diseases/unknown/", 404), ("/symptoms/hp:0001251/", 301)):
        assert client.get(path).status_code == status
        assert get(client, path)[1] > 1


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_pages_with_a_message_are_not_stored(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    from gard.diseases.views import disease_detail

    def request():
        request = rf.get(DISEASE)
        request.session, request.user = SessionStore(), AnonymousUser()
        request._messages = FallbackStorage(request)
        return request

    with_message = request()
    add_message(with_message, constants.INFO, "Saved.")
    disease_detail(with_message, slug="alpers-syndrome")
    with CaptureQueriesContext(connection) as queries:
        disease_detail(request(), slug="alpers-syndrome")
    assert len(queries) > 1  # the page with the message was not stored for the next visitor


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_admin_pages_are_never_cached(client, editor):
    client.force_login(editor)
    client.get("/admin/gard/disease/")
    _, queries = get(client, "/admin/gard/disease/")
    assert queries > 2


# -- imports ---------------------------------------------------------------------------------


def test_an_import_that_changes_something_invalidates(client, imported):
    path = "/diseases/alstrom-syndrome/"
    assert "Global developmental delay" in page_text(client.get(path))
    assert get(client, path)[1] == 1  # cached
    generation = content_generation()

    imported.set_version("2025-03-03")
    imported.replace(OBO, "name: Global developmental delay", "name: Developmental delay, global")
    assert imported.run().startswith("HPO release 2025-03-03: 2 changes.")

    # Raised once at the end for the bulk writes (and by the release row's own save, a plain one).
    assert content_generation() > generation
    after, queries = get(client, path)
    assert queries > 1
    assert "Developmental delay, global" in page_text(after)
    assert "Global developmental delay" not in page_text(after)


def test_an_import_that_changes_nothing_keeps_the_cache(client, imported):
    path = "/diseases/alstrom-syndrome/"
    first = client.get(path)
    generation = content_generation()
    assert imported.run().startswith("HPO release 2025-01-16: 0 changes.")
    assert content_generation() == generation
    second, queries = get(client, path)
    assert queries == 1 and second.content == first.content
