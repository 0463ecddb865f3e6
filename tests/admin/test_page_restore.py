"""Restoring a disease page as it was at one of its versions: the disease and its rows, together, after a preview."""

import pytest
from django.contrib.auth.models import User

from gard.models import Disease, Identifier, Reference, Section, Synonym
from tests.factories import make_disease, make_editor, make_record
from tests.html import change_url, form_data, page_text


@pytest.fixture
def disease(db):
    return make_disease(
        "Dravet syndrome",
        other_names=["Severe myoclonic epilepsy of infancy"],
        sections={"summary": "A rare epilepsy that begins in the first year."},
        references=["Dravet C. Epilepsia. 2011.", "Scheffer IE. Brain. 2019."],
    )


@pytest.fixture
def editor_client(client, db):
    client.force_login(make_editor("ana"))
    return client


def index_of(data, prefix, pk) -> int:
    return next(i for i in range(50) if data.get(f"{prefix}-{i}-id") == [str(pk)])


def edit_the_page(client, disease):
    """Ana's save: the summary written, the section rewritten, an other name added, the second reference deleted."""
    data = form_data(client.get(change_url(disease)))
    data["summary"] = ["Dravet syndrome is a severe epilepsy."]
    section = disease.sections.get()
    data[f"sections-{index_of(data, 'sections', section.pk)}-body"] = ["Rewritten by Ana."]
    data[f"synonyms-{int(data['synonyms-TOTAL_FORMS'][0]) - 1}-name"] = ["SMEI"]
    second = disease.references.get(number=2)
    data[f"references-{index_of(data, 'references', second.pk)}-DELETE"] = ["on"]
    response = client.post(change_url(disease), data)
    assert response.status_code == 302, page_text(response)[:2000]


def restore_url(disease, record) -> str:
    return f"/admin/gard/disease/{disease.pk}/history/{record.history_id}/restore-page/"


def test_the_history_page_offers_to_restore_the_page_at_each_version(editor_client, disease):
    edit_the_page(editor_client, disease)
    before = disease.history.earliest()
    html = editor_client.get(f"/admin/gard/disease/{disease.pk}/history/").content.decode()
    assert f'href="{restore_url(disease, before)}"' in html
    assert "Restore this page as it was on" in html


def test_the_preview_lists_what_restoring_would_change_and_changes_nothing(editor_client, disease):
    edit_the_page(editor_client, disease)
    before = disease.history.earliest()
    response = editor_client.get(restore_url(disease, before))
    assert response.status_code == 200
    text = page_text(response)
    assert "Summary: “Dravet syndrome is a severe epilepsy.” → “(empty)”" in text
    assert "Section “Summary” (written by an editor) changed back: body “Rewritten by Ana.” → “A rare epilepsy" in text
    assert "Other name “SMEI” deleted (added since)" in text
    assert "Reference [2] added back: " in text and "“Scheffer IE. Brain. 2019.”" in text
    # The preview only shows.
    assert Disease.objects.get(pk=disease.pk).summary == "Dravet syndrome is a severe epilepsy."
    assert not Reference.objects.filter(disease=disease, number=2).exists()


def test_restoring_brings_the_disease_and_its_rows_back_together_as_a_new_version(editor_client, disease):
    reference = disease.references.get(number=2)
    edit_the_page(editor_client, disease)
    before = disease.history.earliest()
    page = editor_client.get(restore_url(disease, before))
    response = editor_client.post(restore_url(disease, before), form_data(page))
    assert response.status_code == 302
    assert response["Location"] == f"/admin/gard/disease/{disease.pk}/history/"

    disease.refresh_from_db()
    assert disease.summary == ""
    assert disease.sections.get().body == "A rare epilepsy that begins in the first year."
    assert list(disease.synonyms.values_list("name", flat=True)) == ["Severe myoclonic epilepsy of infancy"]
    restored = disease.references.get(number=2)
    assert (restored.pk, restored.citation) == (reference.pk, "Scheffer IE. Brain. 2019.")
    assert disease.version == 3  # the edit was version 2; the restore is a new one

    # The history records who restored what, and why.
    latest = disease.history.latest()
    assert latest.history_user.username == "ana" and latest.version == 3
    assert latest.history_change_reason.startswith("Page restored as it was on ")
    for model in (Section, Synonym, Reference):
        record = model.history.filter(disease_id=disease.pk).latest()
        assert record.history_change_reason == latest.history_change_reason
    history = page_text(editor_client.get(response["Location"]))
    assert "The page was restored as it was on" in history and ", as version 3." in history
    assert "Page restored as it was on" in history
    assert editor_client.get("/diseases/dravet-syndrome/").status_code == 200


def test_rows_an_import_keeps_are_left_as_they_are(editor_client, disease):
    record = make_record(disease, "OMIM:607208", "DRAVET SYNDROME")
    Identifier.objects.filter(pk=record.pk).update(imported=True)  # as the HPO import writes it
    name = Synonym.objects.create(disease=disease, name="Epileptic encephalopathy, early infantile, 6", record=record)
    edit_the_page(editor_client, disease)
    before = disease.history.earliest()
    # The next release drops the name; the import deletes it (its deletion is recorded, as any delete is).
    Synonym.objects.filter(pk=name.pk).delete()
    assert Synonym.history.filter(id=name.pk, history_type="-").exists()

    page = editor_client.get(restore_url(disease, before))
    assert "Epileptic encephalopathy" not in page_text(page)
    assert editor_client.post(restore_url(disease, before), form_data(page)).status_code == 302
    assert not Synonym.objects.filter(pk=name.pk).exists()  # not brought back: the import owns it
    assert Identifier.objects.filter(pk=record.pk, disease=disease).exists()
    assert disease.sections.get().body == "A rare epilepsy that begins in the first year."


def test_an_editors_identifier_added_since_is_deleted(editor_client, disease):
    edit_the_page(editor_client, disease)
    before = disease.history.earliest()
    data = form_data(editor_client.get(change_url(disease)))
    extra = int(data["identifiers-TOTAL_FORMS"][0])
    data.update(
        {
            "identifiers-TOTAL_FORMS": [str(extra + 1)],
            f"identifiers-{extra}-prefix": ["OMIM"],
            f"identifiers-{extra}-accession": ["607208"],
            f"identifiers-{extra}-name": [""],
        }
    )
    assert editor_client.post(change_url(disease), data).status_code == 302
    assert disease.identifiers.count() == 1
    page = editor_client.get(restore_url(disease, before))
    assert "Identifier OMIM:607208 deleted (added since)" in page_text(page)
    assert editor_client.post(restore_url(disease, before), form_data(page)).status_code == 302
    assert disease.identifiers.count() == 0


def test_a_save_between_the_preview_and_the_restore_stops_it(editor_client, disease):
    edit_the_page(editor_client, disease)
    before = disease.history.earliest()
    page = editor_client.get(restore_url(disease, before))
    ben = make_editor("ben")
    other = type(editor_client)()
    other.force_login(ben)
    data = form_data(other.get(change_url(disease)))
    data["name"] = ["Dravet syndrome (SCN1A)"]
    assert other.post(change_url(disease), data).status_code == 302

    response = editor_client.post(restore_url(disease, before), form_data(page))
    assert response.status_code == 200
    assert "saved by someone else while you were reading this list, so nothing was restored" in page_text(response)
    disease.refresh_from_db()
    assert disease.summary == "Dravet syndrome is a severe epilepsy."
    assert "Name: “Dravet syndrome (SCN1A)” → “Dravet syndrome”" in page_text(response)


def test_restoring_the_latest_version_has_nothing_to_do(editor_client, disease):
    edit_the_page(editor_client, disease)
    latest = disease.history.latest()
    text = page_text(editor_client.get(restore_url(disease, latest)))
    assert "Nothing to restore: the page is as it was then." in text


def test_only_editors_may_restore_a_page(client, editor_client, disease):
    edit_the_page(editor_client, disease)
    before = disease.history.earliest()
    viewer = User.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(viewer)
    version = str(Disease.objects.get(pk=disease.pk).version)
    assert client.get(restore_url(disease, before)).status_code == 403
    assert client.post(restore_url(disease, before), {"version": version}).status_code == 403
    assert Disease.objects.get(pk=disease.pk).summary == "Dravet syndrome is a severe epilepsy."
    # Whoever may restore is offered the action on the history page.
    client.force_login(User.objects.create_superuser("admin", password="x"))
    assert "restore-page" in client.get(f"/admin/gard/disease/{disease.pk}/history/").content.decode()


@pytest.mark.parametrize("tail", ["abc/restore-page/", "999999/restore-page/"])
def test_an_unknown_version_is_not_found(editor_client, disease, tail):
    assert editor_client.get(f"/admin/gard/disease/{disease.pk}/history/{tail}").status_code == 404
    assert editor_client.get("/admin/gard/disease/999999/history/1/restore-page/").status_code == 404


def test_a_version_of_another_disease_is_not_found(editor_client, disease):
    other = make_disease("Alpers syndrome")
    edit_the_page(editor_client, disease)
    record = disease.history.earliest()
    assert (
        editor_client.get(f"/admin/gard/disease/{other.pk}/history/{record.history_id}/restore-page/").status_code
        == 404
    )


def test_a_row_moved_to_another_disease_since_is_left_there(editor_client, disease):
    record = make_record(disease, "OMIM:607208")
    edit_the_page(editor_client, disease)
    before = disease.history.earliest()
    other = make_disease("Generalised epilepsy with febrile seizures plus")
    data = form_data(editor_client.get(change_url(record)))
    data["disease"] = [str(other.pk)]
    assert editor_client.post(change_url(record), data).status_code == 302

    page = editor_client.get(restore_url(disease, before))
    assert "Identifier OMIM:607208 left on the page it was moved to since" in page_text(page)
    assert editor_client.post(restore_url(disease, before), form_data(page)).status_code == 302
    assert Identifier.objects.get(pk=record.pk).disease == other
    disease.refresh_from_db()
    assert disease.summary == ""
