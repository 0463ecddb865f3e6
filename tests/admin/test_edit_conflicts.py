"""Two editors saving one row from forms opened on the same version: the second is refused, and told why.

The disease page first (its versions), then every change form in the admin, parametrised."""

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client, RequestFactory
from django.utils import timezone

from gard.admin.history import locked
from gard.models import (
    Annotation,
    Disease,
    DiseaseRedirect,
    Identifier,
    Phenotype,
    PhenotypeSynonym,
    Reference,
    Resource,
    Section,
    Source,
    Synonym,
)
from tests.factories import hpo_source, make_disease, make_editor, make_redirect, make_resource, make_term
from tests.html import change_url, form_data, page_text

CONFLICT = "Not saved: this page was changed by someone else since you opened it."


def signed_in(username) -> Client:
    client = Client()
    client.force_login(make_editor(username))
    return client


@pytest.fixture
def ana(db):
    return signed_in("ana")


@pytest.fixture
def ben(db):
    return signed_in("ben")


@pytest.fixture
def disease(documents):
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
    assert forms["ana"]["opened_version"] == forms["ben"]["opened_version"]
    assert forms["ana"]["opened_version"][0].startswith(f"{disease.version}-")  # the version, and a digest
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
    assert again["opened_version"][0].startswith("2-")
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
    assert "did not say which version of the disease it was opened on" in page_text(response)
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
from django.contrib import admin
from django.test import Client, RequestFactory
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


# -- every change form --------------------------------------------------------------------------


@pytest.fixture
def page(db):
    """A disease page with one row of each kind an editor changes on its own change form."""
    term = make_term("HP:0001250", "Seizure", names=[("Fits", True)])
    disease = make_disease(
        "Dravet syndrome",
        other_names=["Severe myoclonic epilepsy of infancy"],
        records=["OMIM:607208"],
        sections={"summary": "A rare epilepsy that begins in the first year."},
        references=["Dravet C. The core Dravet syndrome phenotype. Epilepsia. 2011."],
        symptoms=[term],
    )
    make_resource(disease, "Epilepsy genetics clinic")
    make_redirect(disease, "severe-myoclonic-epilepsy")
    hpo_source()
    return disease


def the_row(model, disease):
    rows = {
        Disease: lambda: disease,
        DiseaseRedirect: lambda: disease.redirects.get(),
        Identifier: lambda: disease.identifiers.get(),
        Phenotype: lambda: Phenotype.objects.get(hpo_id="HP:0001250"),
        Source: lambda: Source.objects.get(key="hpo"),
        Section: lambda: disease.sections.get(),
        Synonym: lambda: disease.synonyms.get(),
        Reference: lambda: disease.references.get(),
        Resource: lambda: disease.resources.get(),
        Annotation: lambda: disease.annotations.get(),
    }
    return rows[model]()


def stored(model, row, field):
    if model is Phenotype:  # its form edits the editors' other names of the term (an inline)
        return sorted(row.synonyms.filter(imported=False).values_list("name", flat=True))
    row.refresh_from_db()
    return getattr(row, field)


def set_value(model, data, field, value):
    if model is Phenotype:
        data[f"synonyms-{int(data['synonyms-TOTAL_FORMS'][0]) - 1}-name"] = [value]  # the empty extra row
    else:
        data[field] = [value]


# Every registered model an editor can change, with a field of its change form and two editors' values.
EDITABLE = [
    (Disease, "name", "Dravet syndrome (ana)", "Dravet syndrome (ben)"),
    (DiseaseRedirect, "slug", "dravet-ana", "dravet-ben"),
    (Identifier, "name", "Dravet (ana)", "Dravet (ben)"),
    (Phenotype, "synonyms", "Fit (ana)", "Fit (ben)"),
    (Source, "title", "HPO (ana)", "HPO (ben)"),
    (Section, "body", "Ana's summary.", "Ben's summary."),
    (Synonym, "name", "SMEI (ana)", "SMEI (ben)"),
    (Reference, "citation", "Ana's citation.", "Ben's citation."),
    (Resource, "name", "Clinic (ana)", "Clinic (ben)"),
    (Annotation, "frequency_raw", "3/10 (ana)", "4/10 (ben)"),
]


def test_the_list_covers_every_model_an_editor_can_change(page):
    request = RequestFactory().get("/admin/")
    request.user = make_editor("checker")
    changeable = {
        model
        for model, model_admin in admin.site._registry.items()  # every model of every app in the admin
        if model_admin.has_change_permission(request)
    }
    assert changeable == {model for model, *_ in EDITABLE}


@pytest.mark.parametrize(
    ("model", "field", "ana_value", "ben_value"), EDITABLE, ids=lambda v: getattr(v, "__name__", None)
)
def test_every_change_form_refuses_a_stale_save_saying_who_changed_what(page, model, field, ana_value, ben_value):
    ana, ben = signed_in("ana"), signed_in("ben")
    row = the_row(model, page)
    url = change_url(row)
    ana_form, ben_form = form_data(ana.get(url)), form_data(ben.get(url))
    assert ana_form["opened_version"] == ben_form["opened_version"] != [""]
    set_value(model, ben_form, field, ben_value)
    saved = ben.post(url, ben_form)
    assert saved.status_code == 302, page_text(saved)[:3000]
    bens = stored(model, row, field)

    set_value(model, ana_form, field, ana_value)
    refused = ana.post(url, ana_form)
    assert refused.status_code == 200
    text = page_text(refused)
    assert "Not saved: this" in text and "changed by someone else since you opened it" in text
    assert "ben" in text  # who
    assert f"“{ben_value}”" in text  # what
    assert stored(model, row, field) == bens  # nothing of Ana's saved
    again = form_data(refused)
    kept = again[f"synonyms-{int(again['synonyms-TOTAL_FORMS'][0]) - 1}-name"] if model is Phenotype else again[field]
    assert kept == [ana_value]  # her text is still in the form

    # Saving again, having seen Ben's change, applies her value.
    applied = ana.post(url, again)
    assert applied.status_code == 302, page_text(applied)[:3000]
    if model is Phenotype:
        assert stored(model, row, field) == sorted([ana_value, ben_value, "Fits"])
    else:
        assert stored(model, row, field) == ana_value


@pytest.mark.parametrize(
    ("model", "field", "ana_value", "ben_value"), EDITABLE, ids=lambda v: getattr(v, "__name__", None)
)
def test_a_change_made_outside_the_admin_also_makes_an_open_form_stale(page, model, field, ana_value, ben_value):
    """Imports write in bulk and record no history: the stored values themselves are compared."""
    ana = signed_in("ana")
    row = the_row(model, page)
    ana_form = form_data(ana.get(change_url(row)))
    if model is Phenotype:
        PhenotypeSynonym.objects.filter(phenotype=row, imported=False).update(name=ben_value)
    else:
        model.objects.filter(pk=row.pk).update(**{field: ben_value})
    set_value(model, ana_form, field, ana_value)
    refused = ana.post(change_url(row), ana_form)
    assert refused.status_code == 200
    assert "changed outside the admin" in page_text(refused)
    assert ben_value in stored(model, row, field)


def test_an_inline_row_changed_outside_the_admin_makes_the_disease_form_stale(ana, page):
    """The disease's version covers saves through the admin; the rows' stored values cover the rest."""
    form = form_data(ana.get(change_url(page)))
    section = page.sections.get()
    Section.objects.filter(pk=section.pk).update(body="Changed by a script.")
    form["summary"] = ["Ana's summary."]
    refused = ana.post(change_url(page), form)
    assert refused.status_code == 200
    assert "changed outside the admin" in page_text(refused)
    page.refresh_from_db()
    assert page.summary == ""
    section.refresh_from_db()
    assert section.body == "Changed by a script."
