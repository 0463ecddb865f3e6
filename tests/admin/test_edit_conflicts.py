"""Two editors saving one disease from forms opened on the same version: the second is refused, and told why."""

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from gard.admin.history import locked
from gard.models import Disease, Section
from tests.factories import make_editor
from tests.html import change_url, form_data, page_text

pytestmark = pytest.mark.usefixtures("documents")

CONFLICT = "Not saved: this page was changed by someone else since you opened it."


def signed_in(username) -> Client:
    client = Client()
    client.force_login(make_editor(username))
    return client


@pytest.fixture
def ana():
    return signed_in("ana")


@pytest.fixture
def ben():
    return signed_in("ben")


@pytest.fixture
def disease():
    return Disease.objects.get(slug="alstrom-syndrome")


def open_form(client, disease) -> dict[str, list[str]]:
    response = client.get(change_url(disease))
    assert response.status_code == 200
    return form_data(response)


def section_index(data, section) -> int:
    return next(i for i in range(50) if data.get(f"sections-{i}-id") == [str(section.pk)])


@pytest.mark.parametrize("order", ["ana first", "ben first"])
def test_the_second_save_from_the_same_version_is_refused_with_who_when_and_what(ana, ben, disease, order):
    editors = {"ana": ana, "ben": ben}
    forms = {name: open_form(client, disease) for name, client in editors.items()}
    assert forms["ana"]["opened_version"] == forms["ben"]["opened_version"] == [str(disease.version)]
    forms["ana"]["name"] = ["Alström syndrome (ana)"]
    forms["ben"]["name"] = ["Alström syndrome (ben)"]
    forms["ben"]["last_reviewed"] = ["2026-01-15"]
    first, second = ("ana", "ben") if order == "ana first" else ("ben", "ana")

    saved = editors[first].post(change_url(disease), forms[first])
    assert saved.status_code == 302
    refused = editors[second].post(change_url(disease), forms[second])

    assert refused.status_code == 200
    text = page_text(refused)
    assert CONFLICT in text
    assert f"You opened version {disease.version}; it is now version {disease.version + 1}." in text
    assert f"{first} saved version {disease.version + 1} on {timezone.now():%-d %B %Y} at" in text
    assert f"Name: “Alström syndrome” → “Alström syndrome ({first})”" in text
    if first == "ben":
        assert "Last reviewed: “(empty)” → “2026-01-15”" in text
    # Nothing of the first save was overwritten, and the second editor's values are still in the form.
    disease.refresh_from_db()
    assert disease.name == f"Alström syndrome ({first})"
    assert disease.version == 2
    assert form_data(refused)["name"] == [f"Alström syndrome ({second})"]


def test_a_change_to_rows_only_raises_the_version_and_is_reported_row_by_row(ana, ben, disease):
    ana_form, ben_form = open_form(ana, disease), open_form(ben, disease)
    summary = Section.objects.get(disease=disease, kind="summary")
    extra = int(ana_form["synonyms-TOTAL_FORMS"][0]) - 1
    ana_form[f"synonyms-{extra}-name"] = ["ALMS1 ciliopathy"]
    ana_form[f"sections-{section_index(ana_form, summary)}-body"] = ["A short summary, rewritten by Ana."]
    assert ana.post(change_url(disease), ana_form).status_code == 302
    disease.refresh_from_db()
    assert disease.version == 2  # a save that changed only rows is a new version too

    ben_form[f"sections-{section_index(ben_form, summary)}-body"] = ["Ben's summary."]
    refused = ben.post(change_url(disease), ben_form)
    text = page_text(refused)
    assert CONFLICT in text
    assert "Other name “ALMS1 ciliopathy” added" in text
    assert "Section “Summary” (Genetics Home Reference) changed: body" in text
    assert "→ “A short summary, rewritten by Ana.”" in text
    summary.refresh_from_db()
    assert summary.body == "A short summary, rewritten by Ana."
    assert form_data(refused)[f"sections-{section_index(ben_form, summary)}-body"] == ["Ben's summary."]


def test_saving_again_after_the_message_applies_the_values_knowingly(ana, ben, disease):
    ana_form, ben_form = open_form(ana, disease), open_form(ben, disease)
    ana_form["slug"] = ["alstrom-syndrome-ana"]
    assert ana.post(change_url(disease), ana_form).status_code == 302
    ben_form["name"] = ["Alström syndrome (ben)"]
    refused = ben.post(change_url(disease), ben_form)
    assert CONFLICT in page_text(refused)

    # The form now stands for the version Ben has been shown: saving it again is his informed choice.
    again = form_data(refused)
    assert again["opened_version"] == ["2"]
    response = ben.post(change_url(disease), again)
    assert response.status_code == 302, page_text(response)[:2000]
    disease.refresh_from_db()
    assert (disease.name, disease.version) == ("Alström syndrome (ben)", 3)
    # His form still held the slug as he had opened it: the message had listed Ana's change to it.
    assert disease.slug == "alstrom-syndrome"


def test_a_row_saved_on_its_own_page_also_makes_an_open_form_stale(ana, ben, disease):
    ben_form = open_form(ben, disease)
    summary = Section.objects.get(disease=disease, kind="summary")
    url = f"/admin/gard/section/{summary.pk}/change/"
    section_form = form_data(ana.get(url))
    section_form["body"] = ["Edited on the section's own page."]
    assert ana.post(url, section_form).status_code == 302
    refused = ben.post(change_url(disease), ben_form)
    text = page_text(refused)
    assert CONFLICT in text
    assert "ana saved version 2" in text
    assert "Section “Summary” (Genetics Home Reference) changed" in text
    summary.refresh_from_db()
    assert summary.body == "Edited on the section's own page."


def test_every_save_raises_the_version_even_without_changes(ana, disease):
    for expected in (2, 3):
        assert ana.post(change_url(disease), open_form(ana, disease)).status_code == 302
        disease.refresh_from_db()
        assert disease.version == expected


def test_the_same_editor_in_two_tabs_is_told_it_was_them(ana, disease):
    first_tab, second_tab = open_form(ana, disease), open_form(ana, disease)
    first_tab["name"] = ["Alström syndrome (tab 1)"]
    assert ana.post(change_url(disease), first_tab).status_code == 302
    refused = ana.post(change_url(disease), second_tab)
    assert "Not saved: this page was changed by you, in another window or tab, since you opened it." in page_text(
        refused
    )


def test_a_form_without_its_version_is_refused(ana, disease):
    data = open_form(ana, disease)
    data.pop("opened_version")
    data["name"] = ["Something else"]
    response = ana.post(change_url(disease), data)
    assert response.status_code == 200
    assert "did not say which version of the page it was opened on" in page_text(response)
    disease.refresh_from_db()
    assert disease.name == "Alström syndrome"


def test_the_check_locks_the_row_inside_the_save_transaction(disease):
    rows = Disease.objects.filter(pk=disease.pk)
    with transaction.atomic():  # the admin's change view saves inside one
        assert locked(rows).query.select_for_update  # FOR UPDATE where the database has it (PostgreSQL)


def test_the_message_escapes_what_editors_wrote(ana, ben, disease):
    ana_form, ben_form = open_form(ana, disease), open_form(ben, disease)
    ana_form["name"] = ["Alström <script>alert(1)</script>"]
    assert ana.post(change_url(disease), ana_form).status_code == 302
    html = ben.post(change_url(disease), ben_form).content.decode()
    assert "“Alström &lt;script&gt;alert(1)&lt;/script&gt;”" in html
    assert "<script>alert(1)" not in html


RACE = """
import threading
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.test import Client
from gard.models import Disease
from tests.factories import make_editor
from tests.html import form_data

call_command("loaddata", "source_documents", verbosity=0)
disease = Disease.objects.get(slug="alstrom-syndrome")
url = f"/admin/gard/disease/{disease.pk}/change/"
clients = []
for name in ("ana", "ben"):
    client = Client(raise_request_exception=False)
    client.force_login(make_editor(name, password=None))
    clients.append(client)
outcomes = []
for trial in range(5):
    forms = [form_data(client.get(url)) for client in clients]
    for n, form in enumerate(forms):
        form["name"] = [f"Alström syndrome {trial} {n}"]
    start, results = threading.Barrier(2), [None, None]

    def save(n):
        start.wait()
        response = clients[n].post(url, forms[n])
        results[n] = "conflict" if b"Not saved" in response.content else str(response.status_code)
        connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcomes.append(",".join(sorted(results)))
disease.refresh_from_db()
print(";".join(outcomes), disease.version)
"""


def test_two_saves_at_the_same_instant_on_sqlite_one_saves_and_the_other_is_told(tmp_path):
    """SQLite has no row locks: the save's transaction takes the write lock first, so the second waits, then learns."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        {
            "SQLITE_PATH": str(tmp_path / "race.sqlite3"),
            "STATIC_ROOT": str(tmp_path / "static"),
            "DJANGO_SETTINGS_MODULE": "gard.settings",
        }
    )
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    # The admin pages render with the hashed static files' manifest, as served.
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([*manage, *command], env=env, cwd=settings.BASE_DIR, check=True, capture_output=True)
    result = subprocess.run(
        [sys.executable, "-c", RACE], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcomes, version = result.stdout.split()
    assert outcomes.split(";") == ["302,conflict"] * 5, result.stderr[-3000:]
    assert version == "6"  # one save per trial, none lost, none doubled
