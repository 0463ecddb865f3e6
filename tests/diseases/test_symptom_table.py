"""Filtering, sorting and downloading a disease's symptom table through GET parameters."""

import re

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
