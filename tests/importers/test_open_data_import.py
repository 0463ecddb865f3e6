"""The open-data import: definitions, other names, facts for families, group pages; only differences written."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gard.importers.errors import ParseError
from gard.importers.open_data import import_open_data, read_open_data
from gard.models import Disease, Section, SectionKind, Source, Synonym
from tests.factories import make_disease, orphanet_record, write_open_data

CF_DEFINITION = "A genetic disorder of the lungs, pancreas and sweat glands."


def do_term(doid, name, definition="", *, omim=(), orpha=(), acronyms=(), synonyms=()):
    return {
        "doid": doid,
        "name": name,
        "definition": definition,
        "acronyms": list(acronyms),
        "synonyms": list(synonyms),
        "omim": list(omim),
        "orpha": list(orpha),
        "gard": [],
    }


@pytest.fixture
def catalogue(db):
    """Two EDS types and cystic fibrosis on pages of their own, and a page only OMIM knows."""
    return {
        "cf": make_disease("Cystic fibrosis", records=["OMIM:219700", "ORPHA:586"]),
        "classical": make_disease("Classical Ehlers-Danlos syndrome", records=["ORPHA:287"]),
        "vascular": make_disease("Vascular Ehlers-Danlos syndrome", records=["ORPHA:286"]),
        "omim_only": make_disease("Some OMIM disease", records=["OMIM:100100"]),
    }


@pytest.fixture
def data(tmp_path):
    eds = [(98249, "Ehlers-Danlos syndrome")]
    return write_open_data(
        tmp_path / "open_data",
        orphanet=[
            orphanet_record(
                286,
                "Vascular Ehlers-Danlos syndrome",
                definition="The vascular type. It affects arteries.",
                parents=eds,
            ),
            orphanet_record(287, "Classical Ehlers-Danlos syndrome", definition="The classical type.", parents=eds),
            orphanet_record(
                586,
                "Cystic fibrosis",
                definition=CF_DEFINITION,
                synonyms=["CF", "Mucoviscidosis", "cystic  fibrosis"],
                inheritance=["Autosomal recessive"],
                onsets=["Neonatal"],
                prevalences=[
                    ["Prevalence at birth", "Value and class", "1-5 / 10 000", "no data", "Europe", "ORPHANET"]
                ],
                genes=[
                    ["TGFB1", "transforming growth factor beta 1", "Modifying germline mutation in"],
                    ["CFTR", "CF transmembrane conductance regulator", "Disease-causing germline mutation(s) in"],
                ],
            ),
            orphanet_record(98249, "Ehlers-Danlos syndrome", type="Clinical group", definition="A group of disorders."),
        ],
        disease_ontology=[
            do_term("DOID:1", "some omim disease", "A disease that has_material_basis_in a change.", omim=["100100"]),
            do_term(
                "DOID:1485",
                "cystic fibrosis",
                "Not shown: Orphanet defines it.",
                orpha=["586"],
                acronyms=["CF"],
                synonyms=["Cystic fibrosis of the pancreas", "mucoviscidosis"],
            ),
        ],
        mondo=[{"mondo": "MONDO:0009061", "omim": ["219700"], "orpha": ["586"], "gard": "6233"}],
    )


def run(folder):
    return import_open_data(read_open_data(folder))


def summaries(disease):
    return {s.source.key if s.source_id else None: s.body for s in disease.sections.filter(kind=SectionKind.SUMMARY)}


def test_orphanet_defines_a_page_and_the_disease_ontology_one_orphanet_does_not(catalogue, data):
    run(data)
    assert summaries(catalogue["cf"]) == {"orphanet": CF_DEFINITION}
    assert summaries(catalogue["omim_only"]) == {"disease-ontology": "A disease that has material basis in a change."}
    orphanet = Source.objects.get(key="orphanet")
    assert (orphanet.licence, orphanet.version) == ("CC BY 4.0", "4.1.8 (2025-03-03)")


def test_abbreviations_and_other_names_are_added_once_and_never_the_pages_own_name(catalogue, data):
    run(data)
    names = sorted(Synonym.objects.filter(disease=catalogue["cf"]).values_list("name", "source__key"))
    # The Disease Ontology's acronym "CF", its exact synonym "mucoviscidosis" and its name "cystic fibrosis"
    # repeat names the page has; its other exact synonym is new.
    assert names == [
        ("CF", "orphanet"),
        ("Cystic fibrosis of the pancreas", "disease-ontology"),
        ("Mucoviscidosis", "orphanet"),
    ]


def test_a_group_with_two_children_on_pages_becomes_a_page_listing_its_types(catalogue, data):
    run(data)
    group = Disease.objects.get(orpha_group="98249")
    assert group.name == "Ehlers-Danlos syndrome"
    assert [child["name"] for child in group.open_data["children"]] == [
        "Classical Ehlers-Danlos syndrome",
        "Vascular Ehlers-Danlos syndrome",
    ]
    assert group.open_data["children"][1]["line"] == "The vascular type."
    catalogue["vascular"].refresh_from_db()
    assert catalogue["vascular"].open_data["parents"] == [{"slug": group.slug, "name": "Ehlers-Danlos syndrome"}]


def test_facts_for_families_are_kept_with_the_page(catalogue, data):
    run(data)
    catalogue["cf"].refresh_from_db()
    facts = catalogue["cf"].open_data
    assert facts["inheritance"] == ["Autosomal recessive"]
    assert facts["onsets"] == ["Neonatal"]
    assert facts["gard"] == ["6233"] and facts["mondo"] == ["MONDO:0009061"]
    assert facts["orphanet"] == ["586"] and facts["orphanet_version"] == "4.1.8 (2025-03-03)"


def test_a_second_run_with_nothing_new_writes_nothing(catalogue, data):
    run(data)
    with CaptureQueriesContext(connection) as queries:
        summary = run(data)
    assert summary.changes == 0
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


def test_an_editors_summary_and_names_are_never_touched(catalogue, data):
    cf = catalogue["cf"]
    cf.summary = "Our own words for families."
    cf.save()
    Synonym.objects.create(disease=cf, name="CF")  # an editor wrote it first
    run(data)
    cf.refresh_from_db()
    assert cf.summary == "Our own words for families."
    assert Synonym.objects.get(disease=cf, name="CF").source is None


def test_a_definition_that_changes_upstream_is_updated_and_one_that_goes_is_retired(catalogue, data, tmp_path):
    run(data)
    changed = write_open_data(
        tmp_path / "changed",
        orphanet=[orphanet_record(586, "Cystic fibrosis", definition="A newer text.")],
    )
    summary = run(changed)
    assert summaries(catalogue["cf"]) == {"orphanet": "A newer text."}
    assert summaries(catalogue["omim_only"]) == {}
    assert not Disease.objects.filter(orpha_group="98249").exists()
    assert summary["group pages"].retired == 1


def test_a_group_page_an_editor_wrote_on_is_kept_when_the_group_goes(catalogue, data, tmp_path):
    run(data)
    group = Disease.objects.get(orpha_group="98249")
    Section.objects.create(disease=group, kind=SectionKind.TREATMENT, body="Written by an editor.")
    run(write_open_data(tmp_path / "none", orphanet=[]))
    group.refresh_from_db()
    assert group.orpha_group == ""


def test_a_truncated_file_stops_before_anything_is_written(catalogue, data):
    path = data / "orphanet.jsonl.gz"
    import gzip

    text = gzip.decompress(path.read_bytes()).decode()
    path.write_bytes(gzip.compress(text[: len(text) // 2].encode()))
    with pytest.raises(ParseError, match=r"orphanet.jsonl.gz, line \d+: not JSON"):
        read_open_data(data)
    assert not Source.objects.filter(key="orphanet").exists()


def test_a_record_missing_a_field_is_named(catalogue, tmp_path):
    record = orphanet_record(586, "Cystic fibrosis")
    del record["genes"]
    folder = write_open_data(tmp_path / "bad", orphanet=[record])
    with pytest.raises(ParseError, match=r"orphanet.jsonl.gz, line 1: field 'genes' missing"):
        read_open_data(folder)


def test_an_orpha_code_that_is_not_a_number_is_refused(catalogue, tmp_path):
    folder = write_open_data(tmp_path / "bad", orphanet=[orphanet_record("ORPHA:586", "Cystic fibrosis")])
    with pytest.raises(ParseError, match="is not a number"):
        read_open_data(folder)


def test_a_mapping_to_a_record_no_page_has_changes_nothing(catalogue, tmp_path):
    folder = write_open_data(
        tmp_path / "data", mondo=[{"mondo": "MONDO:1", "omim": ["999999"], "orpha": ["999999"], "gard": "1"}]
    )
    run(folder)
    assert all(not disease.open_data for disease in Disease.objects.all())


def test_a_group_page_is_found_by_search_and_listed_in_the_a_to_z_and_the_sitemap(client, catalogue, data):
    from gard.search.query import search

    run(data)
    group = Disease.objects.get(orpha_group="98249")
    assert search("Ehlers-Danlos syndrome").items[0].disease == group
    assert "Ehlers-Danlos syndrome" in client.get("/diseases/letter/E/").content.decode()
    assert f"/diseases/{group.slug}/</loc>" in client.get("/sitemap-diseases.xml").content.decode()


def test_an_abbreviation_from_the_open_data_finds_its_disease(catalogue, data):
    from gard.search.query import search

    run(data)
    found = search("Mucoviscidosis")
    assert found.items[0].disease == catalogue["cf"]
    assert "Also called Mucoviscidosis" in found.items[0].reasons


def test_orphanets_html_italics_and_character_references_become_plain_text(tmp_path, catalogue):
    folder = write_open_data(
        tmp_path / "markup",
        orphanet=[
            orphanet_record(
                586,
                "Cystic fibrosis",
                definition="A disease with <i>Pseudomonas</i> infections and &#945;-1 anti&#64257;brinolysis.",
                synonyms=["CF &#8208; classic"],
            )
        ],
    )
    run(folder)
    assert summaries(catalogue["cf"]) == {"orphanet": "A disease with Pseudomonas infections and α-1 antifibrinolysis."}
    assert Synonym.objects.filter(disease=catalogue["cf"], name="CF ‐ classic").exists()
