"""The family section at the top of every disease page: wording, precedence, sources, cost."""

import pytest

from gard.diseases.family import causes, how_common, inheritance, onset, prevalence_words
from gard.diseases.page import Fact, Overview
from gard.importers.open_data import import_open_data, read_open_data
from gard.models import Aspect, Section, SectionKind, Source
from tests.factories import make_annotation, make_disease, make_term, orphanet_record, write_open_data
from tests.html import element_text


@pytest.mark.parametrize(
    ("row", "words"),
    [
        (
            ["Prevalence at birth", "Value and class", "1-5 / 10 000", "no data", "Europe", "ORPHANET"],
            "about 1 to 5 in 10,000 babies born",
        ),
        (
            ["Point prevalence", "Class only", "<1 / 1 000 000", "no data", "Worldwide", ""],
            "fewer than 1 in 1,000,000 people",
        ),
        (
            ["Annual incidence", "Class only", "1-9 / 100 000", "", "France", ""],
            "about 1 to 9 in 100,000 people each year (new cases)",
        ),
        (["Cases/families", "Family(ies)", "", "300.0", "Worldwide", ""], "about 300 families reported"),
        (["Cases/families", "Case(s)", "", "1", "Worldwide", ""], "about 1 person reported"),
    ],
)
def test_prevalence_in_plain_words(row, words):
    assert prevalence_words(row).text == words


def test_a_prevalence_with_no_figure_says_nothing():
    assert prevalence_words(["Point prevalence", "Class only", "Unknown", "", "Worldwide", ""]) is None
    assert prevalence_words(["Cases/families", "Case(s)", "", "no data", "Worldwide", ""]) is None


def test_the_most_general_figures_come_first_and_a_countrys_only_when_nothing_wider_is_known():
    rows = [
        ["Point prevalence", "Class only", "1-9 / 100 000", "", "Italy", "12345678[PMID]"],
        ["Prevalence at birth", "Class only", "1-5 / 10 000", "", "Europe", ""],
        ["Point prevalence", "Class only", "1-9 / 1 000 000", "", "Worldwide", "20301510[PMID]"],
    ]
    shown = how_common({"prevalences": rows})
    assert [(p.text, p.area, p.pmids) for p in shown] == [
        ("about 1 to 9 in 1,000,000 people", "Worldwide", ["20301510"]),
        ("about 1 to 5 in 10,000 babies born", "Europe", []),
    ]
    assert [p.area for p in how_common({"prevalences": rows[:1]})] == ["Italy"]


def test_onset_in_plain_words_from_orphanet_else_from_the_hpo_terms():
    found = onset({"onsets": ["Infancy", "Neonatal"]}, Overview())
    assert found.sentence == "It can start in newborn babies (the first 4 weeks) or in infancy (the first two years)."
    assert onset({"onsets": ["Adult"]}, Overview()).sentence == "Usually in adulthood."
    overview = Overview(
        facts={
            "Onset and clinical course": [
                Fact("HP:0011463", "Childhood onset"),
                Fact("HP:0003593", "Infantile onset"),
                Fact("HP:0003680", "Progressive"),
            ]
        }
    )
    found = onset({}, overview)
    assert found.source == "HPO" and [fact.hpo_id for fact in found.terms] == ["HP:0003593", "HP:0011463"]
    assert found.sentence == "It can start in infancy (the first two years) or in childhood."


def test_each_inheritance_pattern_says_what_it_means_for_brothers_and_sisters():
    (pattern,) = inheritance({"inheritance": ["Autosomal recessive", "Not applicable"]}, Overview())
    assert pattern.name == "Autosomal recessive" and pattern.source == "Orphanet"
    assert "1 in 4 (25%)" in pattern.meaning and "brother or sister" in pattern.meaning
    overview = Overview(facts={"Inheritance": [Fact("HP:0001419", "X-linked recessive inheritance")]})
    (from_hpo,) = inheritance({}, overview)
    assert from_hpo.name == "X-linked recessive" and from_hpo.source == "HPO"


def test_genes_are_listed_by_role_the_cause_first():
    listed = [
        ["TGFB1", "transforming growth factor beta 1", "Modifying germline mutation in"],
        [
            "CFTR",
            "CF transmembrane conductance regulator",
            "Disease-causing germline mutation(s) (loss of function) in",
        ],
        ["MBL2", "mannose binding lectin 2", "Major susceptibility factor in"],
    ]
    found = causes({"genes": listed}, [])
    assert [(role, [g.symbol for g in genes]) for role, genes in found.by_role] == [
        ("causes it (a change that stops the gene working)", ["CFTR"]),
        ("modifies it (changes how it shows)", ["TGFB1"]),
        ("raises the risk", ["MBL2"]),
    ]


@pytest.fixture
def cystic_fibrosis(db, tmp_path):
    disease = make_disease("Cystic fibrosis", records=["OMIM:219700", "ORPHA:586"], genes=["CFTR", "TGFB1"])
    cough = make_term("HP:0012735", "Cough", names=[("Coughing", True)])
    make_annotation(disease.identifiers.first(), cough, "very_frequent")
    folder = write_open_data(
        tmp_path / "open_data",
        orphanet=[
            orphanet_record(
                586,
                "Cystic fibrosis",
                definition="A genetic disorder of the lungs, pancreas and sweat glands.",
                inheritance=["Autosomal recessive"],
                prevalences=[["Prevalence at birth", "Value and class", "1-5 / 10 000", "", "Europe", "ORPHANET"]],
                onsets=["Neonatal"],
                genes=[
                    ["TGFB1", "transforming growth factor beta 1", "Modifying germline mutation in"],
                    ["CFTR", "CF transmembrane conductance regulator", "Disease-causing germline mutation(s) in"],
                ],
            )
        ],
        mondo=[{"mondo": "MONDO:0009061", "omim": ["219700"], "orpha": ["586"], "gard": "6233"}],
    )
    import_open_data(read_open_data(folder))
    return disease


def test_the_page_opens_with_what_it_is_how_common_when_it_starts_how_inherited_and_what_causes_it(
    client, cystic_fibrosis
):
    response = client.get(cystic_fibrosis.get_absolute_url())
    html = response.content.decode()
    assert html.index('id="about"') < html.index('id="at-a-glance"') < html.index('id="symptoms"')
    about = element_text(response, "about")
    assert "What is it? A genetic disorder of the lungs, pancreas and sweat glands." in about
    assert "Source: Orphanet: ORPHApackets , Orphanet (INSERM) ( CC BY 4.0 ), version 4.1.8 (2025-03-03)" in about
    assert "About 1 to 5 in 10,000 babies born (Europe)" in about
    assert "Usually in newborn babies (the first 4 weeks)" in about
    assert "Autosomal recessive." in about and "1 in 4 (25%)" in about
    assert "Causes it: CFTR (CF transmembrane conductance regulator)" in about
    assert "Modifies it (changes how it shows): TGFB1" in about
    assert "Main symptoms Coughing (Cough) : very often (80%-99%)" in about  # the plain-language name first
    assert "https://rarediseases.info.nih.gov/diseases/6233/cystic-fibrosis" in html
    assert "https://clinicaltrials.gov/search?cond=Cystic+fibrosis" in html


def test_an_editors_summary_comes_before_any_imported_definition(client, cystic_fibrosis):
    cystic_fibrosis.summary = "Cystic fibrosis makes mucus thick and sticky."
    cystic_fibrosis.save()
    about = element_text(client.get(cystic_fibrosis.get_absolute_url()), "about")
    assert "What is it? Cystic fibrosis makes mucus thick and sticky. Written by this site's editors." in about
    assert "sweat glands" not in about


def test_a_documents_summary_comes_before_orphanets_and_is_not_repeated_below(client, cystic_fibrosis):
    source = Source.objects.create(key="ghr", title="Genetics Home Reference", publisher="NLM", licence="Public domain")
    Section.objects.create(
        disease=cystic_fibrosis, kind=SectionKind.SUMMARY, body="The document's summary.", source=source
    )
    response = client.get(cystic_fibrosis.get_absolute_url())
    assert "What is it? The document's summary." in element_text(response, "about")
    assert element_text(response, "main").count("The document's summary.") == 1
    assert "sweat glands" not in element_text(response, "main")  # Orphanet's definition only ever stands at the top


def test_a_page_no_source_defines_gets_a_paragraph_assembled_from_its_data_and_says_so(client, db):
    disease = make_disease("Some syndrome", records=["OMIM:100100"], genes=["ABC1"])
    recessive = make_term("HP:0000007", "Autosomal recessive inheritance")
    make_annotation(disease, recessive, aspect=Aspect.INHERITANCE)
    about = element_text(client.get(disease.get_absolute_url()), "about")
    assert "Its inheritance is autosomal recessive. It is linked to the gene ABC1." in about
    assert "these sentences are assembled by this site from the data on this page" in about


def test_the_family_section_costs_no_query(client, cystic_fibrosis, django_assert_num_queries):
    client.get(cystic_fibrosis.get_absolute_url())  # the content generation row exists from here on
    # The content generation, then the page's ten (tests/diseases/test_query_counts.py lists them).
    with django_assert_num_queries(11):
        client.get(cystic_fibrosis.get_absolute_url() + "?names=plain")


def test_the_meta_description_and_json_ld_say_what_the_disease_is(client, cystic_fibrosis):
    html = client.get(cystic_fibrosis.get_absolute_url()).content.decode()
    assert '<meta name="description" content="A genetic disorder of the lungs, pancreas and sweat glands.">' in html
    assert '"description":"A genetic disorder of the lungs, pancreas and sweat glands."' in html
