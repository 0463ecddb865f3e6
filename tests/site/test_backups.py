"""A backup made with dumpdata, loaded into an emptied database, gives the same site byte for byte.

The commands are the README's ("Backups"): three dumps, because content history keeps
references to rows since deleted, which dumpdata cannot write as natural keys, while
accounts and the admin log refer to content types and permissions, whose ids a new
database numbers afresh, and migrate makes the Editors group afresh too:

- groups by name (natural primary keys), so the Editors group migrate made is updated, not doubled;
- accounts, sessions, the admin log and login attempts, with natural foreign keys
  (groups, content types and permissions by name; the last two recreated by migrate, so left out);
- the content and its history by id (the content generation left out: it restarts higher).

Then loaddata both and rebuild the search index, which is not a model.
"""

import json

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client

from gard.admin.permissions import sync_editors_group
from gard.cache import content_generation
from gard.models import Disease, Gene, Section
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
]


def back_up(directory):
    groups, site, content = directory / "groups.json", directory / "site.json", directory / "content.json"
    call_command("dumpdata", "auth.group", natural_foreign=True, natural_primary=True, output=str(groups), verbosity=0)
    call_command(
        "dumpdata",
        natural_foreign=True,
        exclude=["contenttypes", "auth.permission", "auth.group", "gard"],
        output=str(site),
        verbosity=0,
    )
    call_command(
        "dumpdata",
        "gard",
        exclude=["gard.contentgeneration", "gard.searchname", "gard.searchword"],
        output=str(content),
        verbosity=0,
    )
    return groups, site, content


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
    gone = Disease.objects.create(name="A disease deleted later")
    Section.objects.create(disease=gone, kind="summary", body="Its history stays.")
    gone.delete()


# Committed as it goes, as a real restore is: PostgreSQL cannot empty tables (TRUNCATE) inside the
# transaction a test otherwise runs in, with foreign key checks still pending.
@pytest.mark.django_db(transaction=True)
def test_dump_flush_load_gives_identical_pages_and_data(site, tmp_path):
    before = render()
    assert b"Alstr\xc3\xb6m syndrome (edited)" in before["/search/?q=ALMS1"]  # the gene's disease is found
    assert Gene.objects.exists() and Disease.history.filter(name="A disease deleted later").exists()
    generation = content_generation()
    files = back_up(tmp_path)
    editors_id = Group.objects.get(name="Editors").pk

    call_command("flush", interactive=False, verbosity=0)
    with connection.cursor() as cursor:  # an empty database has an empty index
        cursor.execute("DELETE FROM gard_disease_fts")
        cursor.execute("DELETE FROM gard_phenotype_fts")
    assert not Disease.objects.exists()
    assert Client().get("/search/?q=seizure").content != before["/search/?q=seizure"]

    assert Group.objects.get(name="Editors").pk != editors_id  # migrate's signal made it again, numbered afresh
    call_command("loaddata", *map(str, files), verbosity=0)
    call_command("rebuild_search_index", verbosity=0)

    assert content_generation() > generation  # pages cached before the restore are never served after it
    after = render()
    for path in PAGES:
        assert after[path] == before[path], path

    (tmp_path / "again").mkdir()
    again = back_up(tmp_path / "again")
    assert sorted(editor_groups()) == ["Editors", "Reviewers"]
    assert Group.objects.get(name="Editors").permissions.count() > 0
    for first, second in zip(files, again, strict=True):
        assert json.loads(second.read_text()) == json.loads(first.read_text()), first.name
