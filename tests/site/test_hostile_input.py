"""Random and hostile values in every public parameter and path: never a 5xx, never an unescaped echo.

Property-based (hypothesis): values are drawn from hostile samples (HTML and script, SQL, FTS
query syntax, control characters, overlong strings, odd numbers and unicode) and from random
text, alone, mixed, and repeated under one key, then sent to each public page of the site
built from the source documents. A value holding ``<`` or ``"`` must not appear verbatim in an
HTML page unless the page without it already has that text (a lone ``"`` is in any page).
Forty examples per test keep the suite fast; HOSTILE_EXAMPLES=1000 searches deeper.
"""

import os
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gard.uri_length import MAX_URI_LENGTH

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("documents")]

EXAMPLES = settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "40")),  # HOSTILE_EXAMPLES=1000 for a deeper run
    deadline=None,
    database=None,  # no example database: every run draws afresh (.hypothesis/ keeps only caches, git-ignored)
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

PAGES = [
    "/",
    "/diseases/letter/A/",
    "/diseases/alpers-syndrome/",
    "/diseases/alpers-syndrome/symptoms.csv",
    "/symptoms/HP:0001251/",
    "/search/",
    "/search/suggest/",
    "/finder/",
    "/finder/suggest/",
]
PARAMETERS = ["q", "page", "frequency", "system", "sort", "names", "letter", "term", "add"]

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover=\"alert(1)\" x='",
    "</textarea><svg onload=alert(1)>",
    "javascript:alert(1)",
    "' OR 1=1 --",
    "'; DROP TABLE gard_disease; --",
    "1 UNION SELECT name FROM sqlite_master",
    "%",
    "_",
    "\\",
    '"unterminated',
    "alpers*",
    "NEAR(alpers syndrome, 2)",
    "name:alpers OR symptoms:seizure",
    "alpers AND NOT",
    "^alpers",
    "-alpers",
    "(((",
    "{}[]",
    "\x00",
    "\x01\x1f\x7f",
    "\r\nSet-Cookie: x=1",
    "\u202etxt.exe",
    "\ufeff",
    "😀" * 50,
    "x" * 5000,
    "-1",
    "0",
    "1e9",
    "9" * 40,
    "١٢",  # Arabic-Indic digits
    "NaN",
    "HP:",
    "HP:0000707",
    "HP:0000118",
    "HP:999999999999",
    "hp:1251",
    "HP:0001251?q=x",
    "ORPHA:" + "9" * 40,
    "frequent",
    "very_frequent",
    "-name",
    "plain",
    "medical",
    " ",
]

values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=60),  # any unicode, control characters included
    st.text(alphabet=st.sampled_from("<>\"'&;%*:()-_ \x00aHP0123"), max_size=30),
    st.tuples(st.text(max_size=10), st.sampled_from(HOSTILE), st.text(max_size=10)).map("".join),
)
# A list of (name, value) pairs: a name may repeat, as ?q=a&q=b does.
query_strings = st.lists(st.tuples(st.sampled_from(PARAMETERS), values), min_size=1, max_size=4)


def get(client, path):
    response = client.get(path)
    assert response.status_code < 500, path
    return response


def assert_not_echoed(response, baseline, sent):
    if not response["Content-Type"].startswith("text/html"):
        return  # CSV and JSON are not read as HTML
    html = response.content.decode()
    for value in sent:
        for text in {value, value.strip()}:
            if ("<" in text or '"' in text) and text in html:
                assert text in baseline, f"{text!r} is in the page unescaped"


# The finder's page grows markup of its own with valid parameters (hidden inputs holding "HP:…", ranked
# results, lists of candidate terms), so its baseline also holds such pages.
FINDER_BASELINES = ["/finder/?term=HP:0001251&term=HP:0000707", "/finder/?term=HP:0001251&add=a", "/finder/?add=HP:00"]


@pytest.fixture
def baselines(client):
    """Each page as it is without parameters, for text a value may share with any page."""
    pages = {path: client.get(path).content.decode() for path in PAGES}
    pages["/finder/"] += "".join(client.get(path).content.decode() for path in FINDER_BASELINES)
    return pages


@pytest.mark.parametrize("path", PAGES)
@EXAMPLES
@given(pairs=query_strings)
def test_random_and_hostile_parameters(client, baselines, path, pairs):
    address = f"{path}?{urlencode(pairs)}"
    response = get(client, address)
    if len(address) > MAX_URI_LENGTH:
        assert response.status_code == 414 and "Address too long" in response.content.decode()
        return
    if path == "/finder/" and response.status_code == 302:
        # "add" naming exactly one term (by ID or name) goes to the finder's address with it added.
        assert response["Location"].startswith("/finder/?")
        response = get(client, response["Location"])
    assert response.status_code == 200  # bad values are ignored (with a message where the page has filters)
    assert_not_echoed(response, baselines[path], [value for _, value in pairs])


@EXAMPLES
@given(raw=st.binary(max_size=40))
def test_raw_bytes_in_the_query_string(client, raw):
    """Percent-encoded bytes that are not UTF-8, unencoded separators, lone '=' and '&'."""
    encoded = quote(raw, safe="=&")
    for path in ("/search/", "/diseases/alpers-syndrome/", "/search/suggest/"):
        get(client, f"{path}?q={encoded}&{encoded}")
    get(client, f"/finder/?term={encoded}&add={encoded}&{encoded}")
    get(client, f"/finder/suggest/?term={encoded}?q={encoded}&{encoded}")


@EXAMPLES
@given(value=values)
@example(value="x" * 5000)  # always tried: a path past the limit
def test_random_and_hostile_paths(client, baselines, value):
    segment = quote(value, safe="")
    for path in (
        f"/diseases/{segment}/",
        f"/diseases/{segment}/symptoms.csv",
        f"/symptoms/{segment}/",
        f"/diseases/letter/{segment}/",
    ):
        response = get(client, path)
        if len(path) > MAX_URI_LENGTH:
            assert response.status_code == 414 and "Address too long" in response.content.decode()
            continue
        assert response.status_code in (200, 301, 404)
        assert_not_echoed(response, baselines["/"], [value])
