"""The symptom finder's page: terms in the address, adding them with and without JavaScript, the ranked
and explained results, paging, and the queries a page makes.

A small hand-made ontology and annotation set, built with the ORM; the statistics the HPO import
precomputes (ancestors, information content) are computed the same way, then the content generation is
raised so the finder's index is built from the finished data.

    Phenotypic abnormality HP:0000118
      Abnormality of the nervous system HP:0000707
        Seizure HP:0001250 (other names "Fits", plain language, and "Epileptic seizure"; older ID HP:0099999)
          Focal-onset seizure HP:0007359 (other name "Focal fit")
        Global developmental delay HP:0001263 (plain-language name "Slow development")
      Abnormality of the eye HP:0000478
        Blindness HP:0000618
    obsolete Convulsions HP:0100000, replaced by Seizure; obsolete Eye trouble HP:0100001, no replacement
"""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from gard.cache import bump_content_generation
from gard.finder.statistics import store_term_statistics
from gard.models import Annotation, Disease, Frequency, Phenotype
from tests.factories import add_diseases, make_annotation, make_term
from tests.html import assert_nothing_inline, element_text, page_text

pytestmark = pytest.mark.django_db

ROOT, NERVOUS, EYE = "HP:0000118", "HP:0000707", "HP:0000478"
SEIZURE, FOCAL, GDD, BLINDNESS = "HP:0001250", "HP:0007359", "HP:0001263", "HP:0000618"
OLD_SEIZURE, CONVULSIONS, EYE_TROUBLE, UNKNOWN = "HP:0099999", "HP:0100000", "HP:0100001", "HP:9999999"


def finish():
    """What the import does at its end: the finder's statistics, then a new content generation."""
    store_term_statistics(Phenotype, Annotation)
    bump_content_generation()


@pytest.fixture
def ontology():
    root = make_term(ROOT, "Phenotypic abnormality")
    nervous = make_term(NERVOUS, "Abnormality of the nervous system", parents=[root])
    eye = make_term(EYE, "Abnormality of the eye", parents=[root])
    seizure = make_term(
        SEIZURE,
        "Seizure",
        parents=[nervous],
        names=[("Fits", True), ("Epileptic seizure", False)],
        alt_ids=[OLD_SEIZURE],
    )
    focal = make_term(FOCAL, "Focal-onset seizure", parents=[seizure], names=[("Focal fit", False)])
    gdd = make_term(GDD, "Global developmental delay", parents=[nervous], names=[("Slow development", True)])
    blindness = make_term(BLINDNESS, "Blindness", parents=[eye])
    make_term(CONVULSIONS, "obsolete Convulsions", is_obsolete=True, replaced_by=SEIZURE)
    make_term(EYE_TROUBLE, "obsolete Eye trouble", is_obsolete=True)
    return {"seizure": seizure, "focal": focal, "gdd": gdd, "blindness": blindness, "nervous": nervous}


@pytest.fixture
def diseases(ontology):
    """Four diseases whose fit to a patient with a focal-onset seizure and blindness is known."""
    alpha = Disease.objects.create(name="Alpha syndrome")  # a broader seizure, and developmental delay
    make_annotation(alpha, ontology["seizure"], Frequency.FREQUENT, imported=False)
    make_annotation(alpha, ontology["gdd"], Frequency.VERY_FREQUENT, imported=False)
    beta = Disease.objects.create(name="Beta syndrome")  # exactly the focal-onset seizure
    make_annotation(beta, ontology["focal"], Frequency.OBLIGATE, imported=False)
    gamma = Disease.objects.create(name="Gamma syndrome")  # a seizure, and NOT blindness
    make_annotation(gamma, ontology["seizure"], Frequency.FREQUENT, imported=False)
    make_annotation(gamma, ontology["blindness"], Frequency.EXCLUDED, negated=True, imported=False)
    delta = Disease.objects.create(name="Delta disease")  # exactly the blindness
    make_annotation(delta, ontology["blindness"], Frequency.OCCASIONAL, imported=False)
    finish()
    return {"alpha": alpha, "beta": beta, "gamma": gamma, "delta": delta}


def finder(client, *terms, **params):
    response = client.get("/finder/", [*(("term", term) for term in terms), *params.items()])
    assert response.status_code == 200
    return response


def hidden_terms(response) -> list[str]:
    return re.findall(r'<input type="hidden" name="term" value="([^"]+)">', response.content.decode())


def result_items(response) -> list[str]:
    """The text of each result, in order."""
    html = response.content.decode()
    return [
        page_text_of(item) for item in re.findall(r'<li class="finder-result">(.*?)</ul>\s*(?:<p|</li>)', html, re.S)
    ]


def page_text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def links(response) -> dict[str, str]:
    """Each link's text (tags dropped, whitespace collapsed) and its address, unescaped."""
    html = response.content.decode()
    found = {}
    for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', html, re.S):
        found[page_text_of(text)] = href.replace("&amp;", "&")
    return found


def terms_of(url: str) -> list[str]:
    return [value for name, value in parse_qsl(urlsplit(url).query) if name == "term"]


# -- the address: the chosen terms, shared and read back ----------------------------------------------


def test_the_address_holds_the_query_and_the_page_carries_it_unchanged(client, diseases):
    response = finder(client, GDD, SEIZURE)
    assert hidden_terms(response) == [GDD, SEIZURE]  # the form adds to these, in this order
    chosen = element_text(response, "finder-chosen")
    assert "Global developmental delay HP:0001263" in chosen
    assert "Seizure HP:0001250" in chosen
    # Reading the address back from the page's own form gives the same page.
    again = client.get("/finder/?" + urlencode([("term", term) for term in hidden_terms(response)]))
    assert page_text(again) == page_text(response)


def test_spellings_of_one_term_collapse_and_links_use_its_current_id(client, diseases):
    response = finder(client, "hp:1250", SEIZURE, "HP_0001250", " 0001250 ", OLD_SEIZURE, GDD)
    assert hidden_terms(response) == [SEIZURE, GDD]
    assert "The patient's symptoms (2)" in page_text(response)


def test_an_older_id_leads_to_the_current_term_with_a_notice(client, diseases):
    response = finder(client, OLD_SEIZURE)
    assert hidden_terms(response) == [SEIZURE]
    notices = element_text(response, "finder-notices")
    assert "HP:0099999 is an older ID: it is now HP:0001250 Seizure , which is used instead." in notices


def test_an_obsolete_term_is_left_out_and_its_replacement_offered(client, diseases):
    response = finder(client, GDD, CONVULSIONS)
    assert hidden_terms(response) == [GDD]
    text = page_text(response)
    assert "HP:0100000 obsolete Convulsions is an obsolete term and was left out." in text
    assert "HPO replaces it with Seizure (HP:0001250)" in text
    assert terms_of(links(response)["Add Seizure"]) == [GDD, SEIZURE]


def test_an_obsolete_term_whose_replacement_is_chosen_says_so(client, diseases):
    text = page_text(finder(client, SEIZURE, CONVULSIONS))
    assert "HPO replaces it with Seizure (HP:0001250), which is already on the list." in text


def test_an_obsolete_term_without_replacement_is_reported(client, diseases):
    response = finder(client, EYE_TROUBLE)
    assert hidden_terms(response) == []
    assert "HP:0100001 obsolete Eye trouble is an obsolete term and was left out." in page_text(response)


def test_unknown_and_malformed_values_are_reported_and_ignored(client, diseases):
    response = finder(client, UNKNOWN, "seizure<b>", "HP:00012", "12", SEIZURE)
    assert hidden_terms(response) == [SEIZURE]
    text = page_text(response)
    assert "No HPO term has the ID HP:9999999; it was left out." in text
    assert "“seizure<b>” is not an HPO ID" in text
    assert "seizure&lt;b&gt;" in response.content.decode()  # escaped, never markup
    assert "“HP:00012” is not an HPO ID" in text  # cut short: not padded to HP:0000012
    assert "“12” is not an HPO ID" in text  # bare digits are not an ID unless seven


def test_only_the_first_fifty_terms_are_used(client, diseases):
    Phenotype.objects.bulk_create(
        Phenotype(hpo_id=f"HP:{number:07}", name=f"Extra {number}", search_name=f"extra {number}")
        for number in range(3000001, 3000056)
    )
    finish()
    response = finder(client, *(f"HP:{number:07}" for number in range(3000001, 3000056)))
    assert len(hidden_terms(response)) == 50
    assert "Only the first 50 symptoms are used; 5 more were left out." in page_text(response)
    # With fifty chosen, adding another is refused with a message, not a larger query.
    full = client.get(response.request["PATH_INFO"] + "?" + response.request["QUERY_STRING"] + "&add=Seizure")
    assert full.status_code == 200
    assert "There are already 50 symptoms, the most the finder uses." in page_text(full)


# -- picking terms without JavaScript ----------------------------------------------------------------


def test_text_lists_matching_terms_each_with_a_link_that_adds_it(client, diseases):
    response = finder(client, GDD, add="fit")
    candidates = element_text(response, "finder-candidates-heading")
    assert candidates == "Symptoms matching “fit”"
    text = page_text(response)
    assert "Seizure HP:0001250 (matched its plain-language name “Fits”)" in text
    assert "Focal-onset seizure HP:0007359 (matched its other name “Focal fit”)" in text
    add = links(response)["Add Seizure"]
    assert terms_of(add) == [GDD, SEIZURE]
    after = client.get(add)
    assert hidden_terms(after) == [GDD, SEIZURE]


def test_chosen_terms_are_not_offered_again(client, diseases):
    response = finder(client, SEIZURE, add="fit")
    assert "Add Seizure" not in links(response)
    assert "Add Focal-onset seizure" in links(response)


def test_an_exact_id_or_unique_name_adds_the_term_at_once(client, diseases):
    for text in (GDD, "hp:1263", "global developmental delay", "Slow development"):
        response = client.get("/finder/", {"term": SEIZURE, "add": text})
        assert response.status_code == 302, text
        assert terms_of(response["Location"]) == [SEIZURE, GDD], text
    response = client.get("/finder/", {"add": OLD_SEIZURE})  # an older ID adds the current term
    assert terms_of(response["Location"]) == [SEIZURE]


def test_an_unknown_or_obsolete_id_to_add_says_why_nothing_was_added(client, diseases):
    response = finder(client, GDD, add=UNKNOWN)
    assert hidden_terms(response) == [GDD]
    assert "No HPO term has the ID HP:9999999; it was left out." in page_text(response)
    response = finder(client, GDD, add=CONVULSIONS)
    assert "is an obsolete term and was left out" in page_text(response)
    assert terms_of(links(response)["Add Seizure"]) == [GDD, SEIZURE]


def test_text_that_matches_nothing_says_so(client, diseases):
    response = finder(client, add="zzzz")
    assert "No symptom matches “zzzz”" in page_text(response)


def test_an_overlong_text_is_refused_with_a_message(client, diseases):
    response = finder(client, SEIZURE, add="x" * 300)
    assert "Ensure this value has at most 200 characters" in page_text(response)
    assert hidden_terms(response) == [SEIZURE]


# -- suggestions, for the script ---------------------------------------------------------------------


def suggestions(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_the_input_asks_for_suggestions_with_the_chosen_terms(client, diseases):
    html = finder(client, SEIZURE, GDD).content.decode()
    assert 'data-suggest="/finder/suggest/?term=HP%3A0001250&amp;term=HP%3A0001263"' in html


def test_suggestions_cover_names_plain_language_names_and_ids(client, diseases):
    by_name = suggestions(client, "/finder/suggest/?q=global")["suggestions"]
    assert [item["label"] for item in by_name] == ["Global developmental delay (HP:0001263)"]
    plain = suggestions(client, "/finder/suggest/?q=slow")["suggestions"]
    assert plain[0]["label"] == "Slow development (plain-language name of Global developmental delay, HP:0001263)"
    assert plain[0]["matched"] == "Slow development" and plain[0]["layperson"] is True
    by_id = suggestions(client, f"/finder/suggest/?q={GDD}")["suggestions"]
    assert [item["hpo_id"] for item in by_id] == [GDD]
    older = suggestions(client, f"/finder/suggest/?q={OLD_SEIZURE}")["suggestions"]
    assert [item["label"] for item in older] == ["Seizure (HP:0001250, formerly HP:0099999)"]
    typing = suggestions(client, "/finder/suggest/?q=HP:000126")["suggestions"]
    assert [item["hpo_id"] for item in typing] == [GDD]  # the IDs that begin so


def test_names_beginning_with_the_text_come_before_other_matches(client, ontology):
    make_term("HP:0003502", "Mild short stature")
    make_term("HP:0008848", "Proportionate short stature", names=[("Short stature, proportionate", False)])
    make_term("HP:0004322", "Short stature", names=[("Small stature", True)])
    labels = [item["label"] for item in suggestions(client, "/finder/suggest/?q=short stat")["suggestions"]]
    assert labels == [
        "Short stature (HP:0004322)",  # its name begins with the text
        "Proportionate short stature (HP:0008848)",  # an other name begins with it ("Short stature, proportionate")
        "Mild short stature (HP:0003502)",  # the words elsewhere in the name
    ]
    response = finder(client, add="small stat")
    assert "Short stature HP:0004322 (matched its plain-language name “Small stature”)" in page_text(response)


def test_each_suggestion_is_the_finder_with_its_term_added(client, diseases):
    data = suggestions(client, f"/finder/suggest/?term={SEIZURE}&q=slow")
    assert data["query"] == "slow"
    assert terms_of(data["suggestions"][0]["url"]) == [SEIZURE, GDD]
    assert urlsplit(data["suggestions"][0]["url"]).path == "/finder/"
    # Chosen terms are not suggested again.
    assert suggestions(client, f"/finder/suggest/?term={SEIZURE}&q=seizure")["suggestions"][0]["hpo_id"] == FOCAL


def test_suggestions_read_a_query_appended_with_a_second_question_mark(client, diseases):
    data = suggestions(client, f"/finder/suggest/?term={SEIZURE}?q=slow")
    assert data["query"] == "slow"
    assert terms_of(data["suggestions"][0]["url"]) == [SEIZURE, GDD]


def test_short_or_empty_queries_suggest_nothing(client, diseases):
    assert suggestions(client, "/finder/suggest/?q=s") == {"query": "s", "suggestions": []}
    assert suggestions(client, "/finder/suggest/") == {"query": "", "suggestions": []}


# -- the chosen terms: remove and clear ---------------------------------------------------------------


def test_each_term_has_a_remove_link_and_there_is_clear_all(client, diseases):
    response = finder(client, SEIZURE, GDD, BLINDNESS)
    found = links(response)
    assert terms_of(found["Remove Global developmental delay"]) == [SEIZURE, BLINDNESS]
    assert terms_of(found["Remove Seizure"]) == [GDD, BLINDNESS]
    assert found["Clear all"] == "/finder/"
    empty = client.get(found["Clear all"])
    assert "None yet." in element_text(empty, "finder-chosen")
    assert "diseases match" not in page_text(empty)


# -- the results ---------------------------------------------------------------------------------


def test_results_rank_the_diseases_and_say_which_term_matched_which(client, diseases):
    response = finder(client, FOCAL, BLINDNESS)
    assert element_text(response, "finder-results-heading") == "3 diseases match these 2 symptoms"
    items = result_items(response)
    names = [re.match(r"\d+\. (.+?) Score", item).group(1) for item in items]
    # Beta has the patient's most specific term itself, in everyone with it. Gamma's seizure is outweighed
    # by the blindness it is recorded NOT to have, so it scores 0 or less and is not listed.
    assert names[0] == "Beta syndrome"
    assert set(names) == {"Alpha syndrome", "Beta syndrome", "Delta disease"}
    assert [item.split(".")[0] for item in items] == ["1", "2", "3"]
    text = {name: item for name, item in zip(names, items, strict=True)}
    assert "Focal-onset seizure: exact, the disease has this symptom (obligate, 100%)" in text["Beta syndrome"]
    assert "Focal-onset seizure: the disease has the broader Seizure (frequent, 30%-79%)" in text["Alpha syndrome"]
    assert "Blindness: exact, the disease has this symptom (occasional, 5%-29%)" in text["Delta disease"]
    assert re.search(r"Score \d+\.\d\b", text["Beta syndrome"])
    assert "Not matched: Blindness." in page_text(response)
    found = links(response)
    assert found["Beta syndrome"] == diseases["beta"].get_absolute_url()


def test_a_not_annotation_is_shown_as_counting_against(client, diseases, ontology):
    # Blindness made common, so that a disease recorded NOT to have it can still score above 0.
    for number in range(3):
        make_annotation(
            Disease.objects.create(name=f"Blind {number}"), ontology["blindness"], Frequency.FREQUENT, imported=False
        )
    epsilon = Disease.objects.create(name="Epsilon syndrome")
    make_annotation(epsilon, ontology["focal"], Frequency.OBLIGATE, imported=False)
    make_annotation(epsilon, ontology["gdd"], Frequency.OBLIGATE, imported=False)
    make_annotation(epsilon, ontology["blindness"], Frequency.EXCLUDED, negated=True, imported=False)
    finish()
    items = result_items(finder(client, FOCAL, GDD, BLINDNESS))
    item = next(item for item in items if "Epsilon syndrome" in item)
    assert "Blindness: reported absent in this disease, counts against it" in item
    assert "Focal-onset seizure: exact, the disease has this symptom (obligate, 100%)" in item


def test_a_more_general_patient_term_names_the_diseases_more_specific_one(client, diseases):
    items = result_items(finder(client, SEIZURE))
    beta = next(item for item in items if "Beta syndrome" in item)
    assert "Seizure: the disease has the more specific Focal-onset seizure (obligate, 100%)" in beta


def test_no_terms_shows_how_to_start_and_no_results(client, diseases):
    response = finder(client)
    assert "None yet." in page_text(response)
    assert 'id="finder-results-heading"' not in response.content.decode()


def test_terms_no_disease_has_say_so(client, diseases):
    make_term("HP:0000001", "All")
    finish()
    response = finder(client, "HP:0000001")
    assert element_text(response, "finder-results-heading") == "0 diseases match this 1 symptom"
    assert "No disease in the catalogue has these symptoms" in page_text(response)


@pytest.fixture
def many(ontology):
    """45 diseases with a seizure: three pages of results (and 5 without, or a seizure would tell nothing)."""
    for number in range(5):
        make_annotation(
            Disease.objects.create(name=f"Blind {number}"), ontology["blindness"], Frequency.FREQUENT, imported=False
        )
    # Names without a type number (numbered types are listed together): "Syndrome aa", "Syndrome ab"…
    syndromes = add_diseases(f"Syndrome {chr(97 + number // 26)}{chr(97 + number % 26)}" for number in range(45))
    Annotation.objects.bulk_create(
        Annotation(disease=disease, phenotype=ontology["seizure"], frequency=Frequency.FREQUENT)
        for disease in syndromes
    )
    finish()


def test_results_come_twenty_to_a_page_with_links_to_the_others(client, many):
    first = finder(client, SEIZURE)
    assert element_text(first, "finder-results-heading") == "45 diseases match this 1 symptom"
    assert len(result_items(first)) == 20
    assert "Showing 1 to 20, page 1 of 3." in page_text(first)
    found = links(first)
    assert "Previous page" not in found
    second = client.get(found["Next page"])
    assert terms_of(found["Next page"]) == [SEIZURE]
    items = result_items(second)
    assert len(items) == 20 and items[0].startswith("21. ")
    assert '<ol class="finder-list" start="21">' in second.content.decode()
    assert terms_of(links(second)["Previous page"]) == [SEIZURE]
    last = client.get(links(second)["Next page"])
    assert len(result_items(last)) == 5
    assert "Next page" not in links(last)


@pytest.mark.parametrize("page", ["0", "-1", "abc", "4", "999999", "1e3", "", "9" * 30])
def test_bad_page_numbers_give_a_clean_page(client, many, page):
    response = finder(client, SEIZURE, page=page)
    number = re.search(r"page (\d+) of 3\.", page_text(response)).group(1)
    assert number in ("1", "3")
    assert len(result_items(response)) in (20, 5)


# -- structure, inline code and queries ---------------------------------------------------------------


@pytest.mark.parametrize("params", [{}, {"term": [FOCAL, BLINDNESS]}, {"term": [GDD, "x"], "add": "fit"}])
def test_the_page_has_one_h1_ordered_headings_and_no_inline_script_or_style(client, diseases, params):
    response = client.get("/finder/", params)
    assert_nothing_inline(response)
    html = response.content.decode()
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]
    assert levels.count(1) == 1 and levels[0] == 1
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, levels
    assert "<title>Symptom finder" in html
    assert '<meta name="description" content="' in html
    for control_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html):
        assert f'for="{control_id}"' in html, control_id


def test_the_header_links_to_the_finder(client, diseases):
    assert links(client.get("/"))["Symptom finder"] == "/finder/"


def test_the_title_names_the_terms(client, diseases):
    html = finder(client, SEIZURE, GDD).content.decode()
    assert "<title>Symptom finder: Seizure, Global developmental delay | Rare Disease Information</title>" in html


def test_a_ten_term_page_makes_a_fixed_number_of_queries(client, diseases, django_assert_num_queries):
    nervous = ontology_term(NERVOUS)
    extra = [make_term(f"HP:{number:07}", f"Extra sign {number}", parents=[nervous]) for number in range(1, 7)]
    for term in extra:
        make_annotation(diseases["beta"], term, Frequency.OCCASIONAL, imported=False)
    finish()
    terms = [NERVOUS, GDD, FOCAL, BLINDNESS, *(term.hpo_id for term in extra)]
    assert len(terms) == 10
    finder(client, SEIZURE)  # the finder's index is built once per content generation, not per page
    # content generation (gard/cache.py, read once: the finder's index checks the number the page's request
    # read); the terms by ID (no older IDs to look up: all are current); the diseases of the page; the
    # diseases' matched terms that are not the patient's (Seizure, broader than the patient's Focal-onset
    # seizure).
    with django_assert_num_queries(4):
        response = finder(client, *terms)
    assert len(hidden_terms(response)) == 10
    items = result_items(response)
    assert len(items) >= 3
    assert any("the disease has the broader Seizure" in item for item in items)


def ontology_term(hpo_id):
    return Phenotype.objects.get(hpo_id=hpo_id)
