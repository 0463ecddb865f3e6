"""The three users' journeys through the site in Chromium: a family, a clinician and an editor."""

import csv
import re

from playwright.sync_api import expect

from gard.models import Disease, Section
from tests.factories import make_editor


def symptom_rows(page) -> list[tuple[str, str, str]]:
    """The symptom table's rows as (name, HPO ID, the row's whole text, folded names too), in order."""
    rows = page.locator("table.symptoms tbody tr:not(.group, .more)").evaluate_all(
        """rows => rows.map(row => [
            row.querySelector("th").innerText.trim(),
            row.querySelector("td:last-child").innerText.trim(),
            row.textContent,
        ])"""
    )
    return [tuple(row) for row in rows]


def test_a_family_finds_alstrom_syndrome_by_typing_and_picking_the_suggestion(new_page, catalogue_site):
    page = new_page()
    page.goto("/")
    box = page.get_by_role("combobox", name="Search for a disease or symptom")
    box.click()
    box.press_sequentially("alstrom", delay=30)
    suggestion = page.get_by_role("option", name="Alström syndrome", exact=True)
    expect(suggestion).to_be_visible()
    suggestion.click()

    page.wait_for_url("**/diseases/alstrom-syndrome/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alström syndrome")
    expect(page.locator("#about .what-is-it")).to_contain_text("Alström syndrome")
    # The disease's other names, and a symptom's other names folded behind "N more".
    expect(page.locator("#other-names li").first).to_be_visible()
    folded = page.locator("table.symptoms details").first
    hidden_names = folded.locator("ul.names li")
    expect(hidden_names.first).to_be_hidden()
    folded.locator("summary").click()
    expect(folded).to_have_attribute("open", "")
    count = int(re.match(r"\d+", folded.locator("summary").inner_text()).group())
    expect(hidden_names).to_have_count(count)
    for name in hidden_names.all():
        expect(name).to_be_visible()


def test_a_family_finds_cystic_fibrosis_by_its_abbreviation_and_despite_a_misspelling(new_page, catalogue_site):
    page = new_page()
    page.goto("/")
    box = page.get_by_role("combobox", name="Search for a disease or symptom")
    box.click()
    box.press_sequentially("CF", delay=30)
    # The suggestion says why it matched, read with its name.
    expect(page.get_by_role("option").first).to_have_text("Cystic fibrosis (Also called CF)")

    box.fill("")
    box.press_sequentially("cystic fibrossis", delay=10)
    box.press("Enter")  # no suggestion chosen: the form submits what was typed
    page.wait_for_url("**/search/?q=cystic+fibrossis")
    expect(page.locator(".correction")).to_contain_text("Showing results for “cystic fibrosis”")
    first = page.locator("ol.results > li").first
    expect(first.get_by_role("link")).to_have_text("Cystic fibrosis")
    expect(first.locator(".what-it-is")).not_to_be_empty()

    page.get_by_role("link", name="Search instead for “cystic fibrossis”").click()
    page.wait_for_url("**exact=1")
    expect(page.locator(".correction")).to_have_count(0)
    expect(page.get_by_text("No disease matched")).to_be_visible()


def test_a_family_follows_a_citation_marker_to_its_reference(new_page, site):
    # Of the two written pages only Alpers syndrome's text carries numbered citation markers.
    page = new_page()
    page.goto("/diseases/alpers-syndrome/")
    marker = page.locator("#about .what-is-it a.cite").first
    number = re.search(r"\d+", marker.inner_text()).group()
    reference = page.locator(f"#reference-{number}")
    expect(reference).not_to_be_in_viewport()
    marker.click()

    assert page.url.endswith(f"#reference-{number}")
    assert page.evaluate("document.querySelector(':target').id") == f"reference-{number}"
    expect(reference).to_be_in_viewport()
    citation = Disease.objects.get(slug="alpers-syndrome").references.get(number=number).citation
    expect(reference).to_contain_text(citation[:40])


def test_a_clinician_filters_sorts_shares_and_downloads_the_alpers_symptom_table(new_page, catalogue_site):
    page = new_page()
    page.goto("/diseases/alpers-syndrome/")
    everything = symptom_rows(page)
    page.get_by_label("Find a symptom").fill("seizure")
    page.locator("input[name=frequency][value=frequent]").check()
    page.get_by_label("Sort within each group").select_option("-name")
    page.get_by_role("button", name="Apply filters").click()

    page.wait_for_url(re.compile(r"q=seizure.*frequency=frequent.*sort=-name"))
    rows = symptom_rows(page)
    assert 1 < len(rows) < len(everything)
    assert all("seizure" in text.lower() for _, _, text in rows), rows
    names = [name for name, _, _ in rows]
    assert names == sorted(names, key=str.casefold, reverse=True)
    groups = page.locator("table.symptoms tr.group th").all_inner_texts()
    assert groups == ["30%-79% of people have these symptoms"], groups
    expect(page.locator("#symptom-count")).to_have_text(f"Showing {len(rows)} of {len(everything)} symptoms.")

    # The address is the view: opened afresh elsewhere it shows the same table.
    shared = new_page()
    shared.goto(page.url)
    assert symptom_rows(shared) == rows
    expect(shared.get_by_label("Find a symptom")).to_have_value("seizure")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"Download these \d+ symptoms")).click()
    download = download_info.value
    assert download.suggested_filename == "alpers-syndrome-symptoms.csv"
    with open(download.path(), encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert [(line["Medical term"], line["HPO ID"]) for line in table] == [(name, hpo) for name, hpo, _ in rows]
    assert {line["Frequency"] for line in table} == {"30%-79%"}


def test_an_editor_edits_a_summary_and_restores_the_previous_revision(new_page, site):
    editor = make_editor()
    disease = Disease.objects.get(slug="alpers-syndrome")
    summary = Section.objects.get(disease=disease, kind="summary", source__key="gard-alpers-syndrome")
    old_sentence = re.split(r"(?<=\.) ", summary.body)[0]
    new_text = "Alpers syndrome damages the brain and the liver; this summary was rewritten by an editor."

    page = new_page()
    page.goto("/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    page.get_by_role("link", name="Diseases", exact=True).first.click()
    page.get_by_role("link", name="Alpers syndrome", exact=True).click()
    section_id = page.locator(f"input[name^='sections-'][name$='-id'][value='{summary.pk}']")
    prefix = section_id.get_attribute("name").removesuffix("-id")
    page.locator(f"textarea[name='{prefix}-body']").fill(new_text)
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto("/diseases/alpers-syndrome/")
    expect(page.locator("#about .what-is-it")).to_contain_text(new_text)
    expect(page.locator("#about .what-is-it")).not_to_contain_text(old_sentence)

    # The disease's history lists the save with the section changed in it; the section's own history
    # reverts it to the state before the edit.
    page.goto(f"/admin/gard/disease/{disease.pk}/")
    page.get_by_role("link", name="History").click()
    page.locator(f"#change-history a[href='/admin/gard/section/{summary.pk}/history/']").first.click()
    versions = page.locator("#change-history tbody tr")
    expect(versions).to_have_count(2)
    versions.last.locator("td a").first.click()
    expect(page.locator("textarea[name=body]")).to_contain_text(old_sentence)
    page.get_by_role("button", name="Revert", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto("/diseases/alpers-syndrome/")
    expect(page.locator("#about .what-is-it")).to_contain_text(old_sentence)
    expect(page.locator("#about .what-is-it")).not_to_contain_text(new_text)
    summary.refresh_from_db()
    assert summary.history.latest().history_user == editor
