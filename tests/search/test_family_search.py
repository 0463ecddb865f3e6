"""Search as families type it: other names and abbreviations, possessives, British spellings, hyphens and
joined words, numerals in types, misspellings ("Showing results for … Search instead for …"), the main
disease before its subtypes, and results that say what each disease is and why it matched."""

import pytest

from gard.models import Disease, Section, SectionKind, Synonym
from gard.search.words import american, canonical_words, compact, loose, phrase, tokens
from tests.factories import make_disease, make_term
from tests.html import page_text, result_names

pytestmark = pytest.mark.django_db


def search(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response


def first(client, query) -> str:
    names = result_names(search(client, query))
    return names[0] if names else ""


def suggestions(client, query) -> list[dict]:
    return client.get("/search/suggest/", {"q": query}).json()["suggestions"]


# -- words as search compares them ------------------------------------------------------------


@pytest.mark.parametrize(
    "british, american_spelling",
    [
        ("haemophilia", "hemophilia"),
        ("anaemia", "anemia"),
        ("oedema", "edema"),
        ("oesophageal", "esophageal"),
        ("leukaemia", "leukemia"),
        ("paediatric", "pediatric"),
        ("tumour", "tumor"),
        ("diarrhoea", "diarrhea"),
        ("coeliac", "celiac"),
        ("leucodystrophy", "leukodystrophy"),
        ("fibre", "fiber"),
        ("sulphate", "sulfate"),
        ("haemorrhagic", "hemorrhagic"),
    ],
)
def test_british_spellings_read_as_american_ones(british, american_spelling):
    assert american(british) == american_spelling
    assert american(american_spelling) == american_spelling


@pytest.mark.parametrize("word", ["four", "hour", "your", "toe", "does", "coenzyme", "aerobic"])
def test_words_that_only_look_british_are_left_alone(word):
    assert american(word) == word


@pytest.mark.parametrize(
    "name, words",
    [
        ("Glycogen storage disease type Ia", "glycogen storage disease type 1a"),
        ("Glycogen storage disease type 1A", "glycogen storage disease type 1a"),
        ("Mucopolysaccharidosis type II", "mucopolysaccharidosis type 2"),
        ("MPS IV", "mps 4"),
        ("Ehlers-Danlos syndrome type III", "ehlers danlos syndrome type 3"),
        ("Fragile X syndrome", "fragile x syndrome"),  # one letter is a numeral only in a type
        ("Vitamin D-dependent rickets", "vitamin d dependent rickets"),
        ("Huntington's disease", "huntington disease"),
        ("Alpers' disease", "alpers disease"),
    ],
)
def test_numerals_in_types_and_possessives_are_read_alike(name, words):
    assert phrase(name) == words


def test_hyphens_spaces_and_joined_words_make_one_key():
    keys = {compact(canonical_words(tokens(name))) for name in ["Tay-Sachs disease", "tay sachs disease", "Taysachs"]}
    assert keys == {"taysachsdisease", "taysachs"}
    assert compact(canonical_words(tokens("Neurofibromatosis type 1"))) == compact(["neurofibromatosis", "1"])
    assert loose(["morquio", "syndrome"]) == loose(["morquio", "disease"]) == "morquio"


# -- names families use ----------------------------------------------------------------------------


@pytest.fixture
def pku(db):
    main = make_disease("Phenylketonuria", other_names=["PKU"])
    make_disease("Maternal phenylketonuria", other_names=["Maternal PKU syndrome"])
    make_disease("Dihydropteridine reductase deficiency", other_names=["PKU type 2"])
    return main


def test_an_abbreviation_puts_its_disease_first_and_says_why(client, pku):
    response = search(client, "PKU")
    assert result_names(response)[0] == "Phenylketonuria"
    assert "Also called PKU" in page_text(response)


def test_an_older_name_puts_its_disease_first(client):
    make_disease("Amyotrophic lateral sclerosis", other_names=["ALS", "Lou Gehrig disease"])
    make_disease("Alström syndrome")
    make_disease("Juvenile amyotrophic lateral sclerosis", other_names=["Juvenile Lou Gehrig disease"])
    for query in ["ALS", "Lou Gehrig disease", "lou gehrig's disease", "Lou Gehrigs disease"]:
        assert first(client, query) == "Amyotrophic lateral sclerosis", query


@pytest.mark.parametrize("query", ["marfan", "Marfan's", "marfans", "marfan's syndrome", "Marfans syndrome", "MARFAN"])
def test_possessives_with_or_without_the_apostrophe_find_the_disease(client, query):
    make_disease("Marfanoid habitus with situs inversus")
    make_disease("Marfan lipodystrophy syndrome")
    make_disease("Marfan syndrome")
    assert first(client, query) == "Marfan syndrome"


def test_downs_finds_down_syndrome_in_results_and_suggestions(client):
    make_disease("D-lactic aciduria with susceptibility to gout")
    make_disease("Down syndrome", other_names=["Trisomy 21"])
    assert first(client, "downs syndrome") == "Down syndrome"
    assert first(client, "down's syndrome") == "Down syndrome"
    assert suggestions(client, "downs")[0]["label"] == "Down syndrome"


@pytest.mark.parametrize(
    "name, query",
    [
        ("Hemophilia A", "haemophilia a"),
        ("Sickle cell anemia", "sickle cell anaemia"),
        ("Esophageal atresia", "oesophageal atresia"),
        ("Acute lymphoblastic leukemia", "acute lymphoblastic leukaemia"),
        ("Wilms tumor", "wilms tumour"),
        ("Pediatric multiple sclerosis", "paediatric multiple sclerosis"),
        ("Haemophilia B", "hemophilia b"),  # the other way round
    ],
)
def test_british_and_american_spellings_find_each_other(client, name, query):
    make_disease(name)
    make_disease("Hereditary anemia with leukemia")  # shares a word, is not it
    assert first(client, query) == name


def test_british_spelling_finds_a_word_anywhere_in_a_name(client):
    make_disease("Congenital hemolytic anemia")
    assert result_names(search(client, "haemolytic")) == ["Congenital hemolytic anemia"]


@pytest.mark.parametrize("query", ["tay sachs", "tay-sachs", "taysachs", "Tay Sachs disease", "TAYSACHS disease"])
def test_hyphens_spaces_and_joined_words_find_the_same_disease(client, query):
    make_disease("Tay-Sachs disease")
    make_disease("Sandhoff disease", other_names=["GM2 gangliosidosis, Tay-Sachs variant AB"])
    assert first(client, query) == "Tay-Sachs disease"


def test_a_name_split_in_two_words_by_the_query_is_joined(client):
    make_disease("DiGeorge syndrome")
    assert first(client, "di george syndrome") == "DiGeorge syndrome"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("glycogen storage disease type 1a", "Glycogen storage disease type Ia"),
        ("glycogen storage disease type IA", "Glycogen storage disease type Ia"),
        ("glycogen storage disease type IB", "Glycogen storage disease type 1b"),
        ("neurofibromatosis 1", "Neurofibromatosis type 1"),
        ("neurofibromatosis type I", "Neurofibromatosis type 1"),
        ("neurofibromatosis type II", "Neurofibromatosis type 2"),
    ],
)
def test_roman_and_arabic_numerals_in_types_find_each_other(client, query, expected):
    for name in ["Glycogen storage disease type Ia", "Glycogen storage disease type 1b"]:
        make_disease(name)
    for name in ["Neurofibromatosis type 1", "Neurofibromatosis type 2"]:
        make_disease(name)
    assert first(client, query) == expected


def test_syndrome_and_disease_are_one_at_the_end_of_a_name(client):
    make_disease("Mucopolysaccharidosis type 4", other_names=["Morquio disease"])
    make_disease("Pseudo-Morquio syndrome type 2")
    assert first(client, "morquio syndrome") == "Mucopolysaccharidosis type 4"


# -- misspellings -----------------------------------------------------------------------------------


@pytest.fixture
def fibrosis(db):
    make_disease("Cystic fibrosis", other_names=["Mucoviscidosis"])
    make_disease("Cystic fibrosis-related diabetes")
    make_disease("Idiopathic pulmonary fibrosis")


@pytest.mark.parametrize(
    "query, searched",
    [
        ("cystic fibrossis", "cystic fibrosis"),
        ("cistic fibrosis", "cystic fibrosis"),
        ("cystic fibrosis mucovisidosis", "cystic fibrosis mucoviscidosis"),
    ],
)
def test_a_misspelling_is_corrected_and_the_page_says_so(client, fibrosis, query, searched):
    response = search(client, query)
    assert result_names(response)[0] == "Cystic fibrosis"
    text = page_text(response)
    assert f"Showing results for “{searched}”" in text
    assert f"Search instead for “{query}”" in text


def test_search_instead_searches_the_words_as_typed(client, fibrosis):
    response = search(client, "cystic fibrossis")
    html = response.content.decode()
    assert 'href="?q=cystic%20fibrossis&amp;exact=1"' in html
    instead = search(client, "cystic fibrossis", exact="1")
    assert result_names(instead) == []
    assert "Showing results for" not in page_text(instead)


def test_a_word_the_index_holds_is_never_corrected(client, fibrosis):
    make_disease("Fibrosus syndrome")  # a word one letter from "fibrosis", but a word of a name
    response = search(client, "fibrosus")
    assert result_names(response) == ["Fibrosus syndrome"]
    assert "Showing results for" not in page_text(response)


def test_a_word_being_typed_is_not_corrected(client, fibrosis):
    data = client.get("/search/suggest/", {"q": "cystic fibr"}).json()
    assert data["suggestions"][0]["label"] == "Cystic fibrosis"
    assert "Showing results for" not in page_text(search(client, "mucovis"))


def test_short_words_are_not_corrected_into_other_abbreviations(client, pku):
    response = search(client, "PK")
    assert "Showing results for" not in page_text(response)


def test_a_word_nothing_is_near_finds_nothing_and_says_so(client, fibrosis):
    response = search(client, "zzqxv")
    assert result_names(response) == []
    assert "No disease matched" in page_text(response)


def test_an_editors_new_name_is_searchable_at_once_and_not_corrected(client, fibrosis, admin_client):
    search(client, "cystic fibrosis")  # the vocabulary is loaded
    disease = Disease.objects.get(name="Cystic fibrosis")
    Synonym.objects.create(disease=disease, name="Clarke-Hadfield syndrome")
    response = search(client, "hadfield")
    assert result_names(response) == ["Cystic fibrosis"]
    assert "Showing results for" not in page_text(response)


# -- ranking ---------------------------------------------------------------------------------------


def test_the_main_disease_comes_before_its_subtypes_and_like_records(client):
    for name in [
        "Huntington disease-like 1",
        "Huntington disease-like 2",
        "Susceptibility to Huntington disease-like syndrome",
        "Huntington disease",
    ]:
        make_disease(name)
    assert first(client, "huntington") == "Huntington disease"
    assert first(client, "huntingtons") == "Huntington disease"
    for name in ["Angelman syndrome (Type 1)", "Angelman syndrome due to a UBE3A variant", "Angelman syndrome"]:
        make_disease(name)
    assert first(client, "angelman") == "Angelman syndrome"


def test_a_group_page_ranks_with_its_own_name(client):
    make_disease("Neurofibromatosis, type III, mixed central and peripheral")
    make_disease("Neurofibromatosis type 1")
    make_disease("Neurofibromatosis/schwannomatosis", other_names=["Neurofibromatosis"])
    make_disease("Classical Ehlers-Danlos syndrome")
    make_disease("Ehlers-Danlos syndrome")
    assert first(client, "neurofibromatosis") == "Neurofibromatosis/schwannomatosis"
    assert first(client, "ehlers danlos") == "Ehlers-Danlos syndrome"


def test_ties_go_to_the_more_common_better_documented_disease_not_the_alphabet(client):
    rare = make_disease("Bardet-Biedl syndrome 1")
    common = make_disease("Bardet-Biedl syndrome 2")
    Disease.objects.filter(pk=common.pk).update(
        open_data={"prevalences": [["Point prevalence", "Value and class", "1-9 / 100 000", "", "Europe", ""]]}
    )
    common.refresh_from_db()
    common.summary = "A ciliopathy."
    common.save()  # the save reindexes its names with its new weight
    assert result_names(search(client, "bardet biedl"))[:2] == [common.name, rare.name]
    Section.objects.create(disease=rare, kind=SectionKind.SUMMARY, body="Another ciliopathy.")
    rare.save()
    assert result_names(search(client, "bardet biedl"))[:2] == [common.name, rare.name]  # prevalence first


# -- results a family can choose from -----------------------------------------------------------


def test_each_result_says_what_the_disease_is_in_its_first_sentence(client):
    disease = make_disease(
        "Cystic fibrosis",
        sections={SectionKind.SUMMARY: "A genetic disease of the lungs and gut. It thickens mucus."},
    )
    make_disease("Cystic fibrosis-related diabetes")
    text = page_text(search(client, "cystic fibrosis"))
    assert "A genetic disease of the lungs and gut." in text
    assert "It thickens mucus." not in text
    disease.summary = "An editor's sentence. And more."
    disease.save()
    text = page_text(search(client, "cystic fibrosis"))
    assert "An editor's sentence." in text and "A genetic disease" not in text


def test_suggestions_use_the_same_ranking_and_say_why_they_matched(client, pku):
    found = suggestions(client, "PKU")
    assert found[0] == {"label": "Phenylketonuria", "url": "/diseases/phenylketonuria/", "detail": "Also called PKU"}
    assert [s["label"] for s in found] == result_names(search(client, "PKU"))


def test_misspelled_and_plain_language_symptoms_are_found(client):
    seizure = make_term("HP:0001250", "Seizure", names=[("Epileptic seizure", False), ("Seizures", True)])
    make_term("HP:0002240", "Hepatomegaly", names=[("Enlarged liver", True)])
    make_disease("Alpers syndrome", symptoms=[seizure])
    response = search(client, "seizers")
    assert "Showing results for “seizure”" in page_text(response)
    assert "/symptoms/HP:0001250/" in response.content.decode()
    assert result_names(response) == ["Alpers syndrome"]
    assert "/symptoms/HP:0002240/" in search(client, "enlarged liver").content.decode()


@pytest.mark.parametrize(
    "query",
    ["'", '"', "*", "NEAR(", "x" * 200, "é" * 50, "type type type", "s" * 41 + "x", "a b c d e f g h i j k l m n"],
)
@pytest.mark.parametrize("exact", ["", "1", "maybe"])
def test_hostile_input_gets_a_clean_page(client, fibrosis, query, exact):
    assert client.get("/search/", {"q": query, "exact": exact}).status_code == 200
    assert client.get("/search/suggest/", {"q": query}).status_code == 200


def test_a_word_alone_is_corrected_to_the_commonest_near_word_not_a_rare_name(client):
    seizure = make_term("HP:0001250", "Seizure", names=[("Seizures", True)])
    for number in range(3):
        make_disease(f"Epilepsy type {number}", symptoms=[seizure])
    make_disease("Sengers syndrome")  # two edits from "seizers", as "seizures" is
    assert "Showing results for “seizure”" in page_text(search(client, "seizers"))


def test_with_other_words_the_correction_the_names_bear_out_is_taken(client):
    nipple = make_term("HP:0002560", "Nipple anomaly", names=[("Abnormal nipple", False), ("Nipple defect", False)])
    make_disease("Athelia", symptoms=[nipple])
    make_disease("Von Hippel-Lindau disease")
    assert first(client, "von hipple lindau") == "Von Hippel-Lindau disease"
    make_disease("Sotos syndrome")
    make_disease("Oto-palato-digital syndrome type 1")  # "oto" is one edit from "soto" too, and commoner
    make_disease("Oto-palato-digital syndrome type 2")
    assert first(client, "soto syndrome") == "Sotos syndrome"
