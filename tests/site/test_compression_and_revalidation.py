"""Pages are sent compressed to clients that accept it, carry a weak ETag made of the content generation
and are answered 304 when unchanged (gard/cache.py); static files are served pre-compressed, brotli too."""

import gzip

import brotli
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gard import settings as project_settings
from gard.cache import PUBLIC_MAX_AGE, bump_content_generation
from tests.html import page_text

DISEASE = "/diseases/alpers-syndrome/"


def cache_control(response) -> set[str]:
    return {directive.strip() for directive in response.get("Cache-Control", "").split(",") if directive.strip()}


# -- compression ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_pages_are_gzipped_for_clients_that_accept_it_and_the_cache_keeps_them_plain(client):
    compressed = client.get(DISEASE, HTTP_ACCEPT_ENCODING="gzip, deflate, br")  # rendered and stored
    with CaptureQueriesContext(connection) as queries:
        plain = client.get(DISEASE)  # from the cache, to a client that accepts no compression
    assert len(queries) == 1
    assert compressed["Content-Encoding"] == "gzip"
    assert not plain.has_header("Content-Encoding")
    assert "Showing 43 of 43 symptoms" in page_text(plain)
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 3
    for response in (compressed, plain):
        assert "Accept-Encoding" in response["Vary"]


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_a_page_stored_for_a_client_without_gzip_is_compressed_for_the_next_that_accepts_it(client):
    plain = client.get(DISEASE)
    compressed = client.get(DISEASE, HTTP_ACCEPT_ENCODING="gzip")
    assert not plain.has_header("Content-Encoding") and compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content


def test_gzip_runs_below_whitenoise_so_it_compresses_what_the_page_cache_returns():
    middleware = project_settings.MIDDLEWARE
    gzip_at = middleware.index("django.middleware.gzip.GZipMiddleware")
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") < gzip_at
    # Everything below only sets headers or calls the view, whose decorator holds the page cache.
    assert gzip_at < middleware.index("django.contrib.sessions.middleware.SessionMiddleware")


# -- revalidation -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_public_pages_carry_a_weak_etag_and_may_be_reused_for_a_minute(client):
    response = client.get(DISEASE)
    assert response["ETag"].startswith('W/"')
    assert cache_control(response) == {"public", f"max-age={PUBLIC_MAX_AGE}"}
    assert PUBLIC_MAX_AGE <= 60  # an edit shows within a minute
    again = client.get(DISEASE, HTTP_ACCEPT_ENCODING="gzip")
    assert again["ETag"] == response["ETag"]  # the same page, compressed or not


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_a_matching_if_none_match_is_answered_304_with_one_query_and_no_body(client):
    etag = client.get(DISEASE)["ETag"]
    for asked in (etag, etag.removeprefix("W/"), f'"other", {etag}'):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(DISEASE, HTTP_IF_NONE_MATCH=asked)
        assert response.status_code == 304
        assert len(queries) == 1  # the content generation: the page is neither read nor rendered
        assert response.content == b""
        assert response["ETag"] == etag
        assert "public" in cache_control(response)
        assert "Accept-Encoding" in response["Vary"]


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_an_edit_changes_the_etag_so_the_next_revalidation_gets_the_new_page(client):
    before = client.get(DISEASE)
    bump_content_generation()
    after = client.get(DISEASE, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_an_unknown_etag_or_a_star_gets_the_page_and_an_unknown_address_its_404(client):
    etag = client.get(DISEASE)["ETag"]
    for asked in ('W/"not-this-one"', "*", "not even quoted"):
        assert client.get(DISEASE, HTTP_IF_NONE_MATCH=asked).status_code == 200
    assert client.get("/diseases/unknown/", HTTP_IF_NONE_MATCH=etag).status_code == 404


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_each_address_has_its_own_etag(client):
    everything = client.get(DISEASE)["ETag"]
    frequent = client.get(DISEASE, {"frequency": "frequent"})
    assert frequent["ETag"] != everything
    assert client.get(DISEASE, {"frequency": "frequent"}, HTTP_IF_NONE_MATCH=everything).status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_signed_in_editors_pages_are_private_not_stored_and_never_answered_304(client, editor):
    etag = client.get(DISEASE)["ETag"]
    client.force_login(editor)
    response = client.get(DISEASE, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert not response.has_header("ETag")
    assert {"private", "no-store"} <= cache_control(response)


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_error_pages_and_the_admin_carry_no_public_caching(client, editor):
    for path, status in (("/diseases/unknown/", 404), ("/admin/login/", 200)):
        response = client.get(path)
        assert response.status_code == status
        assert "public" not in cache_control(response) and not response.has_header("ETag")
    assert {"private", "no-store"} <= cache_control(client.get("/admin/login/"))


@pytest.mark.django_db
@pytest.mark.usefixtures("documents")
def test_error_pages_are_sent_private_and_never_stored(client):
    answers = {
        "/diseases/unknown/": client.get("/diseases/unknown/"),
        "/diseases/letter/AA/": client.get("/diseases/letter/AA/"),
        "/symptoms/HP:9999999/": client.get("/symptoms/HP:9999999/"),
        "a path too long": client.get("/diseases/" + "a" * 5000 + "/"),
        "a POST": client.post(DISEASE),
    }
    assert {name: response.status_code for name, response in answers.items()} == {
        "/diseases/unknown/": 404,
        "/diseases/letter/AA/": 404,
        "/symptoms/HP:9999999/": 404,
        "a path too long": 414,
        "a POST": 405,
    }
    for name, response in answers.items():
        assert {"private", "no-store"} <= cache_control(response), name


# -- static files -----------------------------------------------------------------------------


def test_static_files_are_stored_compressed_and_versioned_by_whitenoise():
    assert project_settings.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


@pytest.mark.django_db
def test_static_files_are_served_with_brotli_to_clients_that_accept_it(settings, tmp_path):
    settings.STORAGES = project_settings.STORAGES
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", "--noinput", verbosity=0)
    css = next((tmp_path / "static" / "css").glob("site.*.css"))
    assert (css.parent / f"{css.name}.br").exists() and (css.parent / f"{css.name}.gz").exists()
    client = Client()  # whitenoise reads STATIC_ROOT when its middleware starts
    address = f"/static/css/{css.name}"
    with_brotli = client.get(address, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    with_gzip = client.get(address, HTTP_ACCEPT_ENCODING="gzip")
    plain = client.get(address)
    assert [r.status_code for r in (with_brotli, with_gzip, plain)] == [200, 200, 200]
    assert with_brotli["Content-Encoding"] == "br" and with_gzip["Content-Encoding"] == "gzip"
    assert not plain.has_header("Content-Encoding")
    original = css.read_bytes()
    assert brotli.decompress(b"".join(with_brotli.streaming_content)) == original
    assert gzip.decompress(b"".join(with_gzip.streaming_content)) == original
    assert b"".join(plain.streaming_content) == original
