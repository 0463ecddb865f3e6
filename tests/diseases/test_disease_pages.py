"""The facts of the three source documents reach the disease pages."""

import json
import re

import pytest

from gard.models import Reference, Resource, Section
from tests.html import element_text, page_text

pytestmark = pytest.mark.usefixtures("documents")

ALPERS = "/diseases/alpers-syndrome/"
ALSTROM = "/diseases/alstrom-syndrome/"


@pytest.fixture
def alpers(client):
    return client.get(ALPERS)


@pytest.fixture
def alstrom(client):
    return client.get(ALSTROM)


def test_alpers_page_has_one_h1_with_the_disease_name(alpers):
    html = alpers.content.decode()
    assert alpers.status_code == 200
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", html) == ["Alpers syndrome"]


def test_alpers_other_names_are_all_there_once_and_without_page_artefacts(alpers):
    names = element_text(alpers, "other-names")
    expected = [
        "Alpers disease",
        "Alpers diffuse degeneration of cerebral gray matter with hepatic cirrhosis",
        "Alpers progressive infantile poliodystrophy",
        "Poliodystrophia cerebri progressiva",
        "Progressive cerebral poliodystrophy",
        "Diffuse cerebral degeneration in infancy",
        "Alpers-Huttenlocher syndrome",
        "Neuronal degeneration of childhood with liver disease, progressive",
        "PNDC",
        "Infantile poliodystrophy",
        # from the encyclopedia text
        "Progressive sclerosing poliodystrophy",
        "Progressive infantile poliodystrophy",
        "AHS",
    ]
    html = alpers.content.decode()
    items = re.findall(r"<li>(.*?)</li>", html[html.index('id="other-names"') :].split("</ul>")[0])
    assert sorted(items) == sorted(expected)
    for artefact in ("See More", "[ more ]", "Showing of 43"):
        assert artefact not in names
        assert artefact not in page_text(alpers)
    # "Alpers' disease" and "Alpers' syndrome" are spellings of names already listed.
    assert "Alpers' disease" not in items and "Alpers&#x27; disease" not in items


def test_alpers_summary_links_citation_markers_to_numbered_references(alpers):
    html = alpers.content.decode()
    # GARD's summary leads the page, under "What is it?", before the chart.
    summary = html[html.index('id="what-is-it"') : html.index('id="at-a-glance"')]
    assert "progressive neurologic disorder that begins during childhood" in summary
    assert 'href="#reference-1"' in summary and 'href="#reference-2"' in summary
    assert 'id="reference-1"' in html and 'id="reference-3"' in html
    references = element_text(alpers, "references")
    assert "NORD. Alpers Disease. NORD: National Organization for Rare Disease. 2007" in references
    assert "Cohen B, Chinnery P, Copeland W. POLG-Related Disorders. GeneReviews. March 16, 2010" in references
    assert "Naviaux R K. Alpers syndrome. Orphanet. July 2006" in references
    assert references.count("Accessed January 20, 2011") == 3
    assert "http://www.ncbi.nlm.nih.gov/books/NBK26471/" in references
    html_references = re.sub(r"\s+", " ", html[html.index('id="references"') :])
    assert (
        'March 16, 2010. <a href="http://www.ncbi.nlm.nih.gov/books/NBK26471/">'
        'http://www.ncbi.nlm.nih.gov/books/NBK26471/</a>. Accessed <time datetime="2011-01-20">January 20, 2011</time>.'
    ) in html_references


def test_alpers_symptom_table_lists_all_43_terms_in_gards_groups(alpers):
    html = alpers.content.decode()
    assert len(re.findall(r">HP:\d{7}</a>", html)) == 43
    assert "Showing 43 of 43 symptoms" in page_text(alpers)
    table = html[html.index('class="symptoms"') :]
    groups = re.findall(r'<th scope="rowgroup" colspan="4"[^>]*>(.*?)</th>', table)
    assert groups == [
        "30%-79% of people have these symptoms",
        "5%-29% of people have these symptoms",
        "Percent of people who have these symptoms is not available through HPO",
    ]
    frequent = table.split("5%-29% of people")[0]
    assert ">HP:0001284<" in frequent and "Areflexia" in frequent and "Absent tendon reflexes" in frequent
    occasional = table.split("5%-29% of people")[1].split("Percent of people")[0]
    assert re.findall(r">(HP:\d{7})<", occasional) == ["HP:0000618"]
    assert "Repeated seizures without recovery between them" in table


def test_alpers_sections_each_carry_their_last_updated_date(alpers):
    html = alpers.content.decode()

    def section(anchor):
        return element_text(alpers, anchor)

    assert "Last updated: January 24, 2011" in section("about")  # GARD's summary, under "What is it?"
    assert "Last updated: July 1, 2020" in section("symptoms")
    assert "Last updated: May 26, 2011" in section("treatment")
    assert html.count("Last updated:") == 3


def test_alpers_has_every_gard_section_with_something_to_say(alpers):
    expected = {
        "diagnosis": ["Making a diagnosis for a genetic or rare disease", "Testing Resources", "Orphanet"],
        "treatment": ["limited to managment of symptoms and supportive care", "multi-disciplinary medical team"],
        "specialists": ["tertiary medical center in your area", "If you can’t find a specialist"],
        "related": ["Conditions with similar signs and symptoms from Orphanet", "C10ORF2 gene (10q24)", "MIRAS"],
        "research": ["Clinical Research Resources", "North American Mitochondrial Disease Consortium (NAMDC)"],
        "organizations": ["Support and advocacy groups", "No support organizations are listed"],
        "learn-more": ["In-Depth Information", "GeneReviews", "Monarch Initiative", "OMIM", "Orphanet", "PubMed"],
    }
    for anchor, phrases in expected.items():
        text = element_text(alpers, anchor)
        for phrase in phrases:
            assert phrase in text, (anchor, phrase)
    assert "See answer" not in page_text(alpers)
    assert "Submit a new question" not in page_text(alpers)


def test_alpers_learn_more_resources_link_to_their_records(alpers):
    html = alpers.content.decode()
    assert 'href="https://omim.org/entry/203700"' in html
    assert 'href="https://www.orpha.net/en/disease/detail/726"' in html
    assert 'href="http://www.ncbi.nlm.nih.gov/books/NBK26471/">GeneReviews</a>' in html
    assert "pubmed.ncbi.nlm.nih.gov/?term=%22Alpers+syndrome%22" in html


def test_alpers_records_its_orphanet_and_omim_identifiers(alpers):
    assert "OMIM:203700" in page_text(alpers)
    assert "ORPHA:726" in page_text(alpers)


@pytest.mark.parametrize(
    ("anchor", "fact"),
    [
        ("cause", "caused by certain genetic mutations in the POLG gene"),
        ("inheritance", "It is an autosomal recessive disorder"),
        ("symptoms", "usually occur in infancy, after the first year of life, but sometimes as late as the fifth year"),
        ("symptoms", "epilepsia partialis continua"),
        ("symptoms", "Deafness may also occur"),
        ("cause", "status spongiosus of the cerebral grey matter"),
        ("treatment", "caution should be used when selecting valproate"),
        ("treatment", "Anticonvulsants may be used to treat the seizures"),
        ("prognosis", "usually die within their first decade of life"),
        ("prognosis", "cardiorespiratory failure"),
        ("history", "first recognized by Alfons Maria Jakob, a German neuropathologist"),
        ("history", "named after Bernard Jacob Alpers"),
        ("summary", "progressive degenerative disease of the central nervous system"),
    ],
)
def test_encyclopedia_facts_appear_in_their_sections(alpers, anchor, fact):
    assert fact in element_text(alpers, anchor)


def test_encyclopedia_text_is_attributed_with_its_licence(alpers):
    html = alpers.content.decode()
    history = html[html.index('id="history"') :].split("</section>")[0]
    assert "Wikipedia" in history
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/"' in history
    assert "CC BY-SA 4.0" in element_text(alpers, "sources")


def test_encyclopedia_is_merged_not_a_second_page(client):
    assert client.get("/diseases/alpers-disease/").status_code == 404
    home = page_text(client.get("/"))
    assert home.count("Alpers syndrome") == 1


def test_alstrom_page_has_its_questions_as_sections(alstrom):
    assert alstrom.status_code == 200
    assert "affects many body systems" in element_text(alstrom, "about")  # "What is it?", first on the page
    assert "acanthosis nigricans" in element_text(alstrom, "about")
    assert "about 500 affected people have been reported worldwide" in element_text(alstrom, "frequency")
    assert "Mutations in the ALMS1 gene cause Alström syndrome" in element_text(alstrom, "cause")
    assert "inherited in an autosomal recessive pattern" in element_text(alstrom, "inheritance")


def test_alstrom_other_names_references_and_dates(alstrom):
    names = element_text(alstrom, "other-names")
    for name in ("ALMS", "Alstrom-Hallgren syndrome", "Alstrom syndrome"):
        assert name in names
    html = alstrom.content.decode()
    references = re.findall(r'<li id="reference-(\d+)"', html)
    assert references == [str(n) for n in range(2, 10)]  # 1 is the bare "Gene Review" (see below)
    assert "Goldstein JL, Fialkow PJ. The Alstrom syndrome." in element_text(alstrom, "references")
    assert "Russell-Eggitt IM" in element_text(alstrom, "references")
    sources = element_text(alstrom, "sources")
    assert "Reviewed August 2008" in sources
    assert "Published May 4, 2009" in sources
    assert "should not be used as a substitute for professional medical care" in sources
    assert "OMIM:203800" in page_text(alstrom) and "ORPHA:64" in page_text(alstrom)


def test_table_of_contents_links_to_every_section(alpers):
    html = alpers.content.decode()
    toc = html[html.index('class="toc"') :].split("</nav>")[0]
    for anchor in re.findall(r'href="#([\w-]+)"', toc):
        assert f'id="{anchor}"' in html


def test_home_has_a_search_box_the_a_to_z_letters_and_the_written_pages(client):
    html = client.get("/").content.decode()
    assert '<form class="search-form" role="search"' in html
    for letter in ("A", "B", "Z", "0-9"):
        assert f'href="/diseases/letter/{letter}/"' in html
    assert html.index("Alpers syndrome") < html.index("Alström syndrome")


def test_a_to_z_lists_the_diseases_under_a_letter(client):
    response = client.get("/diseases/letter/A/")
    text = page_text(response)
    assert "2 diseases under A" in text
    assert "Alpers syndrome" in text and "Alström syndrome" in text
    assert "0 diseases under B" in page_text(client.get("/diseases/letter/B/"))
    assert client.get("/diseases/letter/zz/").status_code == 404


def test_unknown_disease_gives_a_404_page_in_the_sites_style(client):
    response = client.get("/diseases/no-such-disease/")
    assert response.status_code == 404
    assert "Page not found" in page_text(response)
    assert "css/site.css" in response.content.decode()


def test_reference_list_ends_each_citation_with_one_full_stop(alpers, alstrom):
    assert "NORD: National Organization for Rare Disease. 2007." in element_text(alpers, "references")
    references = element_text(alstrom, "references")
    assert "Ophthalmology. 1998 Jul;105(7):1274-80. Review." in references
    for response in (alpers, alstrom):
        assert ".." not in element_text(response, "references").replace(" ", "")


def test_disease_without_symptoms_says_none_are_listed_yet(alstrom):
    text = element_text(alstrom, "symptoms")
    assert "No symptoms have been listed for this disease yet." in text
    assert "Filter the symptom table" not in text


# -- the written pages lead nowhere they cannot go (gard.diseases.written) -------------------------


def toc_anchors(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'href="#([\w-]+)"', html[html.index('class="toc"') :].split("</nav>")[0])


def test_alstrom_treatment_pointing_only_at_links_that_are_not_there_is_left_out(alstrom):
    assert 'id="treatment"' not in alstrom.content.decode()
    assert "treatment" not in toc_anchors(alstrom)
    assert "links below" not in page_text(alstrom)
    assert "MedlinePlus Encyclopedia" not in page_text(alstrom)


def test_alstrom_specialist_lines_that_are_not_links_are_left_out_with_their_section(alstrom):
    assert 'id="specialists"' not in alstrom.content.decode()
    assert "specialists" not in toc_anchors(alstrom)
    for name in ("Ask the Genetic and Rare Diseases Information Center", "Submit your question to Ask the Geneticist"):
        assert name not in page_text(alstrom)


def test_alstrom_learn_more_pointing_at_stripped_links_is_left_out(alstrom):
    assert 'id="learn-more"' not in alstrom.content.decode()
    assert "You may find the following resources" not in page_text(alstrom)
    assert "How are genetic conditions and genes named?" not in page_text(alstrom)


def test_written_pages_list_only_resources_a_reader_can_follow_or_read(alpers, alstrom):
    for response in (alpers, alstrom):
        html = response.content.decode()
        for resources in re.findall(r'<ul class="resources">(.*?)</ul>', html, re.S):
            for item in re.findall(r"<li>(.*?)</li>", resources, re.S):
                assert "<a href=" in item or "<p>" in item, item
        assert "<strong>" not in "".join(re.findall(r'<ul class="resources">(.*?)</ul>', html, re.S))


def test_alstrom_glossary_of_words_without_definitions_is_left_out(alstrom):
    html = alstrom.content.decode()
    assert 'id="glossary"' not in html
    assert "glossary" not in toc_anchors(alstrom)
    assert "<li>tissue</li>" not in html and "<li>acanthosis nigricans</li>" not in html
    assert "Genetics Home Reference Glossary" not in page_text(alstrom)


def test_alstrom_references_leave_out_the_bare_gene_review_and_show_the_citations(alstrom):
    references = element_text(alstrom, "references")
    assert "Gene Review" not in references
    assert "Goldstein JL, Fialkow PJ. The Alstrom syndrome." in references
    assert "Russell-Eggitt IM" in references
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', alstrom.content.decode(), re.S)
    page = next(node for node in json.loads(script.group(1))["@graph"] if node["@type"] == "MedicalWebPage")
    assert len(page["citation"]) == 8
    assert all(citation["name"] != "Gene Review" for citation in page["citation"])


def test_alpers_unanswered_readers_question_is_left_out_with_its_section(alpers):
    assert 'id="questions"' not in alpers.content.decode()
    assert "questions" not in toc_anchors(alpers)
    assert "My nephew has just been diagnosed" not in page_text(alpers)
    assert "Questions sent to GARD may be posted here" not in page_text(alpers)


def test_alpers_related_diseases_mention_no_missing_table_or_unlinked_page(alpers):
    related = element_text(alpers, "related")
    assert "table" not in related
    assert "Visit the Orphanet disease page" not in related
    assert "Differential diagnoses are numerous" in related


def test_alpers_empty_living_section_is_left_out(alpers):
    assert 'id="living"' not in alpers.content.decode()
    assert "living" not in toc_anchors(alpers)
    assert "Living with a genetic or rare disease" not in page_text(alpers)


def test_alpers_specialists_advice_stays_without_the_unlinked_guide(alpers):
    specialists = element_text(alpers, "specialists")
    assert "If you need medical advice, you can look for doctors" in specialists
    assert "How to Find a Disease Specialist" not in specialists


def test_written_pages_rows_keep_every_word_of_their_documents(alpers, alstrom):
    def body(slug, kind):
        return Section.objects.get(disease__slug=slug, kind=kind, source__isnull=False).body

    assert "in the links below, particularly the links for Gene Reviews" in body("alstrom-syndrome", "treatment")
    assert "• tissue" in body("alstrom-syndrome", "glossary")
    assert "Is there a treatment or cure?" in body("alpers-syndrome", "questions")
    assert "in the table below" in body("alpers-syndrome", "related")
    assert "Living with a genetic or rare disease" in body("alpers-syndrome", "living")
    assert Reference.objects.filter(disease__slug="alstrom-syndrome", number=1, citation="Gene Review").exists()
    assert Resource.objects.filter(disease__slug="alstrom-syndrome", kind="specialists").count() == 3
