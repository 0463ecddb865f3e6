"""Editors' content backed up on its own and restored onto a catalogue imported afresh gives the same site.

The README's "Backups": the catalogue is not dumped but imported again from its releases (the documents,
the HPO release, the open data), and ``backup_content`` keeps what editors added or changed, their history,
the accounts and the admin log, pointing at diseases and terms by their keys rather than ids, so that
``restore_content`` reattaches them to the rows the new import made, whatever their ids.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client

from gard.admin.permissions import sync_editors_group
from gard.cache import content_generation
from gard.models import Disease, DiseaseRedirect, Phenotype, PhenotypeSynonym, Section
from tests.factories import SampleRelease
from tests.html import edit_in_admin

PAGES = [
    "/",
    "/diseases/letter/A/",
    "/diseases/alpers-syndrome/?frequency=very_frequent&frequency=frequent&sort=-name",
    "/diseases/alstrom-syndrome/?names=plain&system=HP:0000707",
    "/diseases/alstrom-syndrome/symptoms.csv?sort=hpo_id",
    "/symptoms/HP:0001250/",
    "/search/?q=seizure",
    "/search/?q=ALMS1",
    "/search/?q=progressive+sclerosing",
    "/search/suggest/?q=alp",
    "/search/?q=convulsive",  # a term's name an editor changed, in the diseases that have it
]


def import_catalogue(directory):
    """What `make run` does on an empty database: the documents, then the release."""
    call_command("loaddata", "source_documents", verbosity=0)
    directory.mkdir()
    SampleRelease(directory).run()


def editor_groups() -> list[str]:
    return list(User.objects.get(username="editor").groups.values_list("name", flat=True))


def render() -> dict[str, bytes]:
    cache.clear()  # rendered afresh, not served from the cache
    client = Client()
    pages = {}
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.content
    return pages


def search_index_rows() -> list:
    with connection.cursor() as cursor:
        rows = []
        for table in ("gard_disease_fts", "gard_phenotype_fts", "gard_searchname", "gard_searchword"):
            cursor.execute(f"SELECT * FROM {table}")
            rows.append(sorted(map(repr, cursor.fetchall())))
    return rows


@pytest.fixture
def site(documents, editor, tmp_path):
    """The documents, a small HPO release, an admin edit, a deleted disease with history, a signed-in editor."""
    release = tmp_path / "release"
    release.mkdir()
    SampleRelease(release).run()
    # The Editors group made afresh: its id is no longer the one migrate gives it in an empty database,
    # as on a site whose groups have changed since it was set up.
    Group.objects.filter(name="Editors").delete()
    sync_editors_group(sender=None)
    editor.groups.add(Group.objects.get(name="Editors"), Group.objects.create(name="Reviewers"))
    staff = Client()
    staff.force_login(editor)
    edit_in_admin(staff, Disease.objects.get(slug="alstrom-syndrome"), name="Alström syndrome (edited)")
    # An editor's plain-language name of a term, and an old address of a page: rows of their own, with history.
    seizure = Phenotype.objects.get(hpo_id="HP:0001250")
    seizure.name = "Seizure (convulsive)"
    seizure.save()
    PhenotypeSynonym.objects.create(phenotype=Phenotype.objects.get(hpo_id="HP:0001250"), name="Fits", layperson=True)
    DiseaseRedirect.objects.create(slug="alstroem-syndrome", disease=Disease.objects.get(slug="alstrom-syndrome"))
    gone = Disease.objects.create(name="A disease deleted later")
    Section.objects.create(disease=gone, kind="summary", body="Its history stays.")
    gone.delete()


# Committed as it goes, as a real restore is: PostgreSQL cannot empty tables (TRUNCATE) inside the
# transaction a test otherwise runs in, with foreign key checks still pending.
@pytest.mark.django_db(transaction=True)
def test_editors_content_restored_onto_a_new_import_gives_identical_pages_and_history(site, tmp_path):
    before = render()
    assert b"Alstr\xc3\xb6m syndrome (edited)" in before["/search/?q=ALMS1"]  # the gene's disease is found
    alstrom = Disease.objects.get(slug="alstrom-syndrome")
    history = sorted(alstrom.history.values_list("name", "history_type", "history_user__username"))
    assert ("Alström syndrome (edited)", "~", "editor") in history
    generation = content_generation()
    backup = tmp_path / "content.json.gz"
    call_command("backup_content", str(backup), verbosity=0)

    call_command("flush", interactive=False, verbosity=0)
    with connection.cursor() as cursor:  # an empty database has an empty index
        cursor.execute("DELETE FROM gard_disease_fts")
        cursor.execute("DELETE FROM gard_phenotype_fts")
    # The catalogue first gets other ids than before: a new import numbers its rows afresh.
    Disease.objects.create(name="Taking the first ids", slug="first-ids").delete()
    Disease.history.all().delete()  # a new database has no history
    import_catalogue(tmp_path / "again")
    assert Disease.objects.get(slug="alstrom-syndrome").pk != alstrom.pk
    assert Disease.objects.get(slug="alstrom-syndrome").name == "Alström syndrome"  # as the import writes it

    call_command("restore_content", str(backup), verbosity=0)

    assert content_generation() > generation  # pages cached before the restore are never served after it
    after = render()
    for path in PAGES:
        assert after[path] == before[path], path
    restored = Disease.objects.get(slug="alstrom-syndrome")
    assert sorted(restored.history.values_list("name", "history_type", "history_user__username")) == history
    assert Disease.history.filter(name="A disease deleted later", id__lt=0).exists()  # kept, on no live row
    assert Section.history.filter(body="Its history stays.").count() == 2
    assert b"Seizure (convulsive)" in after["/search/?q=convulsive"]
    # The index followed the restored rows as a whole rebuild would have made it.
    index = search_index_rows()
    call_command("rebuild_search_index", verbosity=0)
    assert search_index_rows() == index
    assert PhenotypeSynonym.objects.filter(phenotype__hpo_id="HP:0001250", name="Fits", layperson=True).exists()
    assert PhenotypeSynonym.history.filter(name="Fits").count() == 1
    assert Client().get("/diseases/alstroem-syndrome/").url == "/diseases/alstrom-syndrome/"
    assert DiseaseRedirect.history.filter(slug="alstroem-syndrome").count() == 1
    assert sorted(editor_groups()) == ["Editors", "Reviewers"]
    assert Group.objects.get(name="Editors").permissions.count() > 0
