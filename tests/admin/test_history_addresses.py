"""Every admin history address answers 404 for an unknown or malformed row or record, never 500 or a redirect."""

import pytest
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gard.models import Disease, Gene
from tests.factories import make_disease, make_editor, make_gene


@pytest.fixture
def client_of_editor(client, db):
    client.force_login(make_editor())
    return client


@pytest.fixture
def disease(db):
    return make_disease("Dravet syndrome")


ADDRESSES = [
    "/admin/gard/disease/abc/history/",
    "/admin/gard/disease/2/change/history/",
    "/admin/gard/disease/999999/history/",
    "/admin/gard/disease/-1/history/",
    "/admin/gard/disease/1.5/history/",
    "/admin/gard/disease/abc/history/1/",
    "/admin/gard/disease/{pk}/history/abc/",
    "/admin/gard/disease/{pk}/history/999999/",
    "/admin/gard/disease/999999/history/999999/",
    "/admin/gard/section/abc/history/",
    "/admin/gard/section/999999/history/",
    "/admin/gard/section/abc/history/xyz/",
    "/admin/gard/gene/abc/history/",
    "/admin/gard/gene/999999/history/",
    "/admin/gard/phenotypealtid/abc/history/",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_an_unknown_or_malformed_id_on_a_history_address_is_not_found(client_of_editor, disease, address):
    assert client_of_editor.get(address.format(pk=disease.pk)).status_code == 404


def test_every_content_model_answers_404_for_a_malformed_history_address(client_of_editor, disease):
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "gard":
            continue
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}"
        addresses = [f"{base}/abc/history/", f"{base}/1/x/history/", f"{base}/999999/history/"]
        if isinstance(model_admin, SimpleHistoryAdmin):  # its records have addresses too
            addresses += [f"{base}/abc/history/1/", f"{base}/{disease.pk}/history/x/", f"{base}/1/history/999999/"]
        for address in addresses:
            assert client_of_editor.get(address).status_code == 404, address


def test_known_history_addresses_still_open(client_of_editor, disease):
    assert client_of_editor.get(f"/admin/gard/disease/{disease.pk}/history/").status_code == 200
    gene = make_gene("SCN1A")
    assert client_of_editor.get(f"/admin/gard/gene/{gene.pk}/history/").status_code == 200
    assert Gene.objects.count() == 1 and Disease.objects.count() == 1
