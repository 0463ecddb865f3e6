"""What a family sees first on a phone: what the disease is and how common it is, before any chart."""

from tests.browser.helpers import screenshot

PHONE_WIDTH, PHONE_HEIGHT = 375, 812  # the first screen of a common phone


def top(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("element => element.getBoundingClientRect().top + window.scrollY")


def test_on_a_phone_marfan_syndrome_says_what_it_is_and_how_common_on_the_first_screen(new_page, catalogue_site):
    page = new_page(width=PHONE_WIDTH, height=PHONE_HEIGHT)
    page.goto("/diseases/marfan-syndrome/")
    what, common = page.locator("#what-is-it"), page.get_by_text("How common is it?")
    assert what.is_visible() and common.is_visible()
    assert top(page, "#what-is-it") < PHONE_HEIGHT
    assert common.evaluate("element => element.getBoundingClientRect().top") < PHONE_HEIGHT
    assert "systemic disease of connective tissue" in page.locator(".what-is-it").inner_text()
    screenshot(page, f"marfan-syndrome-first-screen-{PHONE_WIDTH}")


def test_on_alstrom_syndrome_the_summary_comes_before_the_chart(new_page, catalogue_site):
    for width in (PHONE_WIDTH, 1280):
        page = new_page(width=width, height=900)
        page.goto("/diseases/alstrom-syndrome/")
        assert "affects many body systems" in page.locator(".what-is-it").inner_text()
        assert top(page, ".what-is-it") < top(page, "table.chart") < top(page, "table.symptoms")


def test_the_group_page_lists_its_types_and_a_type_says_what_it_is_part_of(new_page, catalogue_site):
    page = new_page()
    page.goto("/diseases/ehlers-danlos-syndrome/")
    types = page.locator("ul.types li")
    assert types.count() == 2
    page.get_by_role("link", name="Vascular Ehlers-Danlos syndrome").click()
    part_of = page.locator(".part-of")
    assert "Ehlers-Danlos syndrome" in part_of.inner_text()


def test_the_orphanet_spelling_of_a_merged_page_leads_to_it(new_page, catalogue_site):
    page = new_page()
    response = page.goto("/diseases/achondrogenesis-type-ia/")
    assert response.ok and page.url.endswith("/diseases/achondrogenesis-type-1a/")
    assert page.locator("h1").inner_text() == "Achondrogenesis type 1A"
