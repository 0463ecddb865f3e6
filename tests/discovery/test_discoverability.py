"""What search engines read: schema.org JSON-LD on disease pages, the sitemap, robots.txt,
canonical links, and a title and description of its own on every page."""

import datetime
import json
import re
from html.parser import HTMLParser

import pytest

from gard.cache import bump_content_generation
from gard.discovery.sitemaps import DiseaseSitemap, SymptomSitemap
from gard.models import (
    Annotation,
    Aspect,
    Disease,
    Frequency,
    Identifier,
    Phenotype,
    Section,
    SectionKind,
    Synonym,
)
from tests.factories import make_annotation, make_disease, make_gene, make_record, make_term

ALPERS = "/diseases/alpers-syndrome/"
ALSTROM = "/diseases/alstrom-syndrome/"
BASE = "http://testserver"
SITE_TITLE = "Rare disease information"  # base.html's fallback title
SITE_DESCRIPTION = (
    "Plain-language information about rare and genetic diseases: symptoms, causes, inheritance, "
    "diagnosis, treatment and where to get help."
)


# -- reading the head ----------------------------------------------------------------------


class _Head(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.meta = {}
        self.links = {}
        self.json_ld = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in = "title"
        elif tag == "meta":
            key = attrs.get("name") or attrs.get("property")
            if key:
                assert key not in self.meta, f"{key} twice"
                self.meta[key] = attrs.get("content")
        elif tag == "link" and attrs.get("rel") in ("canonical",):
            assert "canonical" not in self.links, "two canonical links"
            self.links["canonical"] = attrs["href"]
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "json_ld"
            self.json_ld.append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "json_ld":
            self.json_ld[-1] += data


def head(response) -> _Head:
    parser = _Head()
    parser.feed(response.content.decode().split("</head>")[0])
    return parser


def json_ld(response) -> dict:
    blocks = head(response).json_ld
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


def condition_of(data) -> dict:
    (condition,) = [node for node in data["@graph"] if node["@type"] == "MedicalCondition"]
    return condition


def page_node(data) -> dict:
    (page,) = [node for node in data["@graph"] if node["@type"] == "MedicalWebPage"]
    return page


# -- data ------------------------------------------------------------------------------------


@pytest.fixture
def alstrom_catalogue(documents):
    """Alström syndrome's page with what the HPO import adds: symptoms, inheritance, a NOT row, a gene."""
    omim = Identifier.objects.get(prefix="OMIM", accession="203800")
    omim.genes.add(make_gene("ALMS1", 7840))
    make_annotation(omim, make_term("HP:0000639", "Nystagmus", reuse=True), Frequency.VERY_FREQUENT)
    make_annotation(omim, make_term("HP:0001513", "Obesity", reuse=True), Frequency.FREQUENT)
    make_annotation(omim, make_term("HP:0000518", "Cataract", reuse=True), Frequency.OCCASIONAL)
    make_annotation(omim, make_term("HP:0001250", "Seizure", reuse=True), Frequency.EXCLUDED)  # stated at 0%
    make_annotation(
        omim, make_term("HP:0000007", "Autosomal recessive inheritance", reuse=True), aspect=Aspect.INHERITANCE
    )
    make_annotation(omim, make_term("HP:0001249", "Intellectual disability", reuse=True), negated=True)
    return Disease.objects.get(slug="alstrom-syndrome")


@pytest.fixture
def alpers_gene(documents):
    record = Identifier.objects.get(prefix="OMIM", accession="203700")
    record.genes.add(make_gene("POLG", 5428))


def expected_symptoms(slug) -> dict[str, str]:
    """HPO ID -> name of every term the disease has as a symptom, not only at 0%, straight from the rows."""
    rows = Annotation.objects.filter(disease__slug=slug, aspect=Aspect.PHENOTYPE, negated=False)
    excluded_only = {
        row.phenotype_id for row in rows if not rows.filter(phenotype=row.phenotype).exclude(frequency="excluded")
    }
    return {row.phenotype.hpo_id: row.phenotype.name for row in rows if row.phenotype_id not in excluded_only}


# -- JSON-LD ---------------------------------------------------------------------------------


def test_alstrom_page_describes_the_disease_as_a_medical_condition(client, alstrom_catalogue):
    data = json_ld(client.get(ALSTROM))
    assert data["@context"] == "https://schema.org"
    condition = condition_of(data)
    assert condition["name"] == "Alström syndrome"
    assert condition["url"] == BASE + ALSTROM
    assert sorted(condition["alternateName"]) == ["ALMS", "Alstrom syndrome", "Alstrom-Hallgren syndrome"]
    assert condition["description"].startswith("Alström syndrome is a rare condition that affects many body systems.")
    assert "[1]" not in condition["description"] and len(condition["description"]) <= 500
    assert {(code["codingSystem"], code["codeValue"]) for code in condition["code"]} == {
        ("OMIM", "203800"),
        ("Orphanet", "64"),
    }
    assert all(code["@type"] == "MedicalCode" for code in condition["code"])
    assert set(condition["sameAs"]) == {"https://omim.org/entry/203800", "https://www.orpha.net/en/disease/detail/64"}


def test_signs_and_symptoms_carry_their_hpo_codes_most_frequent_first(client, alstrom_catalogue):
    symptoms = condition_of(json_ld(client.get(ALSTROM)))["signOrSymptom"]
    assert [(s["name"], s["code"]["codeValue"]) for s in symptoms] == [
        ("Nystagmus", "HP:0000639"),
        ("Obesity", "HP:0001513"),
        ("Cataract", "HP:0000518"),
    ]
    for symptom in symptoms:
        assert symptom["@type"] == "MedicalSignOrSymptom"
        assert symptom["code"] == {
            "@type": "MedicalCode",
            "codeValue": symptom["code"]["codeValue"],
            "codingSystem": "HPO",
        }


def test_a_symptom_stated_at_zero_percent_an_inheritance_fact_or_a_not_row_is_not_a_sign(client, alstrom_catalogue):
    names = {s["name"] for s in condition_of(json_ld(client.get(ALSTROM)))["signOrSymptom"]}
    assert not names & {"Seizure", "Autosomal recessive inheritance", "Intellectual disability"}


def test_genes_point_to_the_condition_through_associated_disease(client, alstrom_catalogue):
    condition = condition_of(json_ld(client.get(ALSTROM)))
    (gene,) = condition["@reverse"]["associatedDisease"]
    assert gene["@type"] == "Gene" and gene["name"] == "ALMS1"
    assert gene["url"] == "https://www.ncbi.nlm.nih.gov/gene/7840"
    assert gene["identifier"] == {"@type": "PropertyValue", "propertyID": "NCBI Gene", "value": "7840"}


def test_alpers_page_lists_every_symptom_its_sources_give(client, alpers_gene):
    condition = condition_of(json_ld(client.get(ALPERS)))
    assert condition["name"] == "Alpers syndrome"
    assert {"Alpers-Huttenlocher syndrome", "Alpers disease", "AHS", "PNDC"} <= set(condition["alternateName"])
    assert len(condition["alternateName"]) == Synonym.objects.filter(disease__slug="alpers-syndrome").count()
    assert condition["description"].startswith(
        "Alpers syndrome is a progressive neurologic disorder that begins during childhood"
    )
    found = {s["code"]["codeValue"]: s["name"] for s in condition["signOrSymptom"]}
    assert found == expected_symptoms("alpers-syndrome")
    assert found["HP:0001251"] == "Ataxia" and found["HP:0007359"] == "Focal-onset seizure"
    assert [gene["name"] for gene in condition["@reverse"]["associatedDisease"]] == ["POLG"]


def test_alpers_page_cites_its_references_and_names_its_sources_with_their_licences(client, documents):
    page = page_node(json_ld(client.get(ALPERS)))
    assert page["url"] == BASE + ALPERS
    assert page["mainEntity"] == {"@id": condition_of(json_ld(client.get(ALPERS)))["@id"]}
    assert [citation.get("url") for citation in page["citation"]] == [
        "http://www.rarediseases.org/search/rdbdetail_abstract.html?disname=Alpers%20Disease",
        "http://www.ncbi.nlm.nih.gov/books/NBK26471/",
        "http://www.orpha.net/consor/cgi-bin/OC_Exp.php?lng=EN&Expert=726",
    ]
    assert page["citation"][1]["name"].startswith("Cohen B, Chinnery P, Copeland W. POLG-Related Disorders.")
    licences = {work["name"]: work.get("license") for work in page["isBasedOn"]}
    assert licences["Alpers' disease"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert page["dateModified"] == "2020-07-01"


def test_a_filtered_table_carries_the_same_data_as_the_whole_page(client, alstrom_catalogue):
    whole = json_ld(client.get(ALSTROM))
    filtered = json_ld(client.get(ALSTROM, {"q": "nyst", "frequency": "frequent", "names": "plain", "sort": "-name"}))
    assert filtered == whole


@pytest.mark.parametrize(
    "hostile",
    [
        "</script><script>alert(1)</script>",
        "</SCRIPT ><!-- <script>",
        "<!--",
        "a & b < c > d ]]> \"quoted\" 'single'",
    ],
)
def test_text_in_the_data_cannot_end_the_script_block(client, documents, hostile):
    disease = Disease.objects.get(slug="alpers-syndrome")
    summary = Section.objects.get(disease=disease, kind=SectionKind.SUMMARY, source__key="gard-alpers-syndrome")
    summary.body = f"Starts here {hostile} and ends here."
    summary.save()
    Synonym.objects.create(disease=disease, name=f"Name {hostile}")
    html = client.get(ALPERS).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL).group(1)
    assert "<" not in block and ">" not in block  # so neither "</script" nor "<!--" can occur
    assert len(re.findall(r"<script\b", html, re.IGNORECASE)) == 2  # the data block and suggest.js
    condition = condition_of(json.loads(block))
    assert condition["description"] == f"Starts here {hostile} and ends here."
    assert f"Name {hostile}" in condition["alternateName"]


def test_a_catalogue_page_without_a_summary_is_described_from_its_data(client, db):
    disease = make_disease("Renu syndrome")
    record = make_record(disease, "OMIM:620851", genes=[make_gene("RENU1", 999001)])
    make_annotation(record, make_term("HP:0001250", "Seizure", reuse=True), Frequency.VERY_FREQUENT)
    make_annotation(record, make_term("HP:0000252", "Microcephaly", reuse=True), Frequency.FREQUENT)
    make_annotation(record, make_term("HP:0001263", "Global developmental delay", reuse=True), Frequency.OCCASIONAL)
    make_annotation(record, make_term("HP:0000639", "Nystagmus", reuse=True))
    make_annotation(
        record, make_term("HP:0000006", "Autosomal dominant inheritance", reuse=True), aspect=Aspect.INHERITANCE
    )
    response = client.get(disease.get_absolute_url())
    description = head(response).meta["description"]
    # Whole facts while they fit in 160 characters: the record would not.
    assert description == (
        "Renu syndrome: 4 symptoms listed, among them Seizure, Microcephaly and Global developmental delay; "
        "autosomal dominant inheritance; gene RENU1."
    )
    assert condition_of(json_ld(response))["description"] == description.removesuffix(".") + "; record OMIM:620851."


def test_meta_description_is_the_summary_cut_at_a_sentence_or_word(client, documents):
    description = head(client.get(ALPERS)).meta["description"]
    assert description == (
        "Alpers syndrome is a progressive neurologic disorder that begins during childhood and is "
        "complicated in many instances by serious liver disease."
    )
    alstrom = head(client.get(ALSTROM)).meta["description"]
    assert len(alstrom) <= 160 and alstrom.endswith("…")
    assert alstrom.startswith("Alström syndrome is a rare condition that affects many body systems.")


# -- sitemap ---------------------------------------------------------------------------------


LOC = re.compile(r"<loc>([^<]+)</loc>")


def sitemap_urls(client, path) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return LOC.findall(response.content.decode())


def test_sitemap_index_names_its_three_sections(client, documents):
    assert sitemap_urls(client, "/sitemap.xml") == [
        f"{BASE}/sitemap-pages.xml",
        f"{BASE}/sitemap-diseases.xml",
        f"{BASE}/sitemap-symptoms.xml",
    ]


def test_sitemap_lists_the_home_page_and_every_letter(client, documents):
    urls = sitemap_urls(client, "/sitemap-pages.xml")
    assert urls[0] == f"{BASE}/"
    assert urls[1:] == [f"{BASE}/diseases/letter/{letter}/" for letter in [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0-9"]]


def test_sitemap_lists_every_disease_and_every_current_symptom_and_each_one_answers(client, documents):
    make_term("HP:9999991", "Old term", is_obsolete=True, replaced_by="HP:0001251")
    diseases = sitemap_urls(client, "/sitemap-diseases.xml")
    symptoms = sitemap_urls(client, "/sitemap-symptoms.xml")
    assert sorted(diseases) == sorted(BASE + disease.get_absolute_url() for disease in Disease.objects.all())
    current = Phenotype.objects.filter(is_obsolete=False)
    assert sorted(symptoms) == sorted(BASE + term.get_absolute_url() for term in current)
    assert f"{BASE}/symptoms/HP:9999991/" not in symptoms
    for url in diseases + symptoms:
        assert client.get(url.removeprefix(BASE)).status_code == 200, url


def test_an_obsolete_terms_page_asks_not_to_be_indexed(client, documents):
    make_term("HP:9999991", "Old term", is_obsolete=True, replaced_by="HP:0001251")
    assert head(client.get("/symptoms/HP:9999991/")).meta["robots"] == "noindex"
    assert "robots" not in head(client.get("/symptoms/HP:0001251/")).meta


def test_lastmod_is_the_latest_section_date_or_editors_save(client, documents):
    body = client.get("/sitemap-diseases.xml").content.decode()
    assert f"<loc>{BASE}{ALPERS}</loc><lastmod>2020-07-01</lastmod>" in body
    assert f"<loc>{BASE}{ALSTROM}</loc></url>" in body  # its sections have no date: no lastmod
    index = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{BASE}/sitemap-diseases.xml</loc><lastmod>2020-07-01</lastmod>" in index

    alstrom = Disease.objects.get(slug="alstrom-syndrome")
    alstrom.last_reviewed = datetime.date(2026, 1, 2)
    alstrom.save()  # an editor's save is recorded in the history, with its time
    saved = alstrom.history.latest().history_date.date().isoformat()
    body = client.get("/sitemap-diseases.xml").content.decode()
    assert f"<loc>{BASE}{ALSTROM}</loc><lastmod>{saved}</lastmod>" in body


def test_sitemap_sections_are_split_into_pages_past_the_limit(client, documents, monkeypatch):
    monkeypatch.setattr(SymptomSitemap, "limit", 20)
    monkeypatch.setattr(DiseaseSitemap, "limit", 1)
    count = Phenotype.objects.filter(is_obsolete=False).count()
    pages = -(-count // 20)
    index = sitemap_urls(client, "/sitemap.xml")
    assert index == [
        f"{BASE}/sitemap-pages.xml",
        f"{BASE}/sitemap-diseases.xml",
        f"{BASE}/sitemap-diseases.xml?p=2",
        f"{BASE}/sitemap-symptoms.xml",
        *(f"{BASE}/sitemap-symptoms.xml?p={page}" for page in range(2, pages + 1)),
    ]
    listed = [url for page in range(1, pages + 1) for url in sitemap_urls(client, f"/sitemap-symptoms.xml?p={page}")]
    assert len(listed) == len(set(listed)) == count


@pytest.mark.parametrize("path", ["/sitemap-symptoms.xml?p=99", "/sitemap-symptoms.xml?p=x", "/sitemap-nothing.xml"])
def test_a_sitemap_page_that_does_not_exist_is_a_404(client, documents, path):
    assert client.get(path).status_code == 404


def test_sitemap_queries_do_not_grow_with_the_catalogue_and_the_result_is_cached(
    client, documents, django_assert_num_queries
):
    # content generation (gard/cache.py); count; the diseases with their latest section date and save.
    with django_assert_num_queries(3):
        client.get("/sitemap-diseases.xml")
    with django_assert_num_queries(1):  # the content generation: the page comes from the cache
        client.get("/sitemap-diseases.xml")
    # content generation; per section, what it needs for its entry: pages none; diseases a count and
    # the latest section date and save; symptoms a count.
    with django_assert_num_queries(5):
        client.get("/sitemap.xml")


def test_a_new_disease_is_in_the_sitemap_at_once(client, documents):
    client.get("/sitemap-diseases.xml")
    Disease.objects.create(name="Newly added disease")
    bump_content_generation()  # as an editor's save does (gard/signals.py)
    assert f"{BASE}/diseases/newly-added-disease/" in sitemap_urls(client, "/sitemap-diseases.xml")


# -- robots.txt ------------------------------------------------------------------------------


def robots_rules(text: str) -> list[tuple[str, str]]:
    rules = []
    for line in text.splitlines():
        field, _, value = line.partition(":")
        if field.strip().lower() in ("allow", "disallow"):
            rules.append((field.strip().lower(), value.strip()))
    return rules


def crawlable(rules, path: str) -> bool:
    """RFC 9309: the longest matching rule wins, Allow on a tie; * matches any characters."""
    best = ("allow", -1)
    for kind, pattern in rules:
        if not pattern:
            continue
        regex = "".join(".*" if char == "*" else re.escape(char) for char in pattern.rstrip("$"))
        matches = re.match(regex + ("$" if pattern.endswith("$") else ""), path)
        if matches and (len(pattern) > best[1] or (len(pattern) == best[1] and kind == "allow")):
            best = (kind, len(pattern))
    return best[0] == "allow"


def test_robots_txt_is_plain_text_for_every_crawler_with_the_sitemap(client, db):
    response = client.get("/robots.txt", headers={"host": "localhost"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=3600"
    text = response.content.decode()
    assert text.startswith("User-agent: *\n")
    assert "Sitemap: http://localhost/sitemap.xml" in text.splitlines()


def test_robots_txt_names_the_sitemap_with_the_scheme_the_request_came_over(client, db):
    text = client.get("/robots.txt", secure=True).content.decode()
    assert "Sitemap: https://testserver/sitemap.xml" in text.splitlines()


@pytest.mark.parametrize(
    "path, allowed",
    [
        ("/", True),
        ("/diseases/alpers-syndrome/", True),
        ("/diseases/letter/A/", True),
        ("/diseases/letter/A/?page=2", True),
        ("/symptoms/HP:0001251/", True),
        ("/symptoms/HP:0001251/?page=2", True),
        ("/sitemap.xml", True),
        ("/finder/", True),
        ("/admin/", False),
        ("/admin/gard/disease/", False),
        ("/search/?q=alpers", False),
        ("/search/suggest/?q=al", False),
        ("/diseases/alpers-syndrome/?q=seizure", False),
        ("/diseases/alpers-syndrome/?names=plain", False),
        ("/diseases/alpers-syndrome/symptoms.csv", False),
        ("/finder/?term=HP:0001250", False),
        ("/healthz/", False),
    ],
)
def test_robots_txt_keeps_crawlers_to_the_pages_worth_indexing(client, db, path, allowed):
    rules = robots_rules(client.get("/robots.txt").content.decode())
    assert crawlable(rules, path) is allowed


# -- titles, descriptions and canonical links on every page ------------------------------------


@pytest.fixture
def every_page_type(documents):
    """A site with a page of each type, paginated lists among them."""
    seizure = make_term("HP:0001250", "Seizure", reuse=True)
    seizure.definition = "A seizure is an intermittent abnormality of nervous system physiology."
    seizure.save()
    for number in range(101):  # two pages of the letter Z, two pages of the seizure's diseases
        disease = Disease.objects.create(name=f"Zeta disease {number:03}")
        make_annotation(disease, seizure)
    make_term("HP:9999991", "Old term", is_obsolete=True, replaced_by="HP:0001250")


PAGES = {
    "home": ("/", f"{BASE}/"),
    "letter": ("/diseases/letter/A/", f"{BASE}/diseases/letter/A/"),
    "letter page 2": ("/diseases/letter/Z/?page=2", f"{BASE}/diseases/letter/Z/?page=2"),
    "search form": ("/search/", f"{BASE}/search/"),
    "search results": ("/search/?q=alpers", f"{BASE}/search/?q=alpers"),
    "search results page 2": ("/search/?q=zeta&page=2", f"{BASE}/search/?q=zeta&page=2"),
    "Alpers syndrome": (ALPERS, BASE + ALPERS),
    "Alström syndrome": (ALSTROM, BASE + ALSTROM),
    "catalogue disease": ("/diseases/zeta-disease-000/", f"{BASE}/diseases/zeta-disease-000/"),
    "symptom": ("/symptoms/HP:0001250/", f"{BASE}/symptoms/HP:0001250/"),
    "symptom page 2": ("/symptoms/HP:0001250/?page=2", f"{BASE}/symptoms/HP:0001250/?page=2"),
    "symptom without definition": ("/symptoms/HP:0001251/", f"{BASE}/symptoms/HP:0001251/"),
    "obsolete symptom": ("/symptoms/HP:9999991/", f"{BASE}/symptoms/HP:9999991/"),
    "not found": ("/diseases/no-such-disease/", None),
}


def test_every_page_has_a_title_and_description_of_its_own(client, every_page_type):
    Phenotype.objects.filter(hpo_id="HP:0001251").update(definition="")
    titles, descriptions = {}, {}
    for name, (path, _) in PAGES.items():
        response = client.get(path)
        assert response.status_code == (404 if name == "not found" else 200), name
        found = head(response)
        title, description = found.title, found.meta["description"]
        assert title.endswith(" | Rare Disease Information"), title
        assert title.removesuffix(" | Rare Disease Information") not in ("", SITE_TITLE), name
        assert description and description != SITE_DESCRIPTION, name
        assert 40 <= len(description) <= 250, (name, description)
        assert found.meta["og:title"] == title.removesuffix(" | Rare Disease Information")
        assert found.meta["og:description"] == description
        titles.setdefault(title, []).append(name)
        descriptions.setdefault(description, []).append(name)
    assert [names for names in titles.values() if len(names) > 1] == []
    assert [names for names in descriptions.values() if len(names) > 1] == []


def test_pages_name_the_subject_in_their_title_and_description(client, every_page_type):
    alpers = head(client.get(ALPERS))
    assert alpers.title.startswith("Alpers syndrome")
    symptom = head(client.get("/symptoms/HP:0001250/"))
    assert symptom.title.startswith("Seizure (HP:0001250)")
    assert symptom.meta["description"] == (
        "Seizure: A seizure is an intermittent abnormality of nervous system physiology."
    )
    letter = head(client.get("/diseases/letter/Z/?page=2"))
    assert "page 2" in letter.title and "Z" in letter.title


@pytest.mark.parametrize("name", [name for name in PAGES if name != "not found"])
def test_every_page_has_an_absolute_canonical_link(client, every_page_type, name):
    path, canonical = PAGES[name]
    found = head(client.get(path))
    assert found.links["canonical"] == canonical
    assert found.meta["og:url"] == canonical


def test_the_not_found_page_has_no_canonical_link_and_asks_not_to_be_indexed(client, documents):
    found = head(client.get("/diseases/no-such-disease/"))
    assert "canonical" not in found.links
    assert found.meta["robots"] == "noindex"


@pytest.mark.parametrize(
    "path, canonical",
    [
        # A filtered, sorted or plain-names table is a view of the one disease page.
        (f"{ALPERS}?q=seizure", ALPERS),
        (f"{ALPERS}?frequency=frequent&frequency=occasional&sort=-name", ALPERS),
        (f"{ALPERS}?names=plain", ALPERS),
        (f"{ALPERS}?system=HP:0000707", ALPERS),
        # The first page of a list has no page number; a bad number shows (and points to) the first page.
        ("/diseases/letter/Z/?page=1", "/diseases/letter/Z/"),
        ("/diseases/letter/Z/?page=x", "/diseases/letter/Z/"),
        ("/diseases/letter/Z/?page=99", "/diseases/letter/Z/?page=2"),
        ("/diseases/letter/z/", "/diseases/letter/Z/"),
        ("/diseases/", "/diseases/letter/A/"),
        ("/symptoms/HP:0001250/?page=1", "/symptoms/HP:0001250/"),
        ("/symptoms/HP:0001250/?page=2&utm_source=x", "/symptoms/HP:0001250/?page=2"),
        ("/?utm_source=newsletter", "/"),
        ("/search/?q=alpers&page=1", "/search/?q=alpers"),
    ],
)
def test_variants_of_a_page_point_to_its_canonical_address(client, every_page_type, path, canonical):
    assert head(client.get(path)).links["canonical"] == BASE + canonical


def test_canonical_links_use_the_host_and_scheme_of_the_request(client, documents):
    found = head(client.get(ALPERS, secure=True, headers={"host": "localhost"}))
    assert found.links["canonical"] == f"https://localhost{ALPERS}"
    assert condition_of(json_ld(client.get(ALPERS)))["url"] == BASE + ALPERS


def test_the_print_stylesheet_is_linked_for_print_only(client, documents):
    html = client.get(ALPERS).content.decode()
    assert re.search(r'<link rel="stylesheet" href="/static/css/print\.css" media="print">', html)
