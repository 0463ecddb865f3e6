"""A long symptom table shows the first rows of each long frequency group, and links to the rest without script:
a phone lays out every row it is sent."""

import html as html_module
import re

import pytest

from gard.diseases.page import FOLD_GROUP_TO, FOLD_TABLE_OVER
from gard.models import Frequency
from tests.factories import make_annotation, make_disease, make_term
from tests.html import page_text, read_csv

PAGE = "/diseases/long-syndrome/"
CSV = "/diseases/long-syndrome/symptoms.csv"
GROUP_SIZES = {Frequency.FREQUENT: 50, Frequency.OCCASIONAL: 20, Frequency.VERY_RARE: 3}  # 73 rows


def make_long_disease(sizes: dict) -> None:
    disease = make_disease("Long syndrome", slug="long-syndrome")
    number = 0
    for frequency, size in sizes.items():
        for _ in range(size):
            number += 1
            term = make_term(f"HP:{9000000 + number:07d}", f"Sign {number:03d}", names=[(f"Mark {number:03d}", True)])
            make_annotation(disease, term, frequency, "")


@pytest.fixture
def long_table(db):
    make_long_disease(GROUP_SIZES)


def groups(response) -> list[tuple[str, list[str], str]]:
    """(heading, the rows' names, the group's "show all" link or "") for each group of the symptom table."""
    table = response.content.decode().split('<table class="symptoms">')[1].split("</table>")[0]
    found = []
    for body in re.findall(r"<tbody>(.*?)</tbody>", table, flags=re.S):
        heading = html_module.unescape(re.search(r'<th scope="rowgroup"[^>]*>(.*?)</th>', body).group(1))
        names = re.findall(r'<tr><th scope="row"[^>]*><a [^>]*>(.*?)</a>', body)
        more = re.search(r'<tr class="more"><td colspan="4" headers="g\d+"><a href="([^"]+)">', body)
        found.append((heading, names, html_module.unescape(more.group(1)) if more else ""))
    return found


def test_a_long_table_shows_the_first_rows_of_each_long_group_and_links_to_the_rest(client, long_table):
    response = client.get(PAGE)
    shown = groups(response)
    assert [(heading, len(names)) for heading, names, _ in shown] == [
        ("30%-79% of people have these symptoms", FOLD_GROUP_TO),
        ("5%-29% of people have these symptoms", FOLD_GROUP_TO),
        ("1%-4% of people have these symptoms", 3),
    ]
    assert shown[0][1] == [f"Sign {number:03d}" for number in range(1, FOLD_GROUP_TO + 1)]  # the first, in order
    assert shown[0][2] == f"{PAGE}?frequency=frequent#symptoms"
    assert shown[1][2] == f"{PAGE}?frequency=occasional#symptoms"
    assert shown[2][2] == ""  # a short group shows all its rows
    text = page_text(response)
    assert "Show all 50 symptoms in this group (40 more)" in text
    assert "Show all 20 symptoms in this group (10 more)" in text
    assert f"Showing 23 of 73 symptoms: the first {FOLD_GROUP_TO} of each long group." in text
    assert "Show all 73 symptoms in one table" in text


def test_a_groups_link_shows_every_row_of_that_group(client, long_table):
    link = groups(client.get(PAGE))[0][2]
    response = client.get(link)
    assert [(heading, len(names), more) for heading, names, more in groups(response)] == [
        ("30%-79% of people have these symptoms", 50, "")
    ]
    assert "Showing 50 of 73 symptoms." in page_text(response)


def test_every_row_is_one_link_away(client, long_table):
    html = client.get(PAGE).content.decode()
    link = html_module.unescape(re.search(r'<a href="([^"]+)">Show all 73 symptoms in one table</a>', html).group(1))
    assert link == f"{PAGE}?rows=all#symptoms"
    response = client.get(link)
    assert [len(names) for _, names, _ in groups(response)] == list(GROUP_SIZES.values())
    assert "Showing 73 of 73 symptoms." in page_text(response)
    assert "in one table" not in page_text(response)


def test_a_filtered_table_is_never_folded(client, long_table):
    response = client.get(PAGE, {"q": "sign"})
    assert [len(names) for _, names, _ in groups(response)] == list(GROUP_SIZES.values())
    assert "Showing 73 of 73 symptoms." in page_text(response)


def test_a_table_up_to_the_limit_shows_every_row(client, db):
    make_long_disease({Frequency.FREQUENT: FOLD_TABLE_OVER})
    response = client.get(PAGE)
    assert [(len(names), more) for _, names, more in groups(response)] == [(FOLD_TABLE_OVER, "")]
    assert f"Showing {FOLD_TABLE_OVER} of {FOLD_TABLE_OVER} symptoms." in page_text(response)


def test_the_links_keep_the_everyday_words_and_the_sort(client, long_table):
    response = client.get(PAGE, {"names": "plain", "sort": "-name"})
    shown = groups(response)
    assert shown[0][1][0] == "Mark 050"  # everyday words, Z to A
    assert shown[0][2] == f"{PAGE}?names=plain&sort=-name&frequency=frequent#symptoms"
    assert "?names=plain&amp;sort=-name&amp;rows=all#symptoms" in response.content.decode()
    switch = re.findall(r'<p class="name-switch">.*?</p>', response.content.decode(), flags=re.S)[0]
    assert "rows=all" not in switch
    assert "rows=all" in client.get(PAGE, {"rows": "all"}).content.decode().split('class="name-switch"')[1][:400]


def test_the_download_holds_every_row_of_a_folded_table(client, long_table):
    html = client.get(PAGE).content.decode()
    assert "Download all 73 symptoms as a spreadsheet (CSV)" in page_text(client.get(PAGE))
    assert f'href="{CSV}"' in html
    assert len(read_csv(client.get(CSV))) == 1 + 73


def test_an_unknown_rows_value_is_reported_and_the_table_folds(client, long_table):
    response = client.get(PAGE, {"rows": "everything"})
    assert response.status_code == 200
    assert "Some filter values could not be used" in page_text(response)
    assert [len(names) for _, names, _ in groups(response)] == [FOLD_GROUP_TO, FOLD_GROUP_TO, 3]
