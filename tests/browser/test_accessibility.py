"""axe-core (WCAG 2.2 A and AA rules) finds nothing to fix on each kind of page."""

import pytest

from tests.browser.helpers import PAGES, axe_violations


@pytest.mark.parametrize("path, status", PAGES.values(), ids=PAGES.keys())
def test_axe_finds_no_wcag_violations(new_page, catalogue_site, path, status):
    page = new_page()
    assert page.goto(path).status == status
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)


def test_axe_finds_no_wcag_violations_with_the_suggestions_open(new_page, catalogue_site):
    page = new_page()
    page.goto("/")
    page.locator("#header-q").press_sequentially("alst", delay=30)
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("ArrowDown")
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)
