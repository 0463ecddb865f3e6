"""Frequencies from fewer than five people ("1/1", "0/3") on the disease page: their own group, in words that
claim no share, in the table, its filter and CSV, the chart and the main symptoms; never "always" or "never"."""

import html as html_module
import re

import pytest

from gard.frequency import FEW, SHOWN_ORDER, SMALL_SAMPLE_FRACTIONS, Frequency, parse_frequency, shown_group
from gard.models import Annotation
from tests.diseases.test_catalogue_pages import chart_rows
from tests.factories import make_annotation, make_disease, make_record, make_term
from tests.html import page_text, read_csv

PAGE = "/diseases/mass-syndrome/"
NERVOUS = "HP:0000707"
OBESITY, SEIZURE, DELAY, NYSTAGMUS, DCM, TALL = (
    "HP:0001513",
    "HP:0001250",
    "HP:0001263",
    "HP:0000639",
    "HP:0001644",
    "HP:0000098",
)
FEW_HEADING = "Reported in a few people (fewer than 5 studied)"


def table_groups(response) -> list[tuple[str, list[tuple[str, list[tuple[str, str]]]]]]:
    """(heading, [(HPO ID, [(statement, source)])]) for each frequency group of the symptom table."""
    table = response.content.decode().split('<table class="symptoms">')[1].split("</table>")[0]
    groups = []
    for body in re.findall(r"<tbody>(.*?)</tbody>", table, flags=re.S):
        heading = html_module.unescape(re.search(r'<th scope="rowgroup"[^>]*>(.*?)</th>', body).group(1))
        rows = [
            (
                re.search(r">(HP:\d{7})</a></td>", row).group(1),
                [
                    (html_module.unescape(text), source)
                    for text, source in re.findall(r'>([^<>]*) <span class="source-label">([^<]*)</span>', row)
                ],
            )
            for row in re.findall(r'<tr><th scope="row".*?</tr>', body, flags=re.S)
        ]
        groups.append((heading, rows))
    return groups


def table_ids(response) -> list[str]:
    return [hpo_id for _, rows in table_groups(response) for hpo_id, _ in rows]


def statements(response, hpo_id: str) -> list[tuple[str, str]]:
    return next(said for _, rows in table_groups(response) for row_id, said in rows if row_id == hpo_id)


@pytest.fixture
def small_samples(db):
    """Obesity 1/1 and seizure 0/3 (small samples only); delay always (an HPO term); nystagmus 1/1 from one
    record and 5%-29% from another; cardiomyopathy 0/12 and tall stature 4/5 (five people: a share)."""
    disease = make_disease("MASS syndrome")
    omim = make_record(disease, "OMIM:604308", "MASS syndrome")
    orpha = make_record(disease, "ORPHA:2550", "MASS syndrome")
    nervous = make_term(NERVOUS, "Abnormality of the nervous system")
    make_annotation(omim, make_term(OBESITY, "Obesity"), Frequency.OBLIGATE, "1/1")
    make_annotation(omim, make_term(SEIZURE, "Seizure", categories=[nervous]), Frequency.EXCLUDED, "0/3")
    make_annotation(
        omim, make_term(DELAY, "Global developmental delay", categories=[nervous]), Frequency.OBLIGATE, "HP:0040280"
    )
    nystagmus = make_term(NYSTAGMUS, "Nystagmus", categories=[nervous])
    make_annotation(omim, nystagmus, Frequency.OBLIGATE, "1/1")
    make_annotation(orpha, nystagmus, Frequency.OCCASIONAL, "HP:0040283")
    make_annotation(omim, make_term(DCM, "Dilated cardiomyopathy"), Frequency.EXCLUDED, "0/12")
    make_annotation(omim, make_term(TALL, "Tall stature"), Frequency.FREQUENT, "4/5")
    return disease


def test_small_sample_fractions_are_those_from_fewer_than_five_people():
    assert {"1/1", "0/1", "2/3", "4/4", "0/4"} <= SMALL_SAMPLE_FRACTIONS
    assert not {"4/5", "0/5", "5/5", "1/10", "HP:0040280", "100%", ""} & SMALL_SAMPLE_FRACTIONS
    for fraction in SMALL_SAMPLE_FRACTIONS:
        assert shown_group(parse_frequency(fraction), fraction) == FEW


def test_the_stored_group_of_a_small_sample_is_still_hpos_for_the_finder():
    assert parse_frequency("1/1") == Frequency.OBLIGATE
    assert parse_frequency("0/3") == Frequency.EXCLUDED


def test_small_samples_are_their_own_group_after_the_shares_and_before_none_and_unknown():
    assert SHOWN_ORDER[-3:] == [FEW, Frequency.EXCLUDED, Frequency.UNKNOWN]


def test_small_samples_get_their_own_table_group_not_always_or_never(client, small_samples):
    groups = table_groups(client.get(PAGE))
    assert [(label, [hpo_id for hpo_id, _ in rows]) for label, rows in groups] == [
        ("100% of people have these symptoms", [DELAY]),
        ("30%-79% of people have these symptoms", [TALL]),
        ("5%-29% of people have these symptoms", [NYSTAGMUS]),
        (FEW_HEADING, [OBESITY, SEIZURE]),
        ("0% of people have these symptoms", [DCM]),
    ]


def test_small_samples_read_as_how_many_of_how_many_people(client, small_samples):
    response = client.get(PAGE)
    assert statements(response, OBESITY) == [("Reported in 1 of 1 person", "OMIM:604308")]
    assert statements(response, SEIZURE) == [("Not seen in any of 3 people", "OMIM:604308")]
    assert "100%: 1 of 1" not in response.content.decode()


def test_a_share_from_another_source_outranks_a_small_sample_in_the_same_row(client, small_samples):
    assert statements(client.get(PAGE), NYSTAGMUS) == [
        ("5%-29%", "ORPHA:2550"),
        ("Reported in 1 of 1 person", "OMIM:604308"),
    ]


def test_five_people_or_more_keep_their_share_and_none_of_them_reads_as_absent_in_all(client, small_samples):
    response = client.get(PAGE)
    assert statements(response, TALL) == [("30%-79%: 4 of 5 people", "OMIM:604308")]
    assert statements(response, DCM) == [("0%: reported absent in all 12 people studied", "OMIM:604308")]


def test_frequency_filter_offers_the_small_samples_and_selects_only_them(client, small_samples):
    response = client.get(PAGE, {"frequency": FEW})
    assert table_ids(response) == [NYSTAGMUS, OBESITY, SEIZURE]
    assert [label for label, _ in table_groups(response)] == [FEW_HEADING]
    assert "Showing 3 of 6 symptoms" in page_text(response)
    html = response.content.decode()
    assert (
        '<input type="checkbox" name="frequency" value="few" id="id_frequency_3" checked> Fewer than 5 studied (3)'
        in html
    )


def test_always_and_never_filters_leave_out_small_samples_stored_in_those_groups(client, small_samples):
    assert table_ids(client.get(PAGE, {"frequency": Frequency.OBLIGATE})) == [DELAY]
    assert table_ids(client.get(PAGE, {"frequency": Frequency.EXCLUDED})) == [DCM]
    both = client.get(PAGE, {"frequency": [Frequency.OBLIGATE, FEW]})
    assert table_ids(both) == [DELAY, NYSTAGMUS, OBESITY, SEIZURE]


def test_the_filter_covers_every_row_once(client, small_samples):
    shown = []
    offered = [Frequency.OBLIGATE, Frequency.FREQUENT, Frequency.OCCASIONAL, FEW, Frequency.EXCLUDED]
    assert [value for value in SHOWN_ORDER if value in offered] == offered  # the page's order
    for value in offered:
        shown += table_ids(client.get(PAGE, {"frequency": value}))
    assert sorted(shown) == sorted([DELAY, TALL, NYSTAGMUS, NYSTAGMUS, OBESITY, SEIZURE, DCM])
    assert len(shown) == Annotation.objects.count()


def test_csv_names_the_small_sample_group_and_the_words(client, small_samples):
    rows = read_csv(client.get(PAGE + "symptoms.csv"))
    by_id = {row[1]: row for row in rows[1:]}
    assert by_id[OBESITY][2:4] == ["Fewer than 5 studied", "Reported in 1 of 1 person"]
    assert by_id[SEIZURE][2:4] == ["Fewer than 5 studied", "Not seen in any of 3 people"]
    assert by_id[DELAY][2] == "100%"
    filtered = read_csv(client.get(PAGE + "symptoms.csv", {"frequency": FEW}))
    assert [row[1] for row in filtered[1:]] == [NYSTAGMUS, OBESITY, SEIZURE]


def test_chart_counts_small_samples_apart_not_as_always_or_never(client, small_samples):
    rows = chart_rows(client.get(PAGE))
    assert rows == [
        (
            "?system=HP%3A0000707#symptoms",
            "Nervous system",
            3,
            "1 always (100%), 1 sometimes (5%-29%), 1 in a few people (fewer than 5 studied)",
        )
    ]
    html = client.get(PAGE).content.decode()
    assert '<span class="key f-few"></span>' in html


def test_main_symptoms_say_a_small_sample_is_from_a_few_people(client, small_samples):
    html = client.get(PAGE).content.decode()
    main = html.split('<ul class="main-symptoms">')[1].split("</ul>")[0]
    assert '<a href="/symptoms/HP:0001513/">Obesity</a>: in a few people (fewer than 5 studied)</li>' in main
    assert '<a href="/symptoms/HP:0001250/">Seizure</a>: in a few people (fewer than 5 studied)</li>' in main
    assert main.count("always") == 1  # the delay's, stated by an HPO term
