"""Filtering, sorting and downloading a disease's symptom table through GET parameters."""

import html as html_module
import re
from html.parser import HTMLParser

import pytest

from tests.html import page_text, read_csv

pytestmark = pytest.mark.usefixtures("documents")

ALPERS = "/diseases/alpers-syndrome/"
CSV = "/diseases/alpers-syndrome/symptoms.csv"


def hpo_ids(response):
    html = response.content.decode()
    return re.findall(r">(HP:\d{7})</a>", html[html.index('class="symptom-filters"') :])


def test_filter_by_medical_term_keeps_matching_rows(client):
    response = client.get(ALPERS, {"q": "seizure"})
    assert hpo_ids(response) == ["HP:0002069", "HP:0007359", "HP:0002133"]
    assert "Showing 3 of 43 symptoms" in page_text(response)


def test_filter_by_other_name_finds_the_term(client):
    response = client.get(ALPERS, {"q": "grand mal"})
    assert hpo_ids(response) == ["HP:0002069"]


def test_filter_is_case_and_accent_insensitive(client):
    assert hpo_ids(client.get(ALPERS, {"q": "VÓMITING"})) == ["HP:0002013"]


@pytest.mark.parametrize("query", ["HP:0001251", "hp:0001251", "0001251", "HP_0001251"])
def test_filter_by_hpo_id_with_or_without_prefix(client, query):
    assert hpo_ids(client.get(ALPERS, {"q": query})) == ["HP:0001251"]


def test_filter_by_one_frequency_group_keeps_only_that_group(client):
    response = client.get(ALPERS, {"frequency": "occasional"})
    assert hpo_ids(response) == ["HP:0000618"]
    assert "5%-29% of people have these symptoms" in page_text(response)
    assert "30%-79% of people have these symptoms" not in page_text(response)


def test_filter_by_several_frequency_groups(client):
    response = client.get(f"{ALPERS}?frequency=frequent&frequency=occasional")
    assert len(hpo_ids(response)) == 14
    assert "Showing 14 of 43 symptoms" in page_text(response)


def test_filters_combine(client):
    response = client.get(ALPERS, {"q": "seizure", "frequency": "frequent"})
    assert hpo_ids(response) == ["HP:0002069", "HP:0007359"]


def test_frequency_options_show_counts_per_group(client):
    text = page_text(client.get(ALPERS))
    assert "30%-79% (13)" in text and "5%-29% (1)" in text and "Percent not available (29)" in text


def test_sort_by_name_descending_keeps_frequency_groups(client):
    ids = hpo_ids(client.get(ALPERS, {"sort": "-name"}))
    assert ids[0] == "HP:0002313"  # Spastic paraparesis, last of the 30%-79% group
    assert ids[12] == "HP:0001284"  # Areflexia ends that group
    assert ids[13] == "HP:0000618"  # then the 5%-29% group


def test_sort_by_hpo_id(client):
    ids = hpo_ids(client.get(ALPERS, {"sort": "hpo_id", "frequency": "unknown"}))
    assert ids == sorted(ids)
    assert ids[0] == "HP:0000007"


def test_no_match_says_so_and_offers_the_full_table(client):
    response = client.get(ALPERS, {"q": "zzzz"})
    assert "Showing 0 of 43 symptoms" in page_text(response)
    assert "No symptoms match these filters" in page_text(response)


def test_long_other_name_lists_fold_behind_a_more_control_without_script(client):
    html = client.get(ALPERS).content.decode()
    table = html[html.index('id="symptom-caption"') :]
    microcephaly = table[table.index("Microcephaly") :].split("</tr>")[0]
    assert "<details><summary>3 more" in microcephaly
    assert "Small head circumference" in microcephaly.split("<details>")[1]
    # The only script that runs is an optional, external enhancement of the search boxes; the other
    # is structured data (JSON-LD), which browsers do not execute.
    assert re.findall(r"<script[^>]*>", html) == [
        re.search(r'<script src="[^"]+suggest\.js" defer>', html).group(0),
        '<script type="application/ld+json">',
    ]


def test_filtered_table_is_a_shareable_link(client):
    html = client.get(ALPERS, {"q": "seizure", "frequency": "frequent"}).content.decode()
    assert 'value="seizure"' in html
    assert re.search(r'value="frequent"[^>]*checked', html)
    assert 'symptoms.csv?q=seizure&amp;frequency=frequent"' in html


def test_csv_has_a_header_and_one_row_per_symptom(client):
    response = client.get(CSV)
    rows = read_csv(response)
    assert rows[0] == ["Medical term", "HPO ID", "Frequency", "Frequency as stated", "Other names", "Source"]
    assert len(rows) == 44
    assert response["Content-Disposition"] == 'attachment; filename="alpers-syndrome-symptoms.csv"'
    microcephaly = next(row for row in rows if row[0] == "Microcephaly")
    assert microcephaly[1:4] == ["HP:0000252", "30%-79%", "30%-79%"]
    assert microcephaly[4] == (
        "Abnormally small skull; Decreased circumference of cranium; Decreased size of skull; "
        "Reduced head circumference; Small head circumference"
    )


def test_csv_takes_the_same_filters_as_the_page(client):
    rows = read_csv(client.get(CSV, {"q": "seizure", "frequency": "frequent"}))
    assert [row[1] for row in rows[1:]] == ["HP:0002069", "HP:0007359"]


def test_csv_cells_never_start_a_spreadsheet_formula(client, django_user_model):
    from gard.models import Phenotype

    Phenotype.objects.filter(hpo_id="HP:0000618").update(name="=HYPERLINK(1)")
    rows = read_csv(client.get(CSV, {"frequency": "occasional"}))
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_csv_for_an_unknown_disease_is_404(client):
    assert client.get("/diseases/nope/symptoms.csv").status_code == 404


# -- table markup: every data cell names its headers ------------------------------------------


class _TableCells(HTMLParser):
    """The symptom table's header cells (id -> attributes) and data cells (their attributes), in order."""

    def __init__(self):
        super().__init__()
        self.inside, self.headers, self.data, self.rows = False, {}, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("class") == "symptoms":
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag == "th":
            self.headers[attrs.get("id")] = attrs
            self.rows[-1].append(("th", attrs))
        elif self.inside and tag == "td":
            self.data.append(attrs)
            self.rows[-1].append(("td", attrs))

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False


def table_cells(response) -> _TableCells:
    cells = _TableCells()
    cells.feed(response.content.decode())
    return cells


@pytest.mark.parametrize("query", [{}, {"sort": "-name"}, {"frequency": ["frequent", "occasional"]}])
def test_every_data_cell_names_its_column_group_and_row_headers(client, query):
    cells = table_cells(client.get(ALPERS, query))
    assert None not in cells.headers  # every header cell has an id
    columns = ["c-other", "c-freq", "c-hpo"]
    group = None
    for row in cells.rows:
        if row[0][1].get("colspan") == "4":  # a group's heading: a header with no data cells in its row
            group = row[0][1]["id"]
            continue
        if row[0][1].get("scope") == "col":
            continue
        kind, name_cell = row[0]
        assert kind == "th" and name_cell["scope"] == "row"
        for column, (kind, cell) in zip(columns, row[1:], strict=True):
            assert kind == "td"
            assert cell["headers"].split() == [column, group, name_cell["id"]]
    assert all(len(cell["headers"].split()) == 3 for cell in cells.data)


def test_every_group_heading_is_referenced_by_its_cells_headers(client):
    cells = table_cells(client.get(ALPERS))
    groups = [id for id, attrs in cells.headers.items() if attrs.get("colspan") == "4"]
    assert len(groups) == 3  # 30%-79%, 5%-29% and percent not available
    referenced = {header for cell in cells.data for header in cell["headers"].split()}
    assert set(groups) <= referenced
    assert referenced <= set(cells.headers)  # and nothing names a header that is not there


# -- everyday words or medical terms ----------------------------------------------------------


def names_switch(response) -> list[tuple[str, str, bool]]:
    """(label, address, current) of the switch's links."""
    html = response.content.decode()
    switch = html[html.index('class="name-switch"') :].split("</p>")[0]
    return [
        (label, html_module.unescape(href), bool(current))
        for href, current, label in re.findall(r'<a href="([^"]+)"( aria-current="true")?>([^<]+)</a>', switch)
    ]


def test_names_switch_is_two_links_above_the_table_marking_medical_terms_by_default(client):
    html = client.get(ALPERS).content.decode()
    assert html.index('class="name-switch"') < html.index('class="symptom-filters"') < html.index('class="symptoms"')
    assert names_switch(client.get(ALPERS)) == [
        ("Everyday words", f"{ALPERS}?names=plain#symptoms", False),
        ("Medical terms", f"{ALPERS}#symptoms", True),
    ]


def test_names_switch_keeps_the_other_filters_in_the_address(client):
    response = client.get(ALPERS, {"q": "seizure", "frequency": "frequent", "sort": "-name"})
    (_, plain, _), (_, medical, _) = names_switch(response)
    assert plain == f"{ALPERS}?q=seizure&frequency=frequent&sort=-name&names=plain#symptoms"
    assert medical == f"{ALPERS}?q=seizure&frequency=frequent&sort=-name#symptoms"
    everyday = client.get(plain.split("#")[0])
    assert hpo_ids(everyday) == hpo_ids(response)  # the same rows, named in everyday words
    assert "Showing 2 of 43 symptoms" in page_text(everyday)
    assert [current for _, _, current in names_switch(everyday)] == [True, False]
    (_, _, _), (_, back, _) = names_switch(everyday)
    assert back == medical


def row_names(response) -> list[str]:
    return re.findall(r'<th scope="row" id="[^"]+"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_one_click_on_everyday_words_names_symptoms_plainly(client):
    from gard.models import Phenotype, PhenotypeSynonym

    seizure = Phenotype.objects.get(hpo_id="HP:0002069")
    PhenotypeSynonym.objects.create(phenotype=seizure, name="Fits", layperson=True)
    medical = client.get(ALPERS)
    (_, plain, _), _ = names_switch(medical)
    everyday = client.get(plain.split("#")[0])
    assert len(row_names(everyday)) == len(row_names(medical)) == 43
    assert "Fits" in row_names(everyday) and seizure.name in row_names(medical)
    assert "Fits" not in row_names(medical) and seizure.name not in row_names(everyday)
    assert "Medical term Other names" in page_text(medical) and "Name Other names" in page_text(everyday)


def test_apply_filters_keeps_everyday_words_chosen_and_the_form_has_no_radio_buttons(client):
    html = client.get(ALPERS, {"names": "plain"}).content.decode()
    form = html[html.index('class="symptom-filters"') :].split("</form>")[0]
    assert '<input type="hidden" name="names" value="plain">' in form
    assert 'type="radio"' not in form
    medical_form = client.get(ALPERS).content.decode().split('class="symptom-filters"')[1].split("</form>")[0]
    assert 'name="names"' not in medical_form
