import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command


def pytest_configure(config):
    # whitenoise serves from STATIC_ROOT and warns when it is missing; tests don't run collectstatic.
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Tests do not run collectstatic, and need no slow password hashing.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_page_cache():
    # Pages are cached by content generation and address (gard/cache.py); the test database starts
    # afresh each test but a cache outlives it, so every test starts with an empty one.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def documents(db):
    """The site as built from the source documents."""
    call_command("loaddata", "source_documents", verbosity=0)


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def page_text(response) -> str:
    """The visible text of a page, whitespace collapsed."""
    extractor = _TextExtractor()
    extractor.feed(response.content.decode())
    return re.sub(r"\s+", " ", " ".join(extractor.parts))


def element_text(response, element_id: str) -> str:
    """The text inside the element with this id (its opening tag to the matching close)."""
    html = response.content.decode()
    start = html.index(f'id="{element_id}"')
    tag = html.rfind("<", 0, start)
    name = re.match(r"<(\w+)", html[tag:]).group(1)
    depth, position = 0, tag
    pattern = re.compile(rf"<(/?){name}\b[^>]*>")
    for match in pattern.finditer(html, tag):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            position = match.end()
            break
    extractor = _TextExtractor()
    extractor.feed(html[tag:position])
    return re.sub(r"\s+", " ", " ".join(extractor.parts))
