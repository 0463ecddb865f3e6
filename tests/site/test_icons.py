"""The site's icon: linked from every page, and /favicon.ico, which browsers ask for anyway, leads to it."""

import re
import struct
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from tests.servers import gunicorn, production_site

ICONS = {
    "icons/favicon.svg": None,
    "icons/favicon-32.png": 32,
    "icons/apple-touch-icon.png": 180,
}


def static_file(name: str) -> bytes:
    return Path(finders.find(name)).read_bytes()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.django_db
def test_favicon_ico_redirects_to_the_icon_among_the_static_files(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/icons/favicon.ico"
    assert response["Cache-Control"] == "public, max-age=3600"  # not asked again on every page
    icon = static_file("icons/favicon.ico")
    reserved, kind, count = struct.unpack("<HHH", icon[:6])
    assert (reserved, kind, count) == (0, 1, 1)
    width, height, *_, size, offset = struct.unpack("<BBBBHHII", icon[6:22])
    assert (width, height) == (32, 32)
    assert png_size(icon[offset : offset + size]) == (32, 32)


@pytest.mark.django_db
def test_favicon_ico_answers_get_and_head_only(client):
    assert client.head("/favicon.ico").status_code == 302
    assert client.post("/favicon.ico").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/diseases/letter/A/", "/diseases/no-such-disease/"])
def test_every_page_links_the_svg_icon_its_png_fallback_and_the_apple_touch_icon(client, path):
    html = client.get(path).content.decode()
    assert '<link rel="icon" href="/static/icons/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="icon" href="/static/icons/favicon-32.png" type="image/png" sizes="32x32">' in html
    assert '<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">' in html


@pytest.mark.parametrize(("name", "side"), ICONS.items())
def test_the_icons_are_real_images_of_their_size(name, side):
    data = static_file(name)
    if side is None:
        assert re.match(rb'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">', data)
    else:
        assert png_size(data) == (side, side)


def test_through_gunicorn_favicon_ico_leads_to_the_icon_whitenoise_serves(tmp_path):
    env = production_site(tmp_path)
    with gunicorn(env) as base, urllib.request.urlopen(base + "/favicon.ico", timeout=10) as response:
        assert response.status == 200
        assert re.fullmatch(r"/static/icons/favicon\.[0-9a-f]{12}\.ico", urllib.parse.urlsplit(response.url).path)
        assert response.read() == static_file("icons/favicon.ico")
