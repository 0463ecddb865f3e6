"""A disease page on paper: no navigation, the targets of outside links written out, sensible page
breaks, black on white. The PDFs are saved under build/print/ for people to look at."""

import re
from pathlib import Path

from django.conf import settings

PRINTS = Path(settings.BASE_DIR) / "build" / "print"
ALPERS = "/diseases/alpers-syndrome/"


def printed(new_page, path):
    page = new_page()
    assert page.goto(path).status == 200
    page.emulate_media(media="print")
    return page


def style(page, selector, prop, pseudo=None):
    """The computed value of a CSS property of every element the selector finds."""
    return page.eval_on_selector_all(
        selector,
        "(elements, [prop, pseudo]) => elements.map(element => getComputedStyle(element, pseudo)[prop])",
        [prop, pseudo],
    )


def after_text(page, selector) -> list[tuple[str, str]]:
    """(href, the text its ::after adds, as laid out) for each link the selector finds."""
    return page.eval_on_selector_all(
        selector,
        """links => links.map(link => {
            const content = getComputedStyle(link, "::after").content;
            // Chromium reports content with attr() as written; resolve it the way layout does.
            const text = content === "none" ? "" : content
                .replace(/attr\\(href\\)/g, JSON.stringify(link.getAttribute("href")))
                .match(/"(?:[^"\\\\]|\\\\.)*"/g).map(part => JSON.parse(part)).join("");
            return [link.getAttribute("href"), text];
        })""",
    )


def test_a_printed_disease_page_has_no_navigation(new_page, site):
    page = printed(new_page, ALPERS)
    for selector in [".skip-link", ".site-header", ".header-search", ".breadcrumb", ".symptom-filters", "a.download"]:
        assert set(style(page, selector, "display")) == {"none"}, selector
        assert not page.locator(selector).first.is_visible(), selector
    # What is content stays: the heading, the text, the table, the references and the footer's notice.
    for selector in ["h1", "#about", "table.symptoms", "#references", "#sources", ".site-footer"]:
        assert page.locator(selector).first.is_visible(), selector


def test_the_table_of_contents_prints_as_plain_text(new_page, site):
    page = printed(new_page, ALPERS)
    assert page.locator(".toc").is_visible()
    assert set(style(page, ".toc a", "color")) == {"rgb(0, 0, 0)"}
    assert set(style(page, ".toc a", "textDecorationLine")) == {"none"}
    assert set(style(page, ".toc a", "content", "::after")) == {"none"}  # no address after an in-page link


def test_references_show_where_their_links_go(new_page, site):
    page = printed(new_page, ALPERS)
    references = page.locator("#references a[href^='http']")
    assert references.count() == 3
    for href, text, after in references.evaluate_all(
        "links => links.map(link => [link.getAttribute('href'), link.textContent.trim(),"
        " getComputedStyle(link, '::after').content])"
    ):
        # The reference list writes each address out as its link text, so nothing is added after it.
        assert text == href and after == "none"


def test_outside_links_in_resources_and_sources_are_followed_by_their_address(new_page, site):
    page = printed(new_page, ALPERS)
    links = after_text(page, "#sources a[href^='http'], .resources a[href^='http'], .source-text .meta a[href^='http']")
    assert len(links) >= 5
    for href, text in links:
        assert text == f" ({href})"
    wikipedia = [text for href, text in links if "wikipedia.org" in href]
    assert " (https://en.wikipedia.org/wiki/Alpers%27_disease)" in wikipedia


def test_on_screen_no_address_is_added(new_page, site):
    page = new_page()
    page.goto(ALPERS)
    page.emulate_media(media="screen")
    assert set(style(page, ".resources a[href^='http'], #sources a[href^='http']", "content", "::after")) == {"none"}
    assert page.locator(".site-header").is_visible()


def test_printed_page_is_black_on_white_with_sensible_breaks(new_page, site):
    page = printed(new_page, ALPERS)
    assert style(page, "body", "color") == ["rgb(0, 0, 0)"]
    assert style(page, "body", "backgroundColor")[0] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    assert set(style(page, ".meta, .source-label, .empty-note", "color")) <= {"rgb(0, 0, 0)"}
    assert set(style(page, "main h2, main h3", "breakAfter")) == {"avoid"}  # no heading alone at a page foot
    assert set(style(page, "table.symptoms tr", "breakInside")) == {"avoid"}  # a row is never split
    assert set(style(page, "#references li", "breakInside")) == {"avoid"}
    assert style(page, "table.symptoms thead", "display") == ["table-header-group"]  # repeated on each page
    assert set(style(page, ".table-scroll", "overflowX")) == {"visible"}  # nothing cut off at the edge


def test_folded_other_names_print_open(new_page, catalogue_site):
    page = printed(new_page, "/diseases/renu-syndrome/")
    folded = page.locator("table.symptoms details")
    assert folded.count() > 0
    assert set(style(page, "table.symptoms details > summary", "display")) == {"none"}
    hidden_name = folded.first.locator("ul.names li").first
    assert hidden_name.is_visible()


def test_the_printed_page_is_saved_as_pdf(new_page, catalogue_site):
    PRINTS.mkdir(parents=True, exist_ok=True)
    for slug in ["alpers-syndrome", "renu-syndrome"]:
        page = printed(new_page, f"/diseases/{slug}/")
        path = PRINTS / f"{slug}.pdf"
        page.pdf(path=path, format="A4", print_background=False)
        data = path.read_bytes()
        assert data.startswith(b"%PDF-")
        pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
        assert pages > 1, f"{slug}: {pages} page"
