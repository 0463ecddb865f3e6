"""The symptom finder with absent symptoms, 0% annotations, numbered types listed together, and GA4GH
phenopackets in and out, on a small hand-made ontology:

    Phenotypic abnormality HP:0000118
      Abnormality of the nervous system HP:0000707
        Seizure HP:0001250
        Global developmental delay HP:0001263
      Abnormality of the eye HP:0000478
        Blindness HP:0000618
"""

import json
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from google.protobuf import json_format
from phenopackets.schema.v2 import Phenopacket

from gard.cache import bump_content_generation
from gard.finder import rank
from gard.finder.statistics import store_term_statistics
from gard.models import Annotation, Disease, Frequency, Phenotype
from tests.factories import make_annotation, make_term
from tests.html import element_text, page_text

pytestmark = pytest.mark.django_db

SEIZURE, GDD, BLINDNESS, UNKNOWN = "HP:0001250", "HP:0001263", "HP:0000618", "HP:9999999"


def finish():
    store_term_statistics(Phenotype, Annotation)
    bump_content_generation()


@pytest.fixture
def terms():
    root = make_term("HP:0000118", "Phenotypic abnormality")
    nervous = make_term("HP:0000707", "Abnormality of the nervous system", parents=[root])
    eye = make_term("HP:0000478", "Abnormality of the eye", parents=[root])
    return {
        "seizure": make_term(SEIZURE, "Seizure", parents=[nervous]),
        "gdd": make_term(GDD, "Global developmental delay", parents=[nervous]),
        "blindness": make_term(BLINDNESS, "Blindness", parents=[eye]),
    }


def disease(name, *rows):
    found = Disease.objects.create(name=name)
    for term, frequency, *raw in rows:
        make_annotation(found, term, frequency, raw[0] if raw else "", imported=False)
    return found


@pytest.fixture
def catalogue(terms):
    """Three diseases with seizures; Often has blindness in most people, Seldom in few, Never in 0% of them."""
    seizure, gdd, blindness = terms["seizure"], terms["gdd"], terms["blindness"]
    made = {
        "often": disease("Often syndrome", (seizure, Frequency.FREQUENT), (blindness, Frequency.VERY_FREQUENT)),
        "seldom": disease("Seldom syndrome", (seizure, Frequency.FREQUENT), (blindness, Frequency.OCCASIONAL)),
        "never": disease("Never syndrome", (seizure, Frequency.FREQUENT), (blindness, Frequency.EXCLUDED, "0/12")),
        "delay": disease("Delay disease", (gdd, Frequency.FREQUENT)),
    }
    finish()
    return made


def names(ranking) -> list[str]:
    return [result.disease.name for result in ranking[:]]


def scores(ranking) -> dict[str, float]:
    return {result.disease.name: result.score for result in ranking[:]}


def test_a_symptom_recorded_in_no_one_counts_against_the_disease(terms, catalogue):
    ranking = rank([terms["seizure"], terms["blindness"]])
    assert names(ranking)[:2] == ["Often syndrome", "Seldom syndrome"]
    found = scores(ranking)
    assert "Never syndrome" not in found or found["Never syndrome"] < found["Seldom syndrome"]
    # The same disease without the 0/12 row would score above the seizure alone: the row lowers it.
    alone = scores(rank([terms["seizure"]]))
    assert found.get("Never syndrome", 0) < alone["Never syndrome"]


def test_an_absent_symptom_lowers_the_diseases_that_have_it_the_more_the_more_often(terms, catalogue):
    present = scores(rank([terms["seizure"]]))
    without = scores(rank([terms["seizure"]], absent=[terms["blindness"]]))
    often_loss = present["Often syndrome"] - without.get("Often syndrome", 0)
    seldom_loss = present["Seldom syndrome"] - without.get("Seldom syndrome", 0)
    assert often_loss > seldom_loss > 0
    assert without["Never syndrome"] == present["Never syndrome"]  # its sources agree: no one has it
    assert names(rank([terms["seizure"]], absent=[terms["blindness"]]))[0] == "Never syndrome"


def test_a_term_named_present_and_absent_counts_as_present(terms, catalogue):
    both = rank([terms["blindness"]], absent=[terms["blindness"]])
    assert scores(both) == scores(rank([terms["blindness"]]))


def test_numbered_types_of_one_disease_are_listed_together_best_first(client, terms):
    seizure, gdd = terms["seizure"], terms["gdd"]
    disease("Example syndrome 1", (seizure, Frequency.OCCASIONAL))
    disease("Example syndrome 2", (seizure, Frequency.OBLIGATE), (gdd, Frequency.OBLIGATE))
    disease("Example syndrome 3", (seizure, Frequency.FREQUENT))
    disease("Other disease", (seizure, Frequency.FREQUENT), (gdd, Frequency.OCCASIONAL))
    disease("Eye disease", (terms["blindness"], Frequency.FREQUENT))  # so that a seizure tells something
    finish()
    response = client.get("/finder/", [("term", SEIZURE), ("term", GDD)])
    results = element_text(response, "finder-results")
    assert "4 diseases match these 2 symptoms" in results
    assert "Example syndrome: 3 types match (the best first) 1. Example syndrome 2" in results
    assert "The other 2 types of Example syndrome" in results
    assert results.index("Example syndrome 3") < results.index("Example syndrome 1")
    assert "2. Other disease" in results
    assert "% of the first result's" in results


# -- the page: absent symptoms in the address ---------------------------------------------------------


def query_of(url: str) -> list[tuple[str, str]]:
    return [(name, value) for name, value in parse_qsl(urlsplit(url).query) if name in ("term", "not")]


def test_absent_symptoms_are_in_the_address_listed_apart_and_explained(client, catalogue):
    response = client.get("/finder/", [("term", SEIZURE), ("not", BLINDNESS)])
    chosen = element_text(response, "finder-chosen")
    assert "Has Seizure HP:0001250" in chosen
    assert "Does not have Blindness HP:0000618" in chosen
    results = element_text(response, "finder-results")
    # Often syndrome's blindness (80%-99%) outweighs its one seizure: it scores below 0 and is not listed.
    assert "2 diseases match this 1 symptom (and 1 absent)" in results
    assert "Often syndrome" not in results
    assert "No blindness: the disease has this symptom, counts against it (occasional, 5%-29%)" in results
    assert "No blindness: its sources also say it is absent in this disease" in results
    assert results.index("Never syndrome") < results.index("Seldom syndrome")
    # Without the absent symptom it is listed.
    assert "Often syndrome" in element_text(client.get("/finder/", [("term", SEIZURE)]), "finder-results")


def test_adding_a_symptom_as_absent_and_switching_it_back(client, catalogue):
    added = client.get("/finder/", [("term", SEIZURE), ("add", BLINDNESS), ("as", "absent")])
    assert added.status_code == 302
    assert query_of(added.url) == [("term", SEIZURE), ("not", BLINDNESS)]
    page = client.get(added.url).content.decode()
    switch = page.split('class="finder-switch" href="')[2].split('"')[0].replace("&amp;", "&")
    assert query_of(switch) == [("term", SEIZURE), ("term", BLINDNESS)]


def test_a_results_page_with_absent_symptoms_makes_a_fixed_number_of_queries(
    client, catalogue, django_assert_num_queries
):
    client.get("/finder/", [("term", SEIZURE)])  # the index is built once per content generation
    # content generation; the present terms by ID; the absent terms by ID; the page's diseases (the terms
    # they matched are the patient's own, so no lookup of other terms)
    with django_assert_num_queries(4):
        response = client.get("/finder/", [("term", SEIZURE), ("term", GDD), ("not", BLINDNESS)])
    assert "Never syndrome" in page_text(response)


# -- phenopackets in and out ----------------------------------------------------------------------------


def upload(client, content: bytes, name="case.json"):
    return client.post("/finder/phenopacket/", {"file": SimpleUploadedFile(name, content, "application/json")})


def packet(*features, **extra) -> bytes:
    return json.dumps(
        {
            "id": "case-1",
            "phenotypicFeatures": [
                {"type": {"id": term, "label": term}, **({"excluded": True} if excluded else {})}
                for term, excluded in features
            ],
            "metaData": {"created": "2024-01-01T00:00:00Z", "phenopacketSchemaVersion": "2.0"},
            **extra,
        }
    ).encode()


def test_a_phenopacket_opens_the_finder_with_its_observed_and_excluded_terms(client, catalogue):
    response = upload(client, packet((SEIZURE, False), (BLINDNESS, True), (GDD, False)))
    assert response.status_code == 303
    assert query_of(response.url) == [("term", SEIZURE), ("term", GDD), ("not", BLINDNESS)]


def test_the_query_downloads_as_a_valid_phenopacket_that_opens_the_same_query(client, catalogue):
    response = client.get("/finder/phenopacket.json", [("term", SEIZURE), ("not", BLINDNESS)])
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    message = json_format.ParseDict(document, Phenopacket(), ignore_unknown_fields=False)
    assert [(f.type.id, f.excluded) for f in message.phenotypic_features] == [(SEIZURE, False), (BLINDNESS, True)]
    assert message.meta_data.phenopacket_schema_version == "2.0"
    assert [r.namespace_prefix for r in message.meta_data.resources] == ["HP"]
    again = upload(client, response.content)
    assert query_of(again.url) == [("term", SEIZURE), ("not", BLINDNESS)]


def test_the_finder_page_links_the_download_of_its_query(client, catalogue):
    page = client.get("/finder/", [("term", SEIZURE), ("not", BLINDNESS)]).content.decode()
    href = page.split('class="finder-download" href="')[1].split('"')[0].replace("&amp;", "&")
    assert href.startswith("/finder/phenopacket.json?")
    assert query_of(href) == [("term", SEIZURE), ("not", BLINDNESS)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "The file is not JSON: line 1, column 2"),
        (b"[1, 2]", "a phenopacket is a JSON object"),
        (packet((SEIZURE, False), colour="blue"), "The file is not a Phenopacket v2"),
        (json.dumps({"phenotypicFeatures": [{"type": {"id": 5}}]}).encode(), "The file is not a Phenopacket v2"),
        (b" " * 1_000_001, "larger than 1 MB"),
        (b"", "file is empty"),
        (b"\xff\xfe\x00{", "not UTF-8"),
        (packet(), "The file has no phenotypic features"),
        (packet((UNKNOWN, False)), "None of the file's HPO terms is in the release"),
        (
            json.dumps({"id": "x", "metaData": {"phenopacketSchemaVersion": "1.0"}}).encode(),
            "version 1.0 file; the finder reads version 2",
        ),
    ],
)
def test_a_bad_phenopacket_gets_a_clear_message_and_nothing_is_kept(client, catalogue, content, message):
    response = upload(client, content)
    assert response.status_code == 400
    assert message in element_text(response, "finder-file-problem")
    assert "finder-results" not in response.content.decode()


def test_a_request_far_larger_than_a_phenopacket_is_refused_before_it_is_read(client, catalogue):
    response = upload(client, b" " * 3_000_000)
    assert response.status_code == 413
    assert "larger than 1 MB (3.0 MB)" in element_text(response, "finder-file-problem")


def test_the_upload_takes_post_only(client, catalogue):
    assert client.get("/finder/phenopacket/").status_code == 405
