"""A source's written sections reach the page without dead ends (gard.diseases.written): pointers to
links and tables the page does not show, words without definitions, questions without answers,
resources and references that lead nowhere, and sections left with nothing to say."""

import datetime
import json
import re

import pytest

from gard.models import Reference, Section, SectionKind
from tests.factories import document_source, make_disease, make_resource
from tests.html import element_text, page_text

pytestmark = pytest.mark.django_db

POINTER = "You may find information on treatment in the links below, particularly the links for Patient support."
TABLE = "Doctors may consider these conditions in the table below. Please note that the table may not be complete."


def written(sections, *, editor=False, references=()):
    """A disease whose sections (and references) come from a source document, or from an editor."""
    return make_disease(
        "Written disease", sections=sections, references=references, source=None if editor else document_source()
    )


def page(client, disease):
    response = client.get(disease.get_absolute_url())
    assert response.status_code == 200
    return response


def toc(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'href="#([\w-]+)"', html[html.index('class="toc"') :].split("</nav>")[0])


def test_a_paragraph_pointing_at_links_the_section_does_not_list_is_left_out(client):
    disease = written({SectionKind.TREATMENT: f"Treatment is supportive.\n\n{POINTER}"})
    treatment = element_text(page(client, disease), "treatment")
    assert "Treatment is supportive." in treatment
    assert "links below" not in treatment and "Patient support" not in treatment


def test_a_paragraph_pointing_at_links_stays_when_the_section_lists_them(client):
    disease = written({SectionKind.TREATMENT: POINTER})
    make_resource(
        disease, "Patient support", kind=SectionKind.TREATMENT, url="https://example.org/", source=document_source()
    )
    treatment = element_text(page(client, disease), "treatment")
    assert "in the links below" in treatment
    assert "Patient support" in treatment


def test_a_paragraph_pointing_at_a_table_is_left_out_outside_the_symptoms_section(client):
    disease = written(
        {
            SectionKind.RELATED: f"{TABLE}\n\nOther disorders include MERRF and MELAS.",
            SectionKind.SYMPTOMS: "This table lists symptoms that people with this disease may have.",
        }
    )
    response = page(client, disease)
    related = element_text(response, "related")
    assert "Other disorders include MERRF and MELAS." in related
    assert "table" not in related
    assert "This table lists symptoms" in element_text(response, "symptoms")  # the symptom table is there


def test_a_paragraph_citing_references_loses_only_its_pointing_sentences(client):
    disease = written({SectionKind.TREATMENT: f"There is no cure. [1] {POINTER}"}, references=["Cohen B. POLG. 2010."])
    treatment = element_text(page(client, disease), "treatment")
    assert "There is no cure. [1]" in treatment
    assert "links below" not in treatment


def test_a_section_with_nothing_left_to_say_is_left_out_of_the_page_and_its_contents(client):
    disease = written(
        {
            SectionKind.CAUSE: "Mutations in one gene cause it.",
            SectionKind.LIVING: "Living with a rare disease is hard. These resources can help families.",
            SectionKind.TREATMENT: POINTER,
        }
    )
    response = page(client, disease)
    assert 'id="living"' not in response.content.decode()
    assert 'id="treatment"' not in response.content.decode()
    assert "living" not in toc(response) and "treatment" not in toc(response)
    assert "cause" in toc(response)
    assert "Mutations in one gene cause it." in element_text(response, "cause")


def test_a_subheading_left_with_nothing_under_it_is_left_out(client):
    disease = written(
        {SectionKind.RELATED: "## Conditions from Orphanet\n\nVisit the Orphanet disease page for more information."}
    )
    response = page(client, disease)
    assert 'id="related"' not in response.content.decode()
    assert "Conditions from Orphanet" not in page_text(response)


def test_glossary_words_without_definitions_are_left_out_and_so_is_a_glossary_with_none(client):
    terms = "• acanthosis nigricans\n• autosomal\n• short stature"
    disease = written({SectionKind.GLOSSARY: f"{terms}\n\nYou may find definitions for these in the Glossary"})
    response = page(client, disease)
    assert 'id="glossary"' not in response.content.decode()
    assert "acanthosis nigricans" not in page_text(response)


def test_glossary_shows_only_the_words_the_source_defines(client):
    terms = "• autosomal\n• short stature: a height well below average for age and sex"
    disease = written({SectionKind.GLOSSARY: terms})
    response = page(client, disease)
    glossary = element_text(response, "glossary")
    assert "short stature: a height well below average for age and sex" in glossary
    assert "autosomal" not in glossary


def test_a_readers_question_without_an_answer_is_left_out_with_its_introduction(client):
    questions = "Questions sent to us may be posted here.\n\n• Is there a treatment or cure?"
    disease = written({SectionKind.QUESTIONS: questions})
    response = page(client, disease)
    assert 'id="questions"' not in response.content.decode()
    assert "Is there a treatment or cure?" not in page_text(response)
    assert "Questions sent to us" not in page_text(response)


def test_an_answered_question_is_shown_with_its_answer_and_an_unanswered_one_is_not(client):
    questions = (
        "Questions sent to us may be posted here.\n\n• Can it be prevented?\n\n"
        "## Is there a treatment or cure?\n\nThere is no cure; treatment eases the symptoms."
    )
    disease = written({SectionKind.QUESTIONS: questions})
    text = element_text(page(client, disease), "questions")
    assert "Questions sent to us may be posted here." in text
    assert "Is there a treatment or cure?" in text
    assert "There is no cure; treatment eases the symptoms." in text
    assert "Can it be prevented?" not in text


def test_a_resource_with_neither_link_nor_description_is_not_listed(client):
    disease = written({SectionKind.CAUSE: "Mutations in one gene cause it."})
    source = document_source()
    specialists = {"kind": SectionKind.SPECIALISTS, "group": "Ask an expert", "source": source}
    make_resource(disease, "Ask the Information Center", **specialists)
    make_resource(disease, "Genetic counselling", description="A counsellor explains test results.", **specialists)
    make_resource(disease, "Find a professional", url="https://example.org/find", **specialists)
    response = page(client, disease)
    html = response.content.decode()
    specialists_text = element_text(response, "specialists")
    assert "Ask the Information Center" not in page_text(response)
    assert "Genetic counselling" in specialists_text and "A counsellor explains test results." in specialists_text
    assert '<a href="https://example.org/find">Find a professional</a>' in html


def test_a_section_whose_resources_all_lead_nowhere_is_left_out(client):
    disease = written({SectionKind.CAUSE: "Mutations in one gene cause it."})
    make_resource(disease, "Ask the Geneticist", kind=SectionKind.SPECIALISTS, source=document_source())
    response = page(client, disease)
    assert 'id="specialists"' not in response.content.decode()
    assert "specialists" not in toc(response)


def test_a_reference_a_reader_could_not_find_is_not_listed(client):
    disease = written({SectionKind.CAUSE: "Mutations in one gene cause it."}, references=["Gene Review"])
    source = document_source()
    Reference.objects.create(disease=disease, number=2, citation="Marshall JD. Alström syndrome. 2007.", source=source)
    Reference.objects.create(
        disease=disease, number=3, citation="A page", url="https://example.org/page", source=source
    )
    Reference.objects.create(
        disease=disease, number=4, citation="A letter", accessed=datetime.date(2011, 1, 20), source=source
    )
    response = page(client, disease)
    references = element_text(response, "references")
    assert "Gene Review" not in page_text(response)
    assert re.findall(r'<li id="reference-(\d+)"', response.content.decode()) == ["2", "3", "4"]
    assert "Marshall JD. Alström syndrome. 2007." in references
    data = json.loads(
        re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', response.content.decode(), re.S).group(1)
    )
    page_data = next(item for item in data["@graph"] if item["@type"] == "MedicalWebPage")
    assert [citation["name"] for citation in page_data["citation"]] == [
        "Marshall JD. Alström syndrome. 2007.",
        "A page",
        "A letter",
    ]


def test_a_reference_the_text_cites_is_listed_even_if_a_reader_could_not_find_it(client):
    disease = written({SectionKind.CAUSE: "Mutations in one gene cause it. [1]"}, references=["Gene Review"])
    response = page(client, disease)
    assert "Gene Review." in element_text(response, "references")
    assert 'href="#reference-1"' in response.content.decode()


def test_an_editors_text_resources_and_references_are_shown_as_written(client):
    glossary = "• autosomal"
    disease = written(
        {SectionKind.TREATMENT: POINTER, SectionKind.GLOSSARY: glossary}, editor=True, references=["Gene Review"]
    )
    make_resource(disease, "Ask the Geneticist", kind=SectionKind.SPECIALISTS, group="Ask an expert")
    response = page(client, disease)
    assert POINTER in element_text(response, "treatment")
    assert "autosomal" in element_text(response, "glossary")
    assert "Ask the Geneticist" in element_text(response, "specialists")
    assert "Gene Review." in element_text(response, "references")


def test_the_rows_keep_every_word_the_source_wrote(client):
    disease = written({SectionKind.TREATMENT: f"Treatment is supportive.\n\n{POINTER}"})
    page(client, disease)
    assert Section.objects.get(disease=disease, kind=SectionKind.TREATMENT).body == (
        f"Treatment is supportive.\n\n{POINTER}"
    )
