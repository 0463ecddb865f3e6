"""Editors and the open data: their summary comes first, imported texts are read-only, nothing is lost."""

import pytest

from gard.importers.open_data import import_open_data, read_open_data
from gard.models import Disease, DiseaseRedirect, Section, SectionKind, Synonym
from tests.factories import make_disease, orphanet_record, write_open_data
from tests.html import change_url, edit_in_admin, element_text, page_text

DEFINITION = "A genetic disorder of the lungs, pancreas and sweat glands."


@pytest.fixture
def cystic_fibrosis(db, tmp_path):
    disease = make_disease("Cystic fibrosis", records=["ORPHA:586"])
    make_disease("Undefined disease", records=["OMIM:100100"])
    folder = write_open_data(
        tmp_path / "open_data",
        orphanet=[orphanet_record(586, "Cystic fibrosis", definition=DEFINITION, synonyms=["CF"])],
    )
    import_open_data(read_open_data(folder))
    return disease


def test_the_disease_form_has_a_summary_and_shows_the_imported_definition_read_only(client, editor, cystic_fibrosis):
    client.force_login(editor)
    form = client.get(change_url(cystic_fibrosis))
    html = form.content.decode()
    assert 'name="summary"' in html
    assert DEFINITION in page_text(form) and "Orphanet 4.1.8 (2025-03-03)" in page_text(form)
    # The imported definition is no editable section, and the imported name no editable other name.
    assert f">{DEFINITION}</textarea>" not in html
    assert 'value="CF"' not in html


def test_an_editors_summary_is_saved_with_history_and_shown_first(client, editor, cystic_fibrosis):
    client.force_login(editor)
    edit_in_admin(client, cystic_fibrosis, summary="Cystic fibrosis makes mucus thick and sticky.")
    cystic_fibrosis.refresh_from_db()
    assert cystic_fibrosis.history.first().summary == "Cystic fibrosis makes mucus thick and sticky."
    client.logout()
    about = element_text(client.get(cystic_fibrosis.get_absolute_url()), "about")
    assert "What is it? Cystic fibrosis makes mucus thick and sticky. Written by this site's editors." in about


def test_imported_definitions_and_names_cannot_be_changed_or_deleted(client, editor, cystic_fibrosis):
    client.force_login(editor)
    section = Section.objects.get(disease=cystic_fibrosis, kind=SectionKind.SUMMARY)
    synonym = Synonym.objects.get(disease=cystic_fibrosis, name="CF")
    for row in (section, synonym):
        assert client.post(change_url(row), {}).status_code == 403
        assert client.post(change_url(row).replace("change", "delete"), {"post": "yes"}).status_code == 403
    assert Section.objects.filter(pk=section.pk).exists() and Synonym.objects.filter(pk=synonym.pk).exists()


def test_the_list_filters_pages_without_an_editors_summary_or_any_definition(client, editor, cystic_fibrosis):
    client.force_login(editor)
    no_summary = page_text(client.get("/admin/gard/disease/?summary=none_by_editors"))
    assert "Cystic fibrosis" in no_summary and "Undefined disease" in no_summary
    undefined = page_text(client.get("/admin/gard/disease/?summary=no_definition"))
    assert "Undefined disease" in undefined and "Cystic fibrosis" not in undefined


def test_a_new_slug_keeps_the_old_address_working(client, editor, cystic_fibrosis):
    client.force_login(editor)
    edit_in_admin(client, cystic_fibrosis, slug="cystic-fibrosis-cf")
    assert DiseaseRedirect.objects.get(slug="cystic-fibrosis").disease == cystic_fibrosis
    client.logout()
    response = client.get("/diseases/cystic-fibrosis/")
    assert response.status_code == 301 and response["Location"] == "/diseases/cystic-fibrosis-cf/"
    assert Disease.objects.get(pk=cystic_fibrosis.pk).slug == "cystic-fibrosis-cf"
