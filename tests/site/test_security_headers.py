"""Security headers and cookies, as served in production, on public pages and in the admin.

Production values come from running gard/settings.py with PRODUCTION=True (as a server
would) and applying its security settings to the test run; the development defaults are
checked as they are.
"""

import os
import re
import runpy
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from gard.models import Disease, Section
from tests.html import assert_nothing_inline, change_url, edit_in_admin, form_data
from tests.servers import CHROMIUM, CHROMIUM_ARGS, gunicorn, manage

pytestmark = pytest.mark.usefixtures("documents")

PRODUCTION_ENV = {
    "PRODUCTION": "True",
    "DEBUG": "False",
    "SECRET_KEY": "a-test-secret-that-is-long-and-random-enough-0123456789-abcdefghijkl",
    "ALLOWED_HOSTS": "rare.example.org,testserver",
}
SECURITY_SETTINGS = re.compile(
    r"^(SECURE_|SESSION_COOKIE_|CSRF_COOKIE_|X_FRAME_OPTIONS$|AXES_|TRUSTED_PROXY_COUNT$|ALLOWED_HOSTS$)"
)
PAGES = {"public": "/diseases/alpers-syndrome/", "admin": "/admin/login/"}
ONE_YEAR = 365 * 24 * 60 * 60


def production_settings(monkeypatch) -> dict:
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    namespace = runpy.run_path(str(django_settings.BASE_DIR / "gard" / "settings.py"))
    return {name: value for name, value in namespace.items() if SECURITY_SETTINGS.match(name)}


@pytest.fixture
def production(settings, monkeypatch):
    """The test run with production's security settings; requests must come over HTTPS, as behind the proxy."""
    for name, value in production_settings(monkeypatch).items():
        setattr(settings, name, value)
    return settings


def get(client, path, **extra):
    return client.get(path, secure=True, headers={"host": "rare.example.org"}, **extra)


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("page", PAGES)
def test_content_security_policy_allows_nothing_inline_and_nothing_foreign(production, client, page):
    response = get(client, PAGES[page])
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "upgrade-insecure-requests" in policy
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("page", PAGES)
def test_development_serves_the_same_policy(client, page):
    policy = directives(client.get(PAGES[page]))
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert "upgrade-insecure-requests" not in policy  # plain HTTP on a laptop


@pytest.mark.parametrize("page", PAGES)
def test_strict_transport_security_for_two_years_with_subdomains_and_preload(production, client, page):
    header = get(client, PAGES[page]).headers["Strict-Transport-Security"]
    parts = [part.strip() for part in header.split(";")]
    assert int(parts[0].removeprefix("max-age=")) >= ONE_YEAR
    assert "includeSubDomains" in parts and "preload" in parts


@pytest.mark.parametrize("page", PAGES)
def test_content_type_nosniff(production, client, page):
    assert get(client, PAGES[page]).headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("page", PAGES)
def test_referrer_policy_tells_other_sites_nothing(production, client, page):
    assert get(client, PAGES[page]).headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("page", PAGES)
def test_no_framing(production, client, page):
    response = get(client, PAGES[page])
    assert response.headers["X-Frame-Options"] == "DENY"
    assert directives(response)["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("page", PAGES)
def test_cross_origin_opener_policy(production, client, page):
    assert get(client, PAGES[page]).headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("page", PAGES)
def test_plain_http_is_redirected_to_https(production, client, page):
    response = client.get(PAGES[page], headers={"host": "rare.example.org"})
    assert response.status_code == 301
    assert response.headers["Location"] == f"https://rare.example.org{PAGES[page]}"


def test_the_proxy_header_says_the_request_came_over_https(production, client):
    response = client.get("/", headers={"host": "rare.example.org", "x-forwarded-proto": "https"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response.headers


def test_load_balancers_probe_the_health_check_over_plain_http(production, client):
    assert client.get("/healthz/", headers={"host": "rare.example.org"}).status_code == 200


def test_session_and_csrf_cookies_are_secure_and_http_only_in_production(production, client, editor):
    login = get(client, "/admin/login/")
    csrf = login.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post(
        "/admin/login/",
        {"username": "editor", "password": "correct horse battery", "next": "/admin/"},
        secure=True,
        headers={"host": "rare.example.org"},
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_session_cookie_is_http_only_in_development_too(client, editor):
    response = client.post("/admin/login/", {"username": "editor", "password": "correct horse battery"})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"]
    assert not response.cookies["sessionid"]["secure"]  # development runs over plain HTTP


def test_check_deploy_reports_no_issues(tmp_path):
    env = {**os.environ, **PRODUCTION_ENV, "SQLITE_PATH": str(tmp_path / "check.sqlite3")}
    result = subprocess.run(
        [sys.executable, str(django_settings.BASE_DIR / "manage.py"), "check", "--deploy"],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/diseases/letter/A/",
        "/search/?q=alpers",
        "/diseases/alpers-syndrome/",
        "/diseases/alpers-syndrome/?q=seizure&frequency=frequent",
        "/symptoms/HP:0001251/",
        "/diseases/unknown/",
    ],
)
def test_public_pages_have_no_inline_script_or_style(client, path):
    assert_nothing_inline(client.get(path), status=404 if path == "/diseases/unknown/" else 200)


def test_the_admin_pages_an_editor_uses_have_no_inline_script_or_style(client, editor):
    disease = Disease.objects.get(slug="alpers-syndrome")
    assert_nothing_inline(client.get("/admin/login/"))
    client.force_login(editor)
    edit_in_admin(client, disease, name="Alpers syndrome (edited)")
    record = disease.history.latest()
    section = Section.objects.filter(disease=disease).first()
    for path in [
        "/admin/",
        "/admin/gard/",
        "/admin/gard/disease/",
        "/admin/gard/disease/?review=overdue",
        "/admin/gard/disease/add/",
        change_url(disease),
        f"/admin/gard/disease/{disease.pk}/history/",
        f"/admin/gard/disease/{disease.pk}/history/{record.history_id}/",
        "/admin/gard/section/",
        f"/admin/gard/section/{section.pk}/change/",
        f"/admin/gard/section/{section.pk}/history/",
        "/admin/gard/gene/",  # a list without actions
        "/admin/gard/source/add/?_to_field=id&_popup=1",
        "/admin/password_change/",
    ]:
        assert_nothing_inline(client.get(path))
    data = form_data(client.get(change_url(disease)))
    data["opened_version"] = ["1"]  # a conflict: the page with its message
    conflict = client.post(change_url(disease), data)
    assert "Not saved" in conflict.content.decode()
    assert_nothing_inline(conflict)


def test_the_lockout_page_has_no_inline_script_or_style(client, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/admin/login/", {"username": "someone", "password": f"wrong {attempt}"})
    assert_nothing_inline(response, status=429)
    assert directives(response)["script-src"] == ["'self'"]


CREATE_EDITOR = """
from tests.factories import make_editor
make_editor()
"""


@pytest.fixture
def served_site(tmp_path):
    """The site served by gunicorn from a database of its own, as `make run` serves it (DEBUG off, whitenoise)."""
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(SQLITE_PATH=str(tmp_path / "site.sqlite3"), STATIC_ROOT=str(tmp_path / "static"), DEBUG="False")
    for command in (["migrate", "--noinput"], ["load_documents"], ["collectstatic", "--noinput"]):
        manage(env, *command)
    manage(env, "shell", "-c", CREATE_EDITOR)
    with gunicorn(env) as base:
        yield base


def test_a_browser_reports_no_policy_violations_on_public_and_editor_pages(served_site):
    """Chromium logs every refused inline script or style as a console error; an editor's round finds none."""
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), "Debian's chromium package is needed (.ci/run installs it)"
    errors = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and not message.location.get("url", "").endswith("/favicon.ico")  # there is none
                and errors.append((page.url, message.text))
            ),
        )
        page.on("pageerror", lambda error: errors.append((page.url, str(error))))

        def visit(path):
            page.goto(served_site + path)
            page.wait_for_load_state("networkidle")

        for path in ["/", "/search/?q=alpers", "/diseases/alpers-syndrome/", "/symptoms/HP:0001251/"]:
            visit(path)
        page.fill("#header-q", "alst")  # the suggestions script fetches as the reader types
        page.wait_for_timeout(800)

        visit("/admin/login/?next=/admin/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", "correct horse battery")
        page.click("input[type=submit]")
        page.wait_for_load_state("networkidle")
        visit("/admin/gard/disease/?review=overdue")
        visit("/admin/gard/disease/?q=alpers")
        page.click("#result_list tbody tr th a")
        page.wait_for_load_state("networkidle")
        form_url = page.url
        page.click("#annotations-group .add-row a")  # a new inline row
        page.locator("#annotations-group tr.dynamic-annotations .select2-selection").last.click()
        page.keyboard.type("ataxia")  # the term autocomplete
        page.wait_for_selector(".select2-results__option")
        page.keyboard.press("Escape")
        page.locator("#annotations-group tr.dynamic-annotations a.inline-deletelink").last.click()
        page.click("#id_last_reviewed + .datetimeshortcuts a")  # "Today"
        page.fill("#id_next_review_due", "2099-01-01")
        page.click("input[name=_continue]")
        page.wait_for_load_state("networkidle")
        assert "was changed successfully" in page.locator(".messagelist").inner_text()
        page.goto(form_url.split("change/")[0] + "history/")
        page.wait_for_load_state("networkidle")
        page.locator("#change-history tbody tr td a").last.click()  # a revision's revert form
        page.wait_for_load_state("networkidle")
        browser.close()
    assert not errors, errors
