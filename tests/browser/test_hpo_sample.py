"""The HPO sample the catalogue pages are built from is a faithful cut of the installed release."""

from django.core.management import call_command

from gard.importers.hpo_files import read_release
from gard.management.commands.build_hpo_sample import DEFAULT_RECORDS, obo_stanzas, parents
from tests.browser.helpers import HPO_SAMPLE

FILES = ["hp.obo", "phenotype.hpoa", "genes_to_phenotype.txt"]


def test_the_committed_sample_is_what_build_hpo_sample_writes_from_the_release(tmp_path):
    call_command("build_hpo_sample", output=tmp_path, verbosity=0)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (HPO_SAMPLE / name).read_bytes(), name


def test_the_sample_holds_its_records_whole_and_every_term_they_need():
    release = read_release(*(HPO_SAMPLE / name for name in FILES))  # raises on any unknown term
    assert sorted(release.records) == sorted(DEFAULT_RECORDS)
    per_record = {curie: sum(row.record == curie for row in release.rows) for curie in release.records}
    assert per_record["OMIM:620851"] == 211  # Renu syndrome: the largest disease page
    # Every broader term is in (the reader would silently drop a missing parent).
    _, stanzas, _ = obo_stanzas(HPO_SAMPLE / "hp.obo")
    assert all(parent in stanzas for lines in stanzas.values() for parent in parents(lines))
    assert "HP:0000001" in stanzas
    assert release.genes  # the records' genes came along
