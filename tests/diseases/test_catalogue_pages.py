"""The catalogue on the public pages: a disease's HPO data (at a glance, the symptom table, its
filters and download), the A to Z list, and how many queries each public page makes.

The data is built with the ORM in the shape the HPO import writes: every row is stated by a
record (OMIM:203800, ORPHA:64) of the HPO source, and a record can carry genes.
"""

import html as html_module
import re
from typing import NamedTuple

import pytest

from gard.models import (
    Annotation,
    Aspect,
    Disease,
    Frequency,
    Gene,
    Identifier,
    Phenotype,
    PhenotypeSynonym,
    Section,
)
from gard.text import fold
from tests.factories import add_diseases, hpo_source, make_annotation, make_disease, make_gene, make_record, make_term
from tests.html import element_text, page_text, read_csv

ALSTROM = "/diseases/alstrom-syndrome/"
CSV = "/diseases/alstrom-syndrome/symptoms.csv"
NERVOUS, EYE, HEART = "HP:0000707", "HP:0000478", "HP:0001626"
GDD, SEIZURE, NYSTAGMUS, DCM, OBESITY = "HP:0001263", "HP:0001250", "HP:0000639", "HP:0001644", "HP:0001513"


# -- building the data ---------------------------------------------------------------------


@pytest.fixture
def alstrom(db):
    """Alström syndrome as two records state it.

    Symptoms (5 terms, 6 rows): Global developmental delay (ORPHA 80%-99%, OMIM 5/8), Seizure
    (ORPHA 5%-29%), Nystagmus (OMIM 80%-99%), Dilated cardiomyopathy (OMIM 45%), Obesity (OMIM
    30%-79%). Nervous system: delay, seizure, nystagmus; eye: nystagmus; heart: cardiomyopathy;
    obesity has no organ system. Inheritance and onset rows, a NOT row, and PubMed citations.
    """
    disease = make_disease("Alström syndrome")
    alms1 = make_gene("ALMS1", 7840)
    omim = make_record(disease, "OMIM:203800", "Alstrom syndrome", genes=[alms1])
    orpha = make_record(disease, "ORPHA:64", "Alström syndrome", genes=[alms1])

    nervous = make_term(NERVOUS, "Abnormality of the nervous system")
    eye = make_term(EYE, "Abnormality of the eye")
    heart = make_term(HEART, "Abnormality of the cardiovascular system")
    delay = make_term(
        GDD,
        "Global developmental delay",
        categories=[nervous],
        names=[("Developmental delay", False), ("Delayed development", True)],
    )
    seizure = make_term(SEIZURE, "Seizure", categories=[nervous])
    nystagmus = make_term(
        NYSTAGMUS, "Nystagmus", categories=[eye, nervous], names=[("Involuntary, rapid, rhythmic eye movements", True)]
    )
    cardiomyopathy = make_term(
        DCM, "Dilated cardiomyopathy", categories=[heart], names=[("Stretched and weak heart muscle", True)]
    )
    obesity = make_term(OBESITY, "Obesity", names=[("Having too much body fat", False)])
    recessive = make_term("HP:0000007", "Autosomal recessive inheritance")
    infantile = make_term("HP:0003593", "Infantile onset")
    intellectual = make_term("HP:0001249", "Intellectual disability", categories=[nervous])

    make_annotation(orpha, delay, Frequency.VERY_FREQUENT, "HP:0040281")
    make_annotation(omim, delay, Frequency.FREQUENT, "5/8")
    make_annotation(orpha, seizure, Frequency.OCCASIONAL, "HP:0040283", cites="PMID:11431686;ORPHA:64")
    make_annotation(omim, nystagmus, Frequency.VERY_FREQUENT, "HP:0040281")
    make_annotation(omim, cardiomyopathy, Frequency.FREQUENT, "45%", cites="PMID:11431686; PMID:20301444")
    make_annotation(omim, obesity, Frequency.FREQUENT, "HP:0040282")
    make_annotation(omim, recessive, aspect=Aspect.INHERITANCE, cites="OMIM:203800")
    make_annotation(orpha, recessive, aspect=Aspect.INHERITANCE, cites="PMID:20301444")
    make_annotation(orpha, infantile, aspect=Aspect.CLINICAL_COURSE)
    make_annotation(orpha, intellectual, negated=True, cites="PMID:99999999")
    return disease


# -- reading the page ----------------------------------------------------------------------


class Row(NamedTuple):
    hpo_id: str
    name: str
    other_names: list[str]
    statements: list[tuple[str, str]]  # (what the source says, source label)


def _text(fragment: str) -> str:
    """The text of an HTML fragment, whitespace collapsed and none before a comma."""
    text = re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()
    return text.replace(" ,", ",")


def table_groups(response) -> list[tuple[str, list[Row]]]:
    """The symptom table: each frequency heading with its rows, as the page shows them."""
    html = response.content.decode()
    if '<table class="symptoms">' not in html:
        return []
    table = html.split('<table class="symptoms">')[1].split("</table>")[0]
    groups = []
    for body in re.findall(r"<tbody>(.*?)</tbody>", table, flags=re.S):
        label = re.search(r'<th scope="rowgroup" colspan="4"[^>]*>(.*?)</th>', body).group(1)
        rows = []
        for cells in re.findall(r'<tr><th scope="row"[^>]*>(.*?)</tr>', body, flags=re.S):
            name = re.search(r"<a [^>]*>(.*?)</a></th>", cells).group(1)
            names_cell = re.search(r"</th><td[^>]*>(.*?)</td>", cells, flags=re.S).group(1)
            statements = re.findall(r'>([^<>]*) <span class="source-label">([^<]*)</span>', cells)
            hpo_id = re.search(r">(HP:\d{7})</a></td>$", cells).group(1)
            rows.append(
                Row(
                    hpo_id,
                    html_module.unescape(name),
                    [html_module.unescape(n) for n in re.findall(r"<li>([^<]*)</li>", names_cell)],
                    [(html_module.unescape(text), source) for text, source in statements],
                )
            )
        groups.append((label, rows))
    return groups


def table_ids(response) -> list[str]:
    return [row.hpo_id for _, rows in table_groups(response) for row in rows]


def table_row(response, hpo_id: str) -> Row:
    return next(row for _, rows in table_groups(response) for row in rows if row.hpo_id == hpo_id)


def glance_facts(response) -> dict[str, str]:
    """The "At a glance" list: each heading with the text under it."""
    html = response.content.decode()
    glance = html[html.index('id="at-a-glance"') :].split("</dl>")[0]
    return {_text(dt): _text(dd) for dt, dd in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", glance, flags=re.S)}


def glance_html(response) -> str:
    html = response.content.decode()
    return html[html.index('id="at-a-glance"') : html.index("</section>", html.index('id="at-a-glance"'))]


def not_seen(response) -> list[str]:
    html = response.content.decode()
    if 'class="not-seen"' not in html:
        return []
    items = html.split('<ul class="not-seen">')[1].split("</ul>")[0]
    return [_text(item) for item in re.findall(r"<li>(.*?)</li>", items, flags=re.S)]


def select_options(response, name: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of a select box of the filter form."""
    html = response.content.decode()
    select = html.split(f'<select name="{name}"')[1].split("</select>")[0]
    return [
        (value, html_module.unescape(label), bool(selected))
        for value, selected, label in re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
    ]


def chart_rows(response) -> list[tuple[str, str, int, str]]:
    """(link, body system, symptoms, breakdown in words) for each bar of the chart."""
    html = response.content.decode()
    chart = html.split('<table class="chart"')[1].split("</table>")[0]
    found = re.findall(
        r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th>\s*<td class="count">(\d+)</td>(.*?)</tr>',
        chart,
        flags=re.S,
    )
    return [
        (
            html_module.unescape(link),
            name,
            int(total),
            _text(re.search(r'<span class="breakdown">(.*)</span>', cell, re.S).group(1)),
        )
        for link, name, total, cell in found
    ]


def download_link(response) -> str:
    return html_module.unescape(re.search(r'<a class="download" href="([^"]+)"', response.content.decode()).group(1))


# -- at a glance: inheritance, onset, records, genes -------------------------------------------


def test_inheritance_and_onset_rows_are_facts_at_a_glance_not_table_rows(client, alstrom):
    response = client.get(ALSTROM)
    facts = glance_facts(response)
    assert facts["Inheritance"] == "Autosomal recessive inheritance"  # stated by both records, listed once
    assert facts["Onset and clinical course"] == "Infantile onset"
    assert 'href="/symptoms/HP:0000007/">Autosomal recessive inheritance</a>' in glance_html(response)
    assert "HP:0000007" not in table_ids(response) and "HP:0003593" not in table_ids(response)
    table = response.content.decode().split('<table class="symptoms">')[1].split("</table>")[0]
    assert "Autosomal recessive inheritance" not in table and "Infantile onset" not in table


def test_not_rows_are_listed_as_not_seen_and_never_as_table_rows(client, alstrom):
    response = client.get(ALSTROM)
    assert "Not seen in this disease" in page_text(response)
    assert not_seen(response) == ["Intellectual disability ORPHA:64"]
    assert '<a href="/symptoms/HP:0001249/">Intellectual disability</a>' in response.content.decode()
    assert "HP:0001249" not in table_ids(response)
    # Nor does it count as a symptom of the nervous system.
    assert ("HP:0000707", "Nervous system (3)", False) in select_options(response, "system")


def test_a_term_stated_only_as_not_seen_stays_out_of_the_table_even_when_filtered_for(client, alstrom):
    response = client.get(ALSTROM, {"q": "intellectual"})
    assert table_ids(response) == []
    assert "Showing 0 of 5 symptoms" in page_text(response)
    assert not_seen(response) == ["Intellectual disability ORPHA:64"]


def test_records_link_to_omim_and_orphanet(client, alstrom):
    response = client.get(ALSTROM)
    glance = glance_html(response)
    assert '<a href="https://omim.org/entry/203800">OMIM:203800</a>' in glance
    assert '<a href="https://www.orpha.net/en/disease/detail/64">ORPHA:64</a>' in glance
    # A record whose own name differs from the disease's says so.
    assert glance_facts(response)["Records"] == "OMIM:203800 (Alstrom syndrome), ORPHA:64"


def test_genes_of_the_records_are_shown_once_and_linked_to_ncbi(client, alstrom):
    response = client.get(ALSTROM)
    assert glance_facts(response)["Gene"] == "ALMS1"
    assert glance_html(response).count('<a href="https://www.ncbi.nlm.nih.gov/gene/7840">ALMS1</a>') == 1


def test_genes_heading_is_plural_for_several_genes(client, alstrom):
    Identifier.objects.get(prefix="ORPHA").genes.add(Gene.objects.create(symbol="TEST1", ncbi_id=99))
    assert glance_facts(client.get(ALSTROM))["Genes"] == "ALMS1, TEST1"


def test_pubmed_articles_the_rows_cite_are_listed_once_each_and_linked(client, alstrom):
    response = client.get(ALSTROM)
    articles = element_text(response, "articles")
    assert "cites these 3 articles in PubMed" in articles
    html = response.content.decode()
    listed = re.findall(r'<a href="https://pubmed.ncbi.nlm.nih.gov/(\d+)/">PMID:(\d+)</a>', html)
    assert listed == [("11431686", "11431686"), ("20301444", "20301444"), ("99999999", "99999999")]
    assert 'href="#articles"' in html  # the table of contents leads there
    assert "OMIM:203800" not in articles and "ORPHA:64" not in articles  # only PubMed references


# -- the symptom table: one row per term -------------------------------------------------------


def test_a_term_two_records_state_is_one_row_with_both_statements_under_the_most_frequent_group(client, alstrom):
    groups = table_groups(client.get(ALSTROM))
    assert [label for label, _ in groups] == [
        "80%-99% of people have these symptoms",
        "30%-79% of people have these symptoms",
        "5%-29% of people have these symptoms",
    ]
    assert [row.hpo_id for row in groups[0][1]] == [GDD, NYSTAGMUS]
    assert [row.hpo_id for row in groups[1][1]] == [DCM, OBESITY]
    assert table_ids(client.get(ALSTROM)).count(GDD) == 1
    assert groups[0][1][0].statements == [("80%-99%", "ORPHA:64"), ("30%-79%: 5 of 8 people", "OMIM:203800")]


def test_the_stated_frequency_is_shown_beside_its_group_when_it_says_more(client, alstrom):
    response = client.get(ALSTROM)
    assert table_row(response, DCM).statements == [("30%-79%: 45%", "OMIM:203800")]
    assert table_row(response, OBESITY).statements == [("30%-79%", "OMIM:203800")]  # an HPO frequency term
    assert table_row(response, SEIZURE).statements == [("5%-29%", "ORPHA:64")]


def test_showing_n_of_m_counts_terms_not_rows(client, alstrom):
    response = client.get(ALSTROM)
    assert "Showing 5 of 5 symptoms" in page_text(response)  # 6 rows state 5 terms
    assert glance_facts(response)["Symptoms listed"] == "5"
    # Filtered to two groups: five rows, of which two state the delay, are four terms.
    both = client.get(f"{ALSTROM}?frequency=very_frequent&frequency=frequent")
    assert "Showing 4 of 5 symptoms" in page_text(both)
    assert table_ids(both) == [GDD, NYSTAGMUS, DCM, OBESITY]
    # Filtered to one group, the delay's row keeps only its statement in that group.
    filtered = client.get(ALSTROM, {"frequency": "frequent"})
    assert "Showing 3 of 5 symptoms" in page_text(filtered)
    assert table_row(filtered, GDD).statements == [("30%-79%: 5 of 8 people", "OMIM:203800")]
    assert ("frequent", "30%-79% (3)") in re.findall(
        r'<input type="checkbox" name="frequency" value="(\w+)"[^>]*> ([^<]+)</label>', filtered.content.decode()
    )


# -- the body-system filter and the chart ------------------------------------------------------


def test_system_filter_keeps_only_terms_in_that_body_system(client, alstrom):
    response = client.get(ALSTROM, {"system": NERVOUS})
    assert table_ids(response) == [GDD, NYSTAGMUS, SEIZURE]
    assert "Showing 3 of 5 symptoms" in page_text(response)
    assert table_ids(client.get(ALSTROM, {"system": EYE})) == [NYSTAGMUS]
    assert table_ids(client.get(ALSTROM, {"system": HEART})) == [DCM]


def test_system_filter_keeps_every_statement_of_a_term_once(client, alstrom):
    row = table_row(client.get(ALSTROM, {"system": NERVOUS}), GDD)
    assert row.statements == [("80%-99%", "ORPHA:64"), ("30%-79%: 5 of 8 people", "OMIM:203800")]


def test_system_filter_combines_with_the_other_filters(client, alstrom):
    assert table_ids(client.get(ALSTROM, {"system": NERVOUS, "frequency": "occasional"})) == [SEIZURE]
    assert table_ids(client.get(ALSTROM, {"system": NERVOUS, "q": "nystag"})) == [NYSTAGMUS]
    assert table_ids(client.get(ALSTROM, {"system": HEART, "q": "seizure"})) == []


def test_system_options_are_the_diseases_body_systems_with_their_symptom_counts(client, alstrom):
    options = select_options(client.get(ALSTROM, {"system": NERVOUS}), "system")
    assert options == [
        ("", "All body systems", False),
        (HEART, "Cardiovascular system (1)", False),
        (EYE, "Eye (1)", False),
        (NERVOUS, "Nervous system (3)", True),
    ]


@pytest.mark.parametrize("value", ["HP:9999999", "HP:0001249", "nervous", "<script>x</script>"])
def test_unknown_system_is_ignored_with_a_message(client, alstrom, value):
    response = client.get(ALSTROM, {"system": value})
    assert response.status_code == 200
    text = page_text(response)
    assert "Some filter values could not be used and were ignored" in text
    assert "Body system: Select a valid choice." in text
    assert "Showing 5 of 5 symptoms" in text
    assert '<select name="system" id="id_system" aria-invalid="true">' in response.content.decode()
    assert "<script>x</script>" not in response.content.decode()


def test_chart_shows_each_body_system_with_its_count_and_a_breakdown_in_words(client, alstrom):
    response = client.get(ALSTROM)
    assert chart_rows(response) == [
        ("?system=HP%3A0000707#symptoms", "Nervous system", 3, "2 very often (80%-99%), 1 sometimes (5%-29%)"),
        ("?system=HP%3A0001626#symptoms", "Cardiovascular system", 1, "1 often (30%-79%)"),
        ("?system=HP%3A0000478#symptoms", "Eye", 1, "1 very often (80%-99%)"),
    ]
    assert "How the 5 symptoms spread over body systems" in page_text(response)


def test_chart_links_filter_the_table_by_their_body_system(client, alstrom):
    link = chart_rows(client.get(ALSTROM))[0][0]
    assert table_ids(client.get(ALSTROM + link.split("#")[0])) == [GDD, NYSTAGMUS, SEIZURE]


def test_chart_bars_are_hidden_from_screen_readers_and_the_table_carries_the_text(client, alstrom):
    html = client.get(ALSTROM).content.decode()
    chart = html.split('<table class="chart"')[1].split("</table>")[0]
    bars = re.findall(r"<svg[^>]*>", chart)
    assert len(bars) == 3
    assert all('aria-hidden="true"' in bar and 'focusable="false"' in bar for bar in bars)
    assert 'aria-labelledby="chart-heading"' in html.split('<table class="chart"')[1].split(">")[0]
    for svg in re.findall(r"<svg.*?</svg>", chart, flags=re.S):
        assert _text(svg) == ""  # nothing in a bar that the breakdown does not say


def test_a_disease_without_body_systems_has_no_chart(client, alstrom):
    Phenotype.categories.through.objects.all().delete()
    response = client.get(ALSTROM)
    assert '<table class="chart"' not in response.content.decode()
    assert select_options(response, "system") == [("", "All body systems", False)]


# -- plain language --------------------------------------------------------------------------


def test_medical_terms_are_shown_first_by_default(client, alstrom):
    for response in (client.get(ALSTROM), client.get(ALSTROM, {"names": "medical"})):
        row = table_row(response, GDD)
        assert row.name == "Global developmental delay"
        assert row.other_names == ["Developmental delay", "Delayed development"]
        html = response.content.decode()
        assert re.search(r'#symptoms" aria-current="true">Medical terms</a>', html)
        assert not re.search(r'aria-current="true">Everyday words', html)
        assert '<th scope="col" id="c-name">Medical term</th>' in html


def test_plain_language_shows_the_layperson_name_first_and_the_medical_term_among_other_names(client, alstrom):
    response = client.get(ALSTROM, {"names": "plain"})
    row = table_row(response, GDD)
    assert row.name == "Delayed development"
    assert row.other_names == ["Global developmental delay", "Developmental delay"]
    # A term without a plain-language name keeps its medical term.
    assert table_row(response, OBESITY).name == "Obesity"
    assert table_row(response, SEIZURE).name == "Seizure"
    # The link still leads to the term's page.
    assert f'<a href="/symptoms/{GDD}/">Delayed development</a>' in response.content.decode()


def test_plain_language_choice_is_in_the_url_and_its_link_is_marked_current(client, alstrom):
    response = client.get(ALSTROM, {"names": "plain", "system": NERVOUS})
    html = response.content.decode()
    assert re.search(r'names=plain#symptoms" aria-current="true">Everyday words</a>', html)
    assert not re.search(r'aria-current="true">Medical terms', html)
    assert '<form class="symptom-filters" method="get"' in html  # the choice is a GET parameter
    assert '<input type="hidden" name="names" value="plain">' in html  # which the filters keep
    assert '<th scope="col" id="c-name">Name</th>' in html
    assert "names=plain" in download_link(response)


def test_unknown_names_choice_falls_back_to_medical_terms_with_a_message(client, alstrom):
    response = client.get(ALSTROM, {"names": "klingon"})
    assert response.status_code == 200
    assert table_row(response, GDD).name == "Global developmental delay"
    assert "Show names: Select a valid choice." in page_text(response)


def test_sorting_by_name_follows_the_displayed_name(client, alstrom):
    def frequent(params):
        groups = dict(table_groups(client.get(ALSTROM, params)))
        return [row.name for row in groups["30%-79% of people have these symptoms"]]

    assert frequent({}) == ["Dilated cardiomyopathy", "Obesity"]
    assert frequent({"names": "plain"}) == ["Obesity", "Stretched and weak heart muscle"]
    assert frequent({"names": "plain", "sort": "-name"}) == ["Stretched and weak heart muscle", "Obesity"]
    assert frequent({"names": "medical", "sort": "-name"}) == ["Obesity", "Dilated cardiomyopathy"]


# -- the CSV download ----------------------------------------------------------------------


def test_csv_download_link_carries_the_body_system_filter(client, alstrom):
    response = client.get(ALSTROM, {"system": NERVOUS, "frequency": "very_frequent"})
    link = download_link(response)
    assert link == "/diseases/alstrom-syndrome/symptoms.csv?system=HP%3A0000707&frequency=very_frequent"
    rows = read_csv(client.get(link))
    assert [row[1] for row in rows[1:]] == [GDD, NYSTAGMUS]


def test_csv_takes_the_body_system_filter_like_the_page(client, alstrom):
    rows = read_csv(client.get(CSV, {"system": NERVOUS}))
    assert [row[1] for row in rows[1:]] == table_ids(client.get(ALSTROM, {"system": NERVOUS}))
    assert rows[1] == [
        "Global developmental delay",
        GDD,
        "80%-99%",
        "80%-99%; 30%-79%: 5 of 8 people",
        "Developmental delay; Delayed development",
        "ORPHA:64; OMIM:203800",
    ]


def test_csv_ignores_an_unknown_body_system_like_the_page(client, alstrom):
    rows = read_csv(client.get(CSV, {"system": "HP:9999999"}))
    assert len(rows) == 1 + 5


def test_csv_in_plain_language_keeps_the_medical_term_and_every_other_name(client, alstrom):
    rows = read_csv(client.get(CSV, {"names": "plain", "system": NERVOUS}))
    delay = next(row for row in rows if row[1] == GDD)
    assert delay[0] == "Global developmental delay"
    # The plain-language name is the one a family looks for: it must not be lost from the file.
    assert delay[4] == "Delayed development; Developmental delay"


def test_csv_leaves_out_not_rows_and_facts(client, alstrom):
    ids = [row[1] for row in read_csv(client.get(CSV))[1:]]
    assert sorted(ids) == sorted([GDD, SEIZURE, NYSTAGMUS, DCM, OBESITY])


# -- the A to Z list -------------------------------------------------------------------------


def letter_names(response) -> list[str]:
    html = response.content.decode()
    if 'class="disease-list columns"' not in html:
        return []
    listed = html.split('<ul class="disease-list columns">')[1].split("</ul>")[0]
    return [html_module.unescape(name) for name in re.findall(r"<li><a [^>]*>([^<]*)</a></li>", listed)]


@pytest.fixture
def a_to_z(db):
    add_diseases([f"Acro disease {n:03}" for n in range(105)])
    add_diseases(["Ångström-like syndrome", "Bardet-Biedl syndrome", "Cystic fibrosis", "alpha-Mannosidosis"])
    add_diseases(["3-M syndrome", "22q11.2 deletion syndrome", "17-beta-hydroxysteroid dehydrogenase deficiency"])
    add_diseases(["日本の病気"])  # no letter A to Z at all


def test_letter_page_lists_only_diseases_starting_with_it_a_hundred_a_page(client, a_to_z):
    first = client.get("/diseases/letter/A/")
    names = letter_names(first)
    assert len(names) == 100
    assert names[:3] == ["Acro disease 000", "Acro disease 001", "Acro disease 002"]
    assert all(fold(name).startswith("a") for name in names)
    assert "107 diseases under A" in page_text(first)
    assert "Page 1 of 2" in page_text(first)
    assert 'href="?page=2" rel="next"' in first.content.decode()
    second = letter_names(client.get("/diseases/letter/A/", {"page": 2}))
    assert second == [
        "Acro disease 100",
        "Acro disease 101",
        "Acro disease 102",
        "Acro disease 103",
        "Acro disease 104",
        "alpha-Mannosidosis",
        "Ångström-like syndrome",
    ]
    assert letter_names(client.get("/diseases/letter/B/")) == ["Bardet-Biedl syndrome"]


def test_letter_page_files_accented_and_lower_case_names_under_their_letter(client, a_to_z):
    names = letter_names(client.get("/diseases/letter/A/", {"page": 2}))
    assert "Ångström-like syndrome" in names and "alpha-Mannosidosis" in names
    for letter in ("0-9", "M"):
        listed = letter_names(client.get(f"/diseases/letter/{letter}/"))
        assert "Ångström-like syndrome" not in listed and "alpha-Mannosidosis" not in listed


def test_digits_page_lists_names_starting_with_a_digit_or_another_character(client, a_to_z):
    names = letter_names(client.get("/diseases/letter/0-9/"))
    assert sorted(names) == sorted(
        ["3-M syndrome", "22q11.2 deletion syndrome", "17-beta-hydroxysteroid dehydrogenase deficiency", "日本の病気"]
    )
    assert "Diseases A to Z: 0-9" in page_text(client.get("/diseases/letter/0-9/"))


@pytest.mark.parametrize("letter", ["zz", "AA", "%25", "ä", "1", "0", "9", "09", "#", "0-9-"])
def test_unknown_letter_is_not_found(client, a_to_z, letter):
    response = client.get(f"/diseases/letter/{letter}/")
    assert response.status_code == 404


def pagination(response) -> str:
    html = response.content.decode()
    return html.split('<nav class="pagination" aria-label="Pages of this letter">')[1].split("</nav>")[0]


def test_letter_pages_are_numbered_with_the_current_one_marked(client, db):
    add_diseases([f"Acro disease {n:04}" for n in range(1050)])  # 11 pages
    nav = pagination(client.get("/diseases/letter/A/", {"page": 6}))
    numbers = re.findall(r'<a href="\?page=(\d+)"[^>]*>(?:<span[^>]*>Page </span>)?\d+</a>', nav)
    assert numbers == ["1", "4", "5", "6", "7", "8", "11"]
    assert nav.count('aria-current="page"') == 1
    assert '<a href="?page=6" aria-current="page">' in nav
    assert '<a href="?page=5" rel="prev">Previous page</a>' in nav
    assert '<a href="?page=7" rel="next">Next page</a>' in nav
    assert nav.count("…") == 2
    first = pagination(client.get("/diseases/letter/A/"))
    assert "Previous page" not in first and '<a href="?page=1" aria-current="page">' in first
    assert re.findall(r'<a href="\?page=(\d+)">', first) == ["2", "3", "11"]
    last = pagination(client.get("/diseases/letter/A/", {"page": 11}))
    assert "Next page" not in last and '<a href="?page=11" aria-current="page">' in last


def test_a_letter_of_one_page_has_no_page_numbers(client, a_to_z):
    assert 'class="pagination"' not in client.get("/diseases/letter/B/").content.decode()


def test_lower_case_letter_shows_that_letter(client, a_to_z):
    response = client.get("/diseases/letter/b/")
    assert "Diseases A to Z: B" in page_text(response)
    assert letter_names(response) == ["Bardet-Biedl syndrome"]
    assert '<a href="/diseases/letter/B/" aria-current="page">B</a>' in response.content.decode()


@pytest.mark.parametrize(
    ("page", "first"), [("abc", "Acro disease 000"), ("99", "Acro disease 100"), ("0", "Acro disease 100")]
)
def test_letter_page_numbers_out_of_range_give_a_normal_page(client, a_to_z, page, first):
    response = client.get("/diseases/letter/A/", {"page": page})
    assert response.status_code == 200
    assert letter_names(response)[0] == first


# -- query counts ----------------------------------------------------------------------------


def catalogue_disease(slug: str, terms: int, base: int) -> Disease:
    """A disease as a large import leaves it: three records with genes, ``terms`` symptoms each stated by
    two records, every term with other names and organ systems, NOT rows and inheritance and onset facts.
    Rows are written at once; the disease page does not read the search index."""
    source = hpo_source()
    disease = make_disease(slug.replace("-", " ").capitalize(), slug=slug, sections={"summary": "A summary."})
    records = [
        make_record(
            disease,
            f"{prefix}:{base + n}",
            genes=[make_gene(f"G{base}{n}{k}", base * 10 + n * 3 + k) for k in range(2)],
        )
        for n, prefix in enumerate(["OMIM", "ORPHA", "DECIPHER"])
    ]
    systems = Phenotype.objects.bulk_create(
        Phenotype(
            hpo_id=f"HP:{base + n:07}", name=f"Abnormality of system {n}", search_name=f"abnormality of system {n}"
        )
        for n in range(3)
    )
    phenotypes = Phenotype.objects.bulk_create(
        Phenotype(hpo_id=f"HP:{base + 100 + n:07}", name=f"Symptom {base} {n}", search_name=fold(f"Symptom {base} {n}"))
        for n in range(terms + 4)  # the last four: two NOT rows, an inheritance and an onset
    )
    PhenotypeSynonym.objects.bulk_create(
        PhenotypeSynonym(phenotype=p, name=f"Name {k} of {p.name}", search_name=f"name {k}", layperson=k == 2)
        for p in phenotypes
        for k in range(4)
    )
    Phenotype.categories.through.objects.bulk_create(
        Phenotype.categories.through(from_phenotype=p, to_phenotype=systems[k])
        for n, p in enumerate(phenotypes)
        for k in range(3)
        if k <= n % 3
    )
    symptoms, (not_a, not_b, inheritance, onset) = phenotypes[:terms], phenotypes[terms:]
    rows = [
        Annotation(
            disease=disease,
            record=record,
            source=source,
            phenotype=phenotype,
            frequency=Frequency.values[(n + r) % len(Frequency.values)],
            frequency_raw=f"{n % 5}/5",
            citations=f"PMID:{base + n};{record.curie}",
            import_ref=f"{record.curie}|{phenotype.hpo_id}",
        )
        for n, phenotype in enumerate(symptoms)
        for r, record in enumerate(records[:2])
    ]
    rows += [
        Annotation(
            disease=disease, record=records[2], source=source, phenotype=p, negated=True, import_ref=f"{base}-not-{n}"
        )
        for n, p in enumerate([not_a, not_b])
    ]
    rows += [
        Annotation(
            disease=disease, record=record, source=source, phenotype=p, aspect=aspect, import_ref=f"{base}-{aspect}"
        )
        for record, p, aspect in [
            (records[0], inheritance, Aspect.INHERITANCE),
            (records[1], onset, Aspect.CLINICAL_COURSE),
        ]
    ]
    Annotation.objects.bulk_create(rows)
    return disease


@pytest.fixture
def small_and_large(db):
    return catalogue_disease("small-disease", 3, 1_000_000), catalogue_disease("large-disease", 200, 2_000_000)


# The disease page: the content generation the page cache is keyed by (gard/cache.py); the disease; its
# records; their genes; its other names; its sections (+source); its resources (+source); its references; the
# overview of every row (+term, organ systems, record, source); the table rows (+term, record, source); the
# other names of the terms in the table.
DISEASE_PAGE_QUERIES = 11


@pytest.mark.parametrize(
    "params",
    [{}, {"system": "first"}, {"names": "plain", "sort": "-name"}, {"q": "symptom", "frequency": "frequent"}],
)
def test_disease_page_query_count_is_locked_and_does_not_grow_with_its_catalogue_data(
    client, small_and_large, django_assert_num_queries, params
):
    for disease, base in zip(small_and_large, (1_000_000, 2_000_000), strict=True):
        if "system" in params:
            params = {**params, "system": f"HP:{base:07}"}  # the disease's first body system
        with django_assert_num_queries(DISEASE_PAGE_QUERIES):
            response = client.get(disease.get_absolute_url(), params)
        text = page_text(response)
        assert "Not seen in this disease" in text and "Filter the symptom table" in text
        assert "Some filter values could not be used" not in text


def test_large_disease_page_shows_every_term_once(client, small_and_large):
    response = client.get("/diseases/large-disease/")
    shown = table_ids(response)  # the long groups folded (tests/diseases/test_long_tables.py)
    assert len(shown) == len(set(shown)) < 200
    whole = table_ids(client.get("/diseases/large-disease/", {"rows": "all"}))
    assert len(whole) == len(set(whole)) == 200 and set(shown) < set(whole)
    assert len(not_seen(response)) == 2
    facts = glance_facts(response)
    assert facts["Genes"].count("G2000000") == 6 and facts["Symptoms listed"] == "200"


def test_symptom_csv_query_count_is_locked_with_filters(client, small_and_large, django_assert_num_queries):
    # The content generation (gard/cache.py); the disease; the overview (for the filter's choices); the table
    # rows; the other names of their terms.
    for slug, system in (("small-disease", "HP:1000001"), ("large-disease", "HP:2000001")):
        with django_assert_num_queries(5):
            response = client.get(f"/diseases/{slug}/symptoms.csv", {"system": system, "names": "plain"})
        assert len(read_csv(response)) > 1


@pytest.mark.parametrize("written", [3, 40])
def test_home_page_query_count_is_locked_with_written_pages(client, db, django_assert_num_queries, written):
    add_diseases([f"Written disease {n}" for n in range(written)] + [f"Catalogue disease {n}" for n in range(50)])
    Section.objects.bulk_create(
        Section(disease=disease, kind="summary", body="Text.")
        for disease in Disease.objects.filter(name__startswith="Written")
    )
    with django_assert_num_queries(2):  # the content generation (gard/cache.py); the diseases with written pages
        response = client.get("/")
    assert page_text(response).count("Written disease") == written


@pytest.mark.parametrize("number", [10, 150])
def test_letter_page_query_count_is_locked(client, db, django_assert_num_queries, number):
    add_diseases([f"Acro disease {n:03}" for n in range(number)])
    # the content generation (gard/cache.py); the number of diseases under the letter; one page of them.
    with django_assert_num_queries(3):
        response = client.get("/diseases/letter/A/")
    assert len(letter_names(response)) == min(number, 100)
    with django_assert_num_queries(3):
        client.get("/diseases/letter/A/", {"page": "2"})
