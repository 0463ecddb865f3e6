"""Editors keep content current in the admin; their edits show on the public page at once."""

import pytest
from django.contrib.auth.models import Group

from gard.models import Disease, Section
from tests.html import change_url, form_data, page_text

pytestmark = pytest.mark.usefixtures("documents")


CONTENT_MODELS = [
    "annotation",
    "disease",
    "diseaseredirect",
    "gene",
    "identifier",
    "phenotype",
    "phenotypealtid",
    "phenotypesynonym",
    "reference",
    "resource",
    "section",
    "source",
    "synonym",
]


def test_editors_group_has_exactly_the_content_permissions():
    editors = Group.objects.get(name="Editors")
    granted = set(editors.permissions.values_list("content_type__app_label", "codename"))
    content = {
        ("gard", f"{action}_{model}") for model in CONTENT_MODELS for action in ("add", "change", "delete", "view")
    }
    assert granted == content
    # Nothing of the history records (no deleting them), login attempts, users or groups.
    assert not editors.permissions.filter(codename__contains="historical").exists()
    assert not editors.permissions.filter(content_type__app_label__in=["axes", "auth", "contenttypes"]).exists()
    assert not editors.permissions.exclude(content_type__app_label="gard").exists()
    assert not editors.permissions.filter(codename="change_contentgeneration").exists()


def test_editor_cannot_touch_users_or_groups(client, editor):
    client.force_login(editor)
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


def test_disease_list_has_search_and_filters(client, editor):
    client.force_login(editor)
    response = client.get("/admin/gard/disease/", {"q": "poliodystrophy"})
    assert response.status_code == 200
    text = page_text(response)
    assert "1 result ( 2 total )" in text
    assert "alpers-syndrome" in text and "alstrom-syndrome" not in text
    assert "By prefix" in text and "By source" in text


def test_editor_edits_a_disease_with_inlines_and_the_page_shows_it_at_once(client, editor):
    client.force_login(editor)
    disease = Disease.objects.get(slug="alstrom-syndrome")
    url = change_url(disease)
    form = client.get(url)
    assert form.status_code == 200
    assert "View on site" in page_text(form)
    data = form_data(form)
    summary = Section.objects.get(disease=disease, kind="summary")
    index = next(i for i in range(20) if data.get(f"sections-{i}-id") == [str(summary.pk)])
    data[f"sections-{index}-body"] = ["Alström syndrome affects many body systems. <script>alert(1)</script>"]
    extra = int(data["synonyms-TOTAL_FORMS"][0]) - 1  # the empty extra form
    data[f"synonyms-{extra}-name"] = ["ALMS1-related ciliopathy"]
    response = client.post(url, data)
    assert response.status_code == 302, page_text(response)[:2000]

    page = client.get("/diseases/alstrom-syndrome/")
    assert "ALMS1-related ciliopathy" in page_text(page)
    html = page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Written by" not in page_text(page)  # the edited text keeps its source


def test_symptom_inline_uses_autocomplete_on_the_hpo_term(client, editor):
    client.force_login(editor)
    disease = Disease.objects.get(slug="alpers-syndrome")
    form = client.get(change_url(disease))
    assert 'class="admin-autocomplete' in form.content.decode()
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "gard", "model_name": "annotation", "field_name": "phenotype", "term": "HP:0001251"},
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Ataxia (HP:0001251)"]


def test_editor_adds_a_symptom_and_it_joins_the_table(client, editor):
    client.force_login(editor)
    disease = Disease.objects.get(slug="alstrom-syndrome")
    url = change_url(disease)
    data = form_data(client.get(url))
    from gard.models import Phenotype

    blindness = Phenotype.objects.get(hpo_id="HP:0000618")
    extra = int(data["annotations-TOTAL_FORMS"][0]) - 1
    data[f"annotations-{extra}-phenotype"] = [str(blindness.pk)]
    data[f"annotations-{extra}-frequency"] = ["very_frequent"]
    data[f"annotations-{extra}-frequency_raw"] = ["90%"]
    response = client.post(url, data)
    assert response.status_code == 302, page_text(response)[:2000]
    text = page_text(client.get("/diseases/alstrom-syndrome/"))
    assert "Showing 1 of 1 symptom" in text
    assert "80%-99% of people have these symptoms" in text and "HP:0000618" in text
