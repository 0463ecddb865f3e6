"""Review dates: shown and edited on the disease form and list, overdue pages filtered and listed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gard.models import Disease
from tests.html import change_url, element_text, form_data, page_text

pytestmark = pytest.mark.usefixtures("documents")


@pytest.fixture
def dated():
    """Alpers overdue, Alström due next week, and a third page with no review date."""
    today = timezone.localdate()
    Disease.objects.filter(slug="alpers-syndrome").update(
        last_reviewed=today - timedelta(days=400), next_review_due=today - timedelta(days=35)
    )
    Disease.objects.filter(slug="alstrom-syndrome").update(
        last_reviewed=today - timedelta(days=358), next_review_due=today + timedelta(days=7)
    )
    Disease.objects.create(name="Barth syndrome")
    return today


def listed(response) -> set[str]:
    return {disease.slug for disease in response.context["cl"].result_list}


def test_the_disease_form_shows_and_saves_the_review_dates(client, editor):
    client.force_login(editor)
    disease = Disease.objects.get(slug="alstrom-syndrome")
    url = change_url(disease)
    page = client.get(url)
    assert "Last reviewed" in page_text(page) and "Next review due" in page_text(page)
    data = form_data(page)
    data["last_reviewed"] = ["2026-03-01"]
    data["next_review_due"] = ["2027-03-01"]
    assert client.post(url, data).status_code == 302
    disease.refresh_from_db()
    assert (str(disease.last_reviewed), str(disease.next_review_due)) == ("2026-03-01", "2027-03-01")


def test_the_next_review_must_come_after_the_last(client, editor):
    client.force_login(editor)
    disease = Disease.objects.get(slug="alstrom-syndrome")
    url = change_url(disease)
    data = form_data(client.get(url))
    data["last_reviewed"] = ["2026-03-01"]
    data["next_review_due"] = ["2026-02-01"]
    response = client.post(url, data)
    assert response.status_code == 200
    assert "The next review must come after the last one." in page_text(response)


def test_the_list_shows_the_dates_and_marks_overdue_pages(client, editor, dated):
    client.force_login(editor)
    response = client.get("/admin/gard/disease/")
    text = page_text(response)
    assert "Last reviewed" in text and "Next review due" in text
    overdue = (dated - timedelta(days=35)).isoformat()
    assert f"{overdue} (overdue)" in text
    assert f"{(dated + timedelta(days=7)).isoformat()} (overdue)" not in text


@pytest.mark.parametrize(
    "choice, expected",
    [
        ("overdue", {"alpers-syndrome"}),
        ("due_soon", {"alstrom-syndrome"}),
        ("unscheduled", {"barth-syndrome"}),
    ],
)
def test_the_review_filter(client, editor, dated, choice, expected):
    client.force_login(editor)
    response = client.get("/admin/gard/disease/", {"review": choice})
    assert response.status_code == 200
    assert listed(response) == expected
    assert "Overdue for review" in page_text(response)


def test_due_today_is_not_overdue_yet(client, editor, dated):
    Disease.objects.filter(slug="alstrom-syndrome").update(next_review_due=dated)
    client.force_login(editor)
    assert listed(client.get("/admin/gard/disease/", {"review": "overdue"})) == {"alpers-syndrome"}


def test_the_admin_home_lists_overdue_pages_and_links_to_all_of_them(client, editor, dated):
    client.force_login(editor)
    response = client.get("/admin/")
    panel = element_text(response, "overdue-reviews")
    assert "Pages overdue for review" in panel
    assert "Alpers syndrome" in panel and "Alström syndrome" not in panel
    assert 'href="/admin/gard/disease/?review=overdue"' in response.content.decode()


def test_the_admin_home_says_when_nothing_is_overdue(client, editor):
    client.force_login(editor)
    assert "None: every page with a review date is within it." in element_text(client.get("/admin/"), "overdue-reviews")
