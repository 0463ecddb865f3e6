"""Counts on the disease pages read as English: singular for one, thousands separated; names keep their capitals;
long body-system names may wrap after a slash."""

import pytest

from gard.models import Frequency
from gard.text import lower_first, upper_first
from tests.factories import add_diseases, make_annotation, make_disease, make_record, make_term
from tests.html import page_text

PAGE = "/diseases/mass-syndrome/"
METABOLISM = "HP:0001939"


@pytest.fixture
def one_symptom(db):
    """MASS syndrome with one symptom, in a body system whose name has a slash, citing one article; X-linked."""
    disease = make_disease(
        "MASS syndrome", inheritance=[make_term("HP:0001417", "X-linked inheritance")], slug="mass-syndrome"
    )
    record = make_record(disease, "OMIM:604308", "MASS syndrome")
    system = make_term(METABOLISM, "Abnormality of metabolism/homeostasis")
    term = make_term("HP:0001513", "Obesity", categories=[system])
    make_annotation(record, term, Frequency.FREQUENT, "HP:0040282", cites="PMID:11431686")
    return disease


def download_text(response) -> str:
    html = response.content.decode()
    link = html.split('<a class="download"')[1].split("</a>")[0]
    return link.split(">", 1)[1]


def test_one_symptom_is_downloaded_as_the_symptom_not_these_1_symptoms(client, one_symptom):
    assert download_text(client.get(PAGE)) == "Download the symptom as a spreadsheet (CSV)"
    assert download_text(client.get(PAGE, {"q": "obesity"})) == "Download this symptom as a spreadsheet (CSV)"
    assert "Showing 1 of 1 symptom." in page_text(client.get(PAGE))


def test_filters_that_match_nothing_offer_no_download(client, one_symptom):
    response = client.get(PAGE, {"q": "seizure"})
    assert "Showing 0 of 1 symptom." in page_text(response)
    assert 'class="download"' not in response.content.decode()
    assert "these 0" not in page_text(response)


def test_several_symptoms_are_downloaded_as_these_n_or_all_n(client, one_symptom):
    make_annotation(one_symptom, make_term("HP:0001250", "Seizure"), Frequency.FREQUENT, imported=False)
    assert download_text(client.get(PAGE)) == "Download all 2 symptoms as a spreadsheet (CSV)"
    assert download_text(client.get(PAGE, {"frequency": "frequent"})) == (
        "Download these 2 symptoms as a spreadsheet (CSV)"
    )


def test_one_cited_article_reads_this_article(client, one_symptom):
    text = page_text(client.get(PAGE))
    assert "The symptom data on this page cites this article in PubMed." in text
    assert "these 1 article" not in text


def test_one_symptom_spreads_over_body_systems_in_the_singular(client, one_symptom):
    text = page_text(client.get(PAGE))
    assert "How the 1 symptom spreads over body systems, and how often it occurs." in text
    assert "The full symptom table: 1 symptom, with its sources" in text


def test_body_system_names_may_wrap_after_a_slash(client, one_symptom):
    html = client.get(PAGE).content.decode()
    chart = html.split('<table class="chart"')[1].split("</table>")[0]
    assert "Metabolism/<wbr>homeostasis</a>" in chart


def test_names_keep_their_capitals_mid_sentence(client, one_symptom):
    text = page_text(client.get(PAGE))
    assert "Its inheritance is X-linked" in text
    assert "MASS syndrome" in text and "Mass syndrome" not in text


@pytest.mark.parametrize(
    ("name", "mid_sentence"),
    [
        ("Autosomal dominant inheritance", "autosomal dominant inheritance"),
        ("X-linked recessive inheritance", "X-linked recessive inheritance"),
        ("MASS syndrome", "MASS syndrome"),
        ("mRNA decay", "mRNA decay"),
        ("Eye", "eye"),
        ("", ""),
    ],
)
def test_lower_first_lowers_only_a_simply_capitalised_first_word(name, mid_sentence):
    assert lower_first(name) == mid_sentence


def test_upper_first_leaves_the_rest_of_a_name_as_it_is():
    assert upper_first("mASS syndrome") == "MASS syndrome"
    assert upper_first("metabolism/homeostasis") == "Metabolism/homeostasis"


def test_counts_over_a_thousand_have_thousands_separators(client, db):
    add_diseases([f"Acro disease {n:04}" for n in range(1050)])
    text = page_text(client.get("/diseases/letter/A/"))
    assert "1,050 diseases under A." in text
    assert "1050" not in text
