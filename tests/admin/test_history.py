"""Every change through the admin keeps a revision (who, when, what), viewable and restorable from the admin."""

import pytest

from gard.admin.history import BASELINE_REASON
from gard.models import Disease, Section, Synonym
from tests.html import change_url, edit_in_admin, form_data, page_text

pytestmark = pytest.mark.usefixtures("documents")


@pytest.fixture
def disease():
    return Disease.objects.get(slug="alpers-syndrome")


def test_an_editors_change_keeps_a_record_with_the_user_and_the_changed_fields(client, editor, disease):
    client.force_login(editor)
    edit_in_admin(client, disease, name="Alpers syndrome (POLG)", next_review_due="2027-06-30")

    record = disease.history.latest()
    assert record.history_user == editor
    assert record.history_type == "~"
    assert (record.name, record.version) == ("Alpers syndrome (POLG)", 2)
    delta = record.diff_against(record.prev_record)
    assert sorted(delta.changed_fields) == ["name", "next_review_due"]
    # The state before the first recorded edit is kept too, marked as such and nobody's.
    assert record.prev_record.history_change_reason == BASELINE_REASON
    assert record.prev_record.history_user is None
    assert record.prev_record.name == "Alpers syndrome"


def test_rows_changed_with_the_disease_keep_their_own_records(client, editor, disease):
    client.force_login(editor)
    data = form_data(client.get(change_url(disease)))
    summary = Section.objects.get(disease=disease, kind="summary", source__key="gard-alpers-syndrome")
    index = next(i for i in range(50) if data.get(f"sections-{i}-id") == [str(summary.pk)])
    data[f"sections-{index}-body"] = ["A new summary."]
    synonym = Synonym.objects.filter(disease=disease, record__isnull=True).first()
    synonym_index = next(i for i in range(50) if data.get(f"synonyms-{i}-id") == [str(synonym.pk)])
    data[f"synonyms-{synonym_index}-DELETE"] = ["on"]
    assert client.post(change_url(disease), data).status_code == 302

    section_record = summary.history.latest()
    assert section_record.history_user == editor
    assert section_record.diff_against(section_record.prev_record).changed_fields == ["body"]
    deleted = Synonym.history.filter(id=synonym.pk).latest()
    assert deleted.history_type == "-" and deleted.history_user == editor


def test_untouched_text_is_not_recorded_as_changed(client, editor, disease):
    """Browsers send textareas with CRLF line endings; saving must not rewrite every section."""
    client.force_login(editor)
    data = form_data(client.get(change_url(disease)))
    for name, values in data.items():
        if name.endswith(("-body", "-citation", "-description")):
            data[name] = [value.replace("\n", "\r\n") for value in values]
    assert client.post(change_url(disease), data).status_code == 302
    assert not Section.history.filter(disease_id=disease.pk).exists()
    assert "\r" not in "".join(Section.objects.filter(disease=disease).values_list("body", flat=True))


def test_the_disease_history_page_lists_each_version_with_the_rows_saved_with_it(client, editor, disease):
    client.force_login(editor)
    data = form_data(client.get(change_url(disease)))
    extra = int(data["synonyms-TOTAL_FORMS"][0]) - 1
    data[f"synonyms-{extra}-name"] = ["Progressive neuronal degeneration of childhood"]
    data["name"] = ["Alpers syndrome (POLG)"]
    assert client.post(change_url(disease), data).status_code == 302
    added = Synonym.objects.get(name="Progressive neuronal degeneration of childhood")

    response = client.get(f"/admin/gard/disease/{disease.pk}/history/")
    assert response.status_code == 200
    text = page_text(response)
    assert "Name: Alpers syndrome → Alpers syndrome (POLG)" in text
    assert "Other name “Progressive neuronal degeneration of childhood” added" in text
    assert BASELINE_REASON in text
    # Each row links to its own history, where it can be reverted or restored.
    assert f'href="/admin/gard/synonym/{added.pk}/history/"' in response.content.decode()
    assert client.get(f"/admin/gard/synonym/{added.pk}/history/").status_code == 200


def test_reverting_to_an_earlier_revision_restores_the_old_values(client, editor, disease):
    client.force_login(editor)
    edit_in_admin(
        client, disease, name="Alpers syndrome, edited", last_reviewed="2026-01-10", next_review_due="2027-01-10"
    )
    edit_in_admin(client, disease, name="Alpers syndrome, edited again")
    disease.refresh_from_db()
    assert disease.version == 3
    baseline = disease.history.earliest()
    assert baseline.name == "Alpers syndrome"

    url = f"/admin/gard/disease/{disease.pk}/history/{baseline.history_id}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Revert" in page_text(page)
    data = form_data(page)
    assert data["name"] == ["Alpers syndrome"]
    assert data["opened_version"][0].startswith("3-")  # reverting is a save of the current version
    response = client.post(url, data)
    assert response.status_code == 302, page_text(response)[:2000]

    disease.refresh_from_db()
    assert (disease.name, disease.last_reviewed, disease.next_review_due) == ("Alpers syndrome", None, None)
    assert disease.version == 4
    latest = disease.history.latest()
    assert latest.history_user == editor and latest.name == "Alpers syndrome"
    assert client.get("/diseases/alpers-syndrome/").status_code == 200


def test_a_stale_revert_is_refused_like_a_stale_edit(client, editor, disease):
    client.force_login(editor)
    edit_in_admin(client, disease, name="Alpers syndrome, edited")
    baseline = disease.history.earliest()
    url = f"/admin/gard/disease/{disease.pk}/history/{baseline.history_id}/"
    data = form_data(client.get(url))
    edit_in_admin(client, disease, name="Alpers syndrome, edited meanwhile")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Not saved" in page_text(response)
    disease.refresh_from_db()
    assert disease.name == "Alpers syndrome, edited meanwhile"


def test_a_deleted_row_can_be_restored_from_its_history(client, editor, disease):
    client.force_login(editor)
    synonym = Synonym.objects.filter(disease=disease, record__isnull=True).first()
    name, pk = synonym.name, synonym.pk
    data = form_data(client.get(change_url(disease)))
    index = next(i for i in range(50) if data.get(f"synonyms-{i}-id") == [str(pk)])
    data[f"synonyms-{index}-DELETE"] = ["on"]
    assert client.post(change_url(disease), data).status_code == 302
    assert not Synonym.objects.filter(pk=pk).exists()

    history = client.get(f"/admin/gard/synonym/{pk}/history/")
    assert history.status_code == 200 and name in page_text(history)
    deleted = Synonym.history.filter(id=pk).latest()
    url = f"/admin/gard/synonym/{pk}/history/{deleted.history_id}/"
    response = client.post(url, form_data(client.get(url)))
    assert response.status_code == 302, page_text(response)[:2000]
    assert Synonym.objects.get(pk=pk).name == name
    disease.refresh_from_db()
    assert disease.version == 3  # the deletion and the restoring were each a new version of the page


def test_editors_cannot_delete_history(client, editor, disease):
    client.force_login(editor)
    edit_in_admin(client, disease, name="Alpers syndrome, edited")
    assert client.get("/admin/gard/historicaldisease/").status_code == 404  # no admin for the records
    assert not editor.has_perm("gard.delete_historicaldisease")
    assert not editor.has_perm("gard.change_historicaldisease")


def test_imports_write_no_history_of_the_terms_and_their_names(imported):
    """The HPO import's rows are the release's: re-importing, renaming and retiring names records nothing."""
    from gard.models import DiseaseRedirect, Phenotype, PhenotypeSynonym
    from tests.factories import OBO

    assert PhenotypeSynonym.objects.filter(name="Neurological abnormality", imported=True).exists()
    imported.remove(OBO, 'synonym: "Neurological abnormality"')
    imported.run()
    assert not PhenotypeSynonym.objects.filter(name="Neurological abnormality").exists()
    for model in (Phenotype, PhenotypeSynonym, DiseaseRedirect):
        assert not model.history.exists(), model
