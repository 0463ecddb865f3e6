"""The admin and the rows the HPO import owns: shown read-only, keys fixed, records movable."""

import pytest

from gard.models import Annotation, Disease, Identifier
from tests.html import change_url, form_data, page_text


@pytest.mark.usefixtures("imported")
def test_imported_rows_are_shown_read_only_beside_the_editable_inlines(client, editor):
    client.force_login(editor)
    disease = Disease.objects.get(identifiers__prefix="ORPHA", identifiers__accession="64")
    response = client.get(change_url(disease))
    html = response.content.decode()
    assert "From the HPO release" in html
    assert all(record.curie in html for record in disease.identifiers.all())
    # The editable inlines hold no imported rows.
    data = form_data(response)
    assert data["annotations-INITIAL_FORMS"] == [str(disease.annotations.filter(import_ref__isnull=True).count())]
    assert data["identifiers-INITIAL_FORMS"] == [str(disease.identifiers.filter(imported=False).count())]
    imported = Annotation.objects.filter(disease=disease, import_ref__isnull=False).first()
    assert imported.phenotype.name in html


@pytest.mark.usefixtures("imported")
def test_an_imported_annotation_can_be_viewed_but_not_changed(client, editor):
    client.force_login(editor)
    annotation = Annotation.objects.filter(import_ref__isnull=False).first()
    page = client.get(change_url(annotation))
    assert page.status_code == 200
    assert 'name="frequency"' not in page.content.decode()  # view only
    response = client.post(change_url(annotation), {"frequency": "obligate"})
    assert response.status_code == 403
    assert client.post(f"/admin/gard/annotation/{annotation.pk}/delete/", {"post": "yes"}).status_code == 403


@pytest.mark.usefixtures("imported")
def test_deleting_selected_annotations_that_include_imported_ones_is_refused(client, editor):
    client.force_login(editor)
    disease = Disease.objects.get(identifiers__prefix="ORPHA", identifiers__accession="64")
    imported = list(disease.annotations.filter(import_ref__isnull=False).values_list("pk", flat=True))
    added = Annotation.objects.create(disease=disease, phenotype=disease.annotations.first().phenotype)
    selected = {"action": "delete_selected", "_selected_action": [*map(str, imported), str(added.pk)]}
    confirmation = client.post("/admin/gard/annotation/", selected)
    assert "doesn't have permission to delete the following types of objects" in page_text(confirmation)
    assert client.post("/admin/gard/annotation/", {**selected, "post": "yes"}).status_code == 403
    assert Annotation.objects.filter(pk__in=[*imported, added.pk]).count() == len(imported) + 1


@pytest.mark.usefixtures("imported")
def test_editor_moves_an_imported_identifier_and_its_annotations_follow(client, editor):
    client.force_login(editor)
    record = Identifier.objects.get(prefix="OMIM", accession="203800")
    assert record.imported
    target = Disease.objects.create(name="A disease the record belongs to")
    url = change_url(record)
    page = client.get(url)
    html = page.content.decode()
    assert 'name="accession"' not in html  # the key is read-only
    data = form_data(page)
    data["disease"] = [str(target.pk)]
    response = client.post(url, data)
    assert response.status_code == 302, page_text(response)[:2000]
    record.refresh_from_db()
    assert record.disease == target
    assert target.annotations.filter(record=record).exists()
    assert not record.annotations.exclude(disease=target).exists()
