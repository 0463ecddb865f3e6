"""Deriving fixtures/open_data from the source files: punctuation, shapes, pairs, bad input, determinism."""

import gzip
import json
from pathlib import Path

import pytest
from django.conf import settings

from gard.importers.errors import ParseError
from gard.importers.open_data_files import (
    OUTPUTS,
    _items,
    build,
    definition,
    exact_pairs,
    read,
    restore_commas,
)
from tests.factories import open_data_source


def test_restore_commas_puts_back_only_commas_between_unchanged_words():
    older = "A disorder of the eye, skin and heart, with onset in infancy, rarely later."
    current = "A disorder of the eye skin and lungs with onset in infancy rarely later."
    # "eye," stands between two unchanged words; "heart," was reworded to "lungs"; "infancy," is kept.
    assert (
        restore_commas(current, older) == "A disorder of the eye, skin and lungs with onset in infancy, rarely later."
    )


def test_a_2019_text_with_the_same_words_gives_back_its_commas():
    older = {"5": ("commas_only", "Hypoglycemia, acidosis, liver disease and hypotonia.")}
    text, how = definition("5", "Hypoglycemia acidosis liver disease and hypotonia.", older, {})
    assert text == "Hypoglycemia, acidosis, liver disease and hypotonia."
    assert how == "2019 text (identical words)"


def test_ordo_gives_back_commas_when_2019_has_no_such_text():
    ordo = {"7": "Short stature, deafness and cataract."}
    assert definition("7", "Short stature deafness and cataract.", {}, ordo) == (
        "Short stature, deafness and cataract.",
        "ORDO 2.6 text (identical words)",
    )


def test_a_definition_without_an_older_text_is_kept_as_it_is():
    assert definition("9", "A rare disease of the liver.", {}, {}) == ("A rare disease of the liver.", "")


def test_packet_lists_in_either_shape_read_alike():
    wrapped = [{"TypeOfInheritance": {"value": "Autosomal recessive"}}]
    grouped = {"TypeOfInheritance": [{"value": "Autosomal recessive"}]}
    assert (
        _items(wrapped, "TypeOfInheritance")
        == _items(grouped, "TypeOfInheritance")
        == [{"value": "Autosomal recessive"}]
    )


def test_one_to_one_exact_links_pair_and_one_to_many_are_left_apart():
    orphanet = [
        {"code": "1", "omim": [["100", "E"]]},
        {"code": "2", "omim": [["200", "E"]]},
        {"code": "3", "omim": [["200", "E"]]},  # OMIM:200 has exact links from two codes
        {"code": "4", "omim": [["400", "BTNT"]]},  # broader than: not the same disease
    ]
    mondo = [
        {"mondo": "MONDO:1", "omim": ["100"], "orpha": ["1"], "gard": ""},
        {"mondo": "MONDO:5", "omim": ["500"], "orpha": ["5"], "gard": ""},
        {"mondo": "MONDO:6", "omim": ["600"], "orpha": ["6", "7"], "gard": ""},
    ]
    found = exact_pairs(orphanet, mondo)
    assert found.pairs == [("ORPHA:1", "OMIM:100"), ("ORPHA:5", "OMIM:500")]
    assert found.by_source == {"both": 1, "Mondo exactMatch": 1}
    assert any("OMIM:200" in line for line in found.left_apart)
    assert any("MONDO:6" in line for line in found.left_apart)


def test_two_sources_pairing_a_record_with_different_partners_are_left_apart():
    orphanet = [{"code": "1", "omim": [["100", "E"]]}]
    mondo = [{"mondo": "MONDO:9", "omim": ["900"], "orpha": ["1"], "gard": ""}]
    found = exact_pairs(orphanet, mondo)
    assert found.pairs == []
    assert found.left_apart == [
        "ORPHA:1 and OMIM:100: also paired with OMIM:900",
        "ORPHA:1 and OMIM:900: also paired with OMIM:100",
    ]


def test_the_build_is_byte_identical_from_the_same_sources(tmp_path):
    source = open_data_source(tmp_path / "source")
    build(source, tmp_path / "one")
    build(source, tmp_path / "two")
    for name in OUTPUTS:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    (cf,) = [r for r in read(tmp_path / "one" / "orphanet.jsonl.gz") if r["code"] == "586"]
    assert cf["definition"] == "A genetic disorder of the lungs, pancreas and sweat glands."
    assert cf["genes"][0][0] == "CFTR"
    assert json.loads((tmp_path / "one" / "sources.json").read_text())["orphanet"]["version"] == "4.1.8"


def test_a_truncated_packet_stops_the_build_with_its_file_and_line(tmp_path):
    source = open_data_source(tmp_path / "source")
    packets = source / "orphanet" / "orphapackets.jsonl.gz"
    lines = gzip.decompress(packets.read_bytes()).decode().splitlines(keepends=True)
    packets.write_bytes(gzip.compress("".join([lines[0], lines[1][:40]]).encode()))
    with pytest.raises(ParseError, match=r"orphapackets.jsonl.gz, line 2"):
        build(source, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_an_unknown_omim_relation_stops_the_build(tmp_path):
    source = open_data_source(tmp_path / "source", relation="XX (unheard of)")
    with pytest.raises(ParseError, match=r"unreadable OMIM link"):
        build(source, tmp_path / "out")


@pytest.mark.skipif(
    not (settings.OPEN_DATA_SOURCE_DIR / "orphanet").is_dir(),
    reason="the source data folder (shared/data beside the clone) is where the committed files come from",
)
def test_the_committed_files_are_what_the_sources_build(tmp_path):
    build(settings.OPEN_DATA_SOURCE_DIR, tmp_path)
    committed = Path(settings.BASE_DIR) / "fixtures" / "open_data"
    for name in OUTPUTS:
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), name
