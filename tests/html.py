"""Reading what the site answers: a page's text, an element's text, a form's values (and saving an
admin form), search results, a CSV download, and the inline code the Content-Security-Policy refuses."""

import csv
import html as html_module
import io
import re
from html.parser import HTMLParser


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def _visible_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    return re.sub(r"\s+", " ", " ".join(extractor.parts))


def page_text(response) -> str:
    """The visible text of a page, whitespace collapsed."""
    return _visible_text(response.content.decode())


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
    return _visible_text(html[tag:position])


class _FormFields(HTMLParser):
    """The values a browser would submit from the page's main form."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._textarea = self._select = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value", "on" if attrs.get("type") == "checkbox" else ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def form_data(response) -> dict[str, list[str]]:
    """What the page's main form would post, field by field (the admin's search box left out)."""
    parser = _FormFields()
    parser.feed(response.content.decode())
    data = parser.data
    data.pop("q", None)  # the admin's search box is another form
    return {name: [value.lstrip("\n") for value in values] for name, values in data.items()}


def change_url(row) -> str:
    """The address of a row's change form in the admin."""
    return f"/admin/gard/{row._meta.model_name}/{row.pk}/change/"


def edit_in_admin(client, row, **changes) -> dict[str, list[str]]:
    """Open the row's change form as the signed-in client, set these fields, and save: the save must
    redirect, as a successful one does. What was posted."""
    data = form_data(client.get(change_url(row)))
    for name, value in changes.items():
        data[name] = [value]
    response = client.post(change_url(row), data)
    assert response.status_code == 302, page_text(response)[:2000]
    return data


def result_names(response) -> list[str]:
    """The names of the diseases a search results page lists, in order."""
    found = re.findall(r'<h3><a href="/diseases/[\w-]+/">(.*?)</a></h3>', response.content.decode())
    return [html_module.unescape(name) for name in found]


def read_csv(response) -> list[list[str]]:
    """The rows of a CSV download (its header first)."""
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


# Pages must not carry what the policy refuses: style attributes, inline scripts, event handler attributes.
INLINE_STYLE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.IGNORECASE)
INLINE_STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
# A JSON-LD block (<script type="application/ld+json">) is data a browser never runs, so the policy
# does not apply to it; any other <script> without src is inline code.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*\stype=\"application/ld\+json\")[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def assert_nothing_inline(response, status=200):
    """The response has this status and no inline style, inline script, event handler or javascript: URL."""
    assert response.status_code == status
    html = response.content.decode()
    for pattern in (INLINE_STYLE, INLINE_STYLE_ELEMENT, INLINE_SCRIPT, EVENT_HANDLER, JAVASCRIPT_URL):
        match = pattern.search(html)
        assert match is None, html[max(match.start() - 200, 0) : match.end() + 200]
