"""Two app servers, one database: an edit saved through one shows on the other at the next request.

Two gunicorn servers on loopback share a database of their own and the configured cache.
With the default settings that is a SQLite file and each process's own memory cache, so
this proves that keying pages by the content generation reaches a server whose cache
knows nothing of the edit. With DATABASE_URL (PostgreSQL) and REDIS_URL set it runs
against a fresh PostgreSQL database beside the one named and the shared Redis cache.
"""

import http.cookiejar
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from types import SimpleNamespace

from tests.html import form_data, page_text
from tests.servers import gunicorn, manage

PAGE = "/diseases/alpers-syndrome/"
USERNAME, PASSWORD = "two-servers-editor", "correct horse battery staple"


@contextmanager
def site_database(tmp_path):
    """Environment variables for a database of the test's own, on the same server as the configured one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield {"DATABASE_URL": "", "SQLITE_PATH": str(tmp_path / "site.sqlite3")}
        return

    import psycopg

    name = f"gard_two_servers_{uuid.uuid4().hex[:12]}"
    parts = urllib.parse.urlsplit(url)
    admin = psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        yield {"DATABASE_URL": urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))}
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A visitor with cookies, as the admin needs: sign in, open a form, post it back with its CSRF token."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects()
        )

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:  # a 302 too, since redirects are not followed
            return error.code, error.read().decode()

    def form(self, path) -> dict[str, list[str]]:
        status, html = self.request(path)
        assert status == 200, (path, status)
        return form_data(SimpleNamespace(content=html.encode()))

    def sign_in(self, username, password):
        data = self.form("/admin/login/?next=/admin/")
        data.update(username=[username], password=[password])
        status, html = self.request("/admin/login/?next=/admin/", data)
        assert status == 302, text(html)[:500]


def text(html: str) -> str:
    return page_text(SimpleNamespace(content=html.encode()))


def visit(base, path=PAGE) -> str:
    with urllib.request.urlopen(base + path, timeout=10) as response:
        assert response.status == 200
        return text(response.read().decode())


def test_an_edit_saved_through_one_server_shows_on_the_other(tmp_path):
    with site_database(tmp_path) as database:
        env = {**os.environ, **database, "STATIC_ROOT": str(tmp_path / "static"), "DEBUG": "False"}
        for command in (["migrate", "--noinput"], ["load_documents"], ["collectstatic", "--noinput"]):
            manage(env, *command)
        manage(env, "createsuperuser", "--noinput", "--username", USERNAME, "--email", "editor@example.org")
        set_password = (
            "from django.contrib.auth.models import User; "
            f"user = User.objects.get(username={USERNAME!r}); user.set_password({PASSWORD!r}); user.save()"
        )
        manage(env, "shell", "-c", set_password)

        with gunicorn(env) as first, gunicorn(env) as second:
            assert "Alpers syndrome" in visit(second)  # rendered and stored by the second server

            # Changed behind the cache's back (a queryset update sends no signal): the second server
            # keeps serving what it stored, so the page really is served from its cache.
            behind = (
                "from gard.models import Section; "
                "Section.objects.filter(disease__slug='alpers-syndrome', kind='summary').update("
                "body='Changed behind the cache.')"
            )
            manage(env, "shell", "-c", behind)
            assert "Changed behind the cache." not in visit(second)

            editor = Browser(first)
            editor.sign_in(USERNAME, PASSWORD)
            status, html = editor.request("/admin/gard/disease/?q=alpers")
            disease_id = re.search(r'href="/admin/gard/disease/(\d+)/change/', html).group(1)
            change = f"/admin/gard/disease/{disease_id}/change/"
            data = editor.form(change)
            data["name"] = ["Alpers syndrome, edited on the first server"]
            status, html = editor.request(change, data)
            assert status == 302, text(html)[:2000]

            page = visit(second)
            assert "Alpers syndrome, edited on the first server" in page
            assert "Changed behind the cache." in page  # the whole page rendered afresh
            assert "Alpers syndrome, edited on the first server" in visit(second, "/")
            assert "Alpers syndrome, edited on the first server" in visit(first)
