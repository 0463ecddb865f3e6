"""At a phone's width (375 px) no page scrolls sideways; the disease pages are photographed for people to look at."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PAGES, screenshot

PHONE = 375
DESKTOP = 1280
DISEASES = ["alpers-syndrome", "alstrom-syndrome", "renu-syndrome"]


def overflow(page) -> list[str]:
    """The elements that reach past the window's right edge (empty when nothing does)."""
    return page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter(element => element.getBoundingClientRect().right > window.innerWidth + 0.5)
            .slice(0, 10)
            .map(element => element.outerHTML.slice(0, 120))"""
    )


@pytest.mark.parametrize("path, status", PAGES.values(), ids=PAGES.keys())
def test_no_page_scrolls_sideways_on_a_phone(new_page, catalogue_site, path, status):
    page = new_page(width=PHONE, height=800)
    assert page.goto(path).status == status
    width, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert window == PHONE
    assert width <= window, overflow(page)


@pytest.mark.parametrize("slug", DISEASES)
def test_the_symptom_table_is_cards_on_a_phone_and_a_table_on_a_desktop(new_page, catalogue_site, slug):
    phone = new_page(width=PHONE, height=800)
    phone.goto(f"/diseases/{slug}/")
    table = phone.locator("table.symptoms")
    row = table.locator("tbody tr:not(.group)").first
    assert row.evaluate("row => getComputedStyle(row).display") == "block"
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    # Each value is labelled in its card, as the column headings are out of sight (still there for
    # screen readers).
    labels = row.locator("td").evaluate_all("cells => cells.map(cell => getComputedStyle(cell, '::before').content)")
    assert labels[1:] == ['"How often, by source"', '"HPO ID"']
    expect(table.locator("thead th").first).not_to_be_in_viewport()
    screenshot(phone, f"{slug}-{PHONE}")

    desktop = new_page(width=DESKTOP, height=900)
    desktop.goto(f"/diseases/{slug}/")
    row = desktop.locator("table.symptoms tbody tr:not(.group)").first
    assert row.evaluate("row => getComputedStyle(row).display") == "table-row"
    expect(desktop.locator("table.symptoms thead th").first).to_be_visible()
    assert desktop.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(desktop, f"{slug}-{DESKTOP}")
