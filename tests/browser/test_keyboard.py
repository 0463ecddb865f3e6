"""Everything a reader does, done with the keyboard alone: no mouse event is sent in these tests."""

import re

from playwright.sync_api import expect

MAX_TABS = 300


def focused(page, selector: str) -> bool:
    return page.evaluate("selector => document.activeElement?.matches(selector) ?? false", selector)


def tab_to(page, selector: str, key: str = "Tab") -> int:
    """Press Tab until the focus is on the element matching selector; how many presses it took."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press(key)
        if focused(page, selector):
            return presses
    raise AssertionError(f"{selector} was not reached with {MAX_TABS} presses of {key}")


def test_the_first_tab_reaches_the_skip_link_and_enter_moves_to_the_main_content(new_page, site):
    page = new_page()
    page.goto("/diseases/alpers-syndrome/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to main content")
    expect(skip).to_be_in_viewport()  # shown when focused, though off screen otherwise
    page.keyboard.press("Enter")
    assert focused(page, "main#main")
    # The next Tab goes on from the main content, past the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_the_search_suggestions_work_with_arrows_enter_and_escape(new_page, catalogue_site):
    page = new_page()
    page.goto("/")
    tab_to(page, "#header-q")
    box = page.locator("#header-q")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    page.keyboard.type("alst", delay=30)

    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    count = options.count()
    assert count >= 1
    status = page.locator(".suggest [role=status]").first
    expect(status).to_have_text(re.compile(rf"^{count} suggestions? for alst\b"))
    # Nothing is highlighted until the arrows move; the focus stays in the box throughout.
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile("."))

    page.keyboard.press("ArrowDown")
    first = options.first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    page.keyboard.press("ArrowUp")  # from the first, up wraps to the last
    expect(options.last).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.last.get_attribute("id"))
    page.keyboard.press("ArrowDown")  # and down from the last back to the first
    expect(first).to_have_attribute("aria-selected", "true")
    assert focused(page, "#header-q")

    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("alst")
    page.keyboard.press("ArrowDown")  # opens the list again, on the first suggestion
    expect(listbox).to_be_visible()
    expect(first).to_have_attribute("aria-selected", "true")

    label = first.inner_text()
    page.keyboard.press("Enter")
    page.wait_for_url("**/diseases/**")
    expect(page.get_by_role("heading", level=1)).to_have_text(label)


def test_enter_without_a_highlighted_suggestion_submits_the_search(new_page, catalogue_site):
    page = new_page()
    page.goto("/")
    tab_to(page, "main input[type=search]")
    page.keyboard.type("alstrom", delay=30)
    expect(page.get_by_role("option").first).to_be_visible()
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=alstrom")
    expect(page.get_by_role("heading", level=1)).to_contain_text("alstrom")
    # Escape with the list closed empties the box.
    tab_to(page, "main input[type=search]")
    page.keyboard.press("Escape")
    expect(page.locator("main input[type=search]")).to_have_value("")


def test_every_symptom_table_filter_is_usable_from_the_keyboard(new_page, catalogue_site):
    page = new_page()
    page.goto("/diseases/alpers-syndrome/")
    tab_to(page, ".name-switch a:not([aria-current])")  # "Everyday words": a link, one press of Enter
    expect(page.locator(":focus")).to_have_text("Everyday words")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"names=plain"))
    expect(page.locator(".name-switch [aria-current=true]")).to_have_text("Everyday words")
    tab_to(page, "#id_q")
    page.keyboard.type("ataxia")
    page.keyboard.press("Tab")
    assert focused(page, "#id_system")
    page.keyboard.press("ArrowDown")  # the first body system after "All body systems"
    system = page.locator("#id_system").input_value()
    assert system.startswith("HP:")
    page.keyboard.press("Tab")
    assert focused(page, "input[name=frequency]")
    checked = []
    for _ in range(page.locator("input[name=frequency]").count()):
        value = page.evaluate("document.activeElement.value")
        if value in ("obligate", "frequent", "unknown"):
            page.keyboard.press("Space")
            checked.append(value)
        page.keyboard.press("Tab")
    assert focused(page, "#id_sort")
    page.keyboard.press("ArrowDown")
    sort = page.locator("#id_sort").input_value()
    page.keyboard.press("Tab")
    assert focused(page, "button[type=submit]")
    expect(page.locator(":focus")).to_have_text("Apply filters")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"q=ataxia"))
    query = page.url.split("?", 1)[1].split("#")[0]
    assert f"system={system.replace(':', '%3A')}" in query
    assert [part.split("=")[1] for part in query.split("&") if part.startswith("frequency=")] == checked
    assert f"sort={sort}" in query and "names=plain" in query  # the filters keep the names chosen
    expect(page.locator("#id_q")).to_have_value("ataxia")
    expect(page.locator("#id_system")).to_have_value(system)
    for value in checked:
        expect(page.locator(f"input[name=frequency][value={value}]")).to_be_checked()
    expect(page.locator("#symptom-count")).to_have_text(re.compile(r"Showing \d+ of \d+ symptoms"))


def test_the_more_toggles_open_and_close_from_the_keyboard(new_page, catalogue_site):
    page = new_page()
    page.goto("/diseases/renu-syndrome/")
    tab_to(page, "table.symptoms details summary")
    details = page.locator("table.symptoms details").first
    folded = details.locator("ul.names li").first
    expect(folded).to_be_hidden()
    page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")
    expect(folded).to_be_visible()
    page.keyboard.press("Space")
    expect(details).not_to_have_attribute("open", "")
    expect(folded).to_be_hidden()
    # The next toggle is the next Tab stop after the link and the ID link of rows in between.
    page.keyboard.press("Enter")
    tab_to(page, "table.symptoms details:not([open]) summary")
    page.keyboard.press("Enter")
    expect(page.locator("table.symptoms details[open]")).to_have_count(2)


def test_suggestions_from_an_address_with_a_query_add_q_with_an_ampersand(new_page, catalogue_site):
    # The symptom finder's box asks /finder/suggest/?term=...: the typed text is added as &q=.
    page = new_page()
    page.goto("/finder/?term=HP:0001250&term=HP:0001251")
    box = page.locator("input[data-suggest*='?']")
    assert "?term=" in box.get_attribute("data-suggest")
    with page.expect_request(re.compile(r"/finder/suggest/\?term=.*&q=hypot$")):
        tab_to(page, "input[data-suggest*='?']")
        page.keyboard.type("hypot", delay=30)
    expect(page.get_by_role("option").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"term=HP%3A0001250&term=HP%3A0001251&term=HP%3A\d{7}$"))


def test_the_finder_takes_present_and_absent_symptoms_and_phenopackets_in_and_out(new_page, catalogue_site, tmp_path):
    page = new_page()
    page.goto("/finder/")
    tab_to(page, "#finder-add")
    page.keyboard.type("HP:0001250")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/finder/\?term=HP%3A0001250$"))
    # The next one as absent: the box, then the radio group (arrows move the choice), back to the box.
    tab_to(page, "#finder-add")
    page.keyboard.type("HP:0001251")
    tab_to(page, "input[name='as'][value='present']")
    page.keyboard.press("ArrowRight")
    expect(page.locator("input[name='as'][value='absent']")).to_be_checked()
    tab_to(page, "#finder-add", key="Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"term=HP%3A0001250&not=HP%3A0001251$"))
    expect(page.locator("#finder-chosen")).to_contain_text("Does not have")
    expect(page.locator("#finder-results")).to_contain_text("(and 1 absent)")

    tab_to(page, "a.finder-download")
    with page.expect_download() as waiting:
        page.keyboard.press("Enter")
    saved = tmp_path / "case.json"
    waiting.value.save_as(saved)

    page.goto("/finder/")
    page.locator("#finder-file").set_input_files(str(saved))
    tab_to(page, ".finder-upload button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"term=HP%3A0001250&not=HP%3A0001251$"))

    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    page.locator("#finder-file").set_input_files(str(broken))
    tab_to(page, ".finder-upload button")
    page.keyboard.press("Enter")
    expect(page.locator("#finder-file-problem")).to_contain_text("The file is not JSON")
