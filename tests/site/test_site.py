"""Site-wide checks: migrations, page structure, loading the documents, serving for real."""

import re
import urllib.request
from io import StringIO

import pytest
from django.core.management import call_command

from gard.models import Disease, Section, Source, Synonym
from tests.servers import gunicorn, production_site


@pytest.mark.django_db
def test_no_model_changes_lack_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search/",
        "/search/?q=alpers",
        "/diseases/alpers-syndrome/",
        "/diseases/alstrom-syndrome/",
        "/diseases/alpers-syndrome/?q=zzz",
        "/diseases/unknown/",
    ],
)
def test_every_page_has_one_h1_landmarks_and_a_skip_link(client, path):
    html = client.get(path).content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert '<a class="skip-link" href="#main">' in html
    for landmark in ('<header class="site-header">', '<main id="main"', '<footer class="site-footer">'):
        assert landmark in html
    assert '<html lang="en">' in html


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
@pytest.mark.parametrize("path", ["/", "/search/?q=alpers", "/diseases/alpers-syndrome/"])
def test_headings_never_skip_a_level(client, path):
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", client.get(path).content.decode())]
    assert levels[0] == 1
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, levels


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_every_form_control_has_a_label(client):
    html = client.get("/diseases/alpers-syndrome/").content.decode()
    for control_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html):
        assert f'for="{control_id}"' in html, control_id


@pytest.mark.django_db
def test_load_documents_loads_once_and_keeps_editors_changes():
    call_command("load_documents", verbosity=0)
    assert Source.objects.count() == 3
    assert Disease.objects.count() == 2
    summary = Section.objects.get(disease__slug="alstrom-syndrome", kind="summary")
    summary.body = "Edited by an editor."
    summary.save()
    Synonym.objects.filter(name="ALMS").delete()

    out = StringIO()
    call_command("load_documents", stdout=out)
    assert "already loaded" in out.getvalue()
    summary.refresh_from_db()
    assert summary.body == "Edited by an editor."
    assert not Synonym.objects.filter(name="ALMS").exists()


@pytest.mark.django_db
def test_reloading_the_fixture_updates_rows_in_place():
    call_command("loaddata", "source_documents", verbosity=0)
    counts = [model.objects.count() for model in (Disease, Section, Synonym)]
    call_command("loaddata", "source_documents", verbosity=0)
    assert [model.objects.count() for model in (Disease, Section, Synonym)] == counts


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, dict(response.headers), response.read().decode()


def test_gunicorn_serves_the_site_and_whitenoise_its_static_files(tmp_path):
    env = production_site(tmp_path, documents=True)
    with gunicorn(env, ready_path="/") as base:
        status, _, home = _get(base + "/")
        assert status == 200 and "Alström syndrome" in home
        status, _, page = _get(base + "/diseases/alpers-syndrome/")
        assert status == 200 and "Showing 43 of 43 symptoms" in page
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1)
        status, headers, css = _get(base + stylesheet)
        assert status == 200 and ":focus-visible" in css
        assert "max-age=315360000" in headers["Cache-Control"]
        with pytest.raises(urllib.error.HTTPError) as not_found:
            _get(base + "/diseases/unknown/")
        assert not_found.value.code == 404
        assert "Page not found" in not_found.value.read().decode()
