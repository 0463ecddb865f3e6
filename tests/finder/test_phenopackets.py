"""GA4GH Phenopacket v2 files in and out of the symptom finder (gard/finder/phenopackets.py).

Written files are checked against the ``phenopackets`` package's own schema; read files are a real
published case (tests/finder/data/phenopacket_case.json, see the README beside it) and small ones made
here, good and bad. Each bad file's message must name its problem; random JSON shaped like a phenopacket
(hypothesis) is read or refused with such a message, never another exception. No database.
"""

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from google.protobuf import json_format
from hypothesis import given, settings
from hypothesis import strategies as st
from phenopackets.schema.v2 import Phenopacket

from gard.finder.phenopackets import MAX_BYTES, PhenopacketError, read_phenopacket, write_phenopacket

CASE = Path(__file__).parent / "data" / "phenopacket_case.json"
SEIZURE = ("HP:0001250", "Seizure")
CATARACT = ("HP:0000518", "Cataract")
SHORT_STATURE = ("HP:0004322", "Short stature")
CREATED = datetime(2026, 5, 1, 12, 30, tzinfo=UTC)


def feature(hpo_id: str, label: str = "", **more) -> dict:
    return {"type": {"id": hpo_id, "label": label} if label else {"id": hpo_id}, **more}


def packet(*features, **more) -> dict:
    return {"id": "case-1", "phenotypicFeatures": list(features), **more}


def as_file(document) -> bytes:
    return json.dumps(document).encode()


def written(observed=(SEIZURE, SHORT_STATURE), excluded=(CATARACT,)) -> dict:
    return write_phenopacket(
        list(observed),
        list(excluded),
        created=CREATED,
        hpo_version="2025-01-16",
        site_url="https://example.org/finder/?term=HP:0001250",
        packet_id="symptom-finder-1",
    )


def problem(data: bytes) -> str:
    with pytest.raises(PhenopacketError) as raised:
        read_phenopacket(data)
    return str(raised.value)


# Writing


def test_written_phenopacket_reads_back_with_the_same_terms():
    read = read_phenopacket(json.dumps(written()).encode())

    assert read.observed == ["HP:0001250", "HP:0004322"]
    assert read.excluded == ["HP:0000518"]
    assert read.labels == {"HP:0001250": "Seizure", "HP:0004322": "Short stature", "HP:0000518": "Cataract"}
    assert (read.subject, read.conflicting, read.skipped) == ("", [], [])


def test_written_phenopacket_is_valid_against_the_schema():
    document = written()

    message = json_format.Parse(json.dumps(document), Phenopacket(), ignore_unknown_fields=False)

    assert json_format.MessageToDict(message) == document


def test_written_phenopacket_has_the_terms_metadata_and_no_subject():
    document = written()

    assert document["id"] == "symptom-finder-1"
    assert "subject" not in document
    assert document["phenotypicFeatures"] == [
        {"type": {"id": "HP:0001250", "label": "Seizure"}},
        {"type": {"id": "HP:0004322", "label": "Short stature"}},
        {"type": {"id": "HP:0000518", "label": "Cataract"}, "excluded": True},
    ]
    assert document["metaData"] == {
        "created": "2026-05-01T12:30:00Z",
        "createdBy": "symptom finder",
        "resources": [
            {
                "id": "hp",
                "name": "human phenotype ontology",
                "url": "http://purl.obolibrary.org/obo/hp.owl",
                "version": "2025-01-16",
                "namespacePrefix": "HP",
                "iriPrefix": "http://purl.obolibrary.org/obo/HP_",
            }
        ],
        "phenopacketSchemaVersion": "2.0",
        "externalReferences": [
            {"reference": "https://example.org/finder/?term=HP:0001250", "description": "The symptom finder's query"}
        ],
    }


def test_written_phenopacket_is_the_same_for_the_same_terms():
    assert json.dumps(written()) == json.dumps(written())


def test_written_creation_time_is_in_utc():
    in_paris = CREATED.astimezone(timezone(timedelta(hours=2)))

    document = write_phenopacket([SEIZURE], [], created=in_paris, hpo_version="", site_url="", packet_id="p")

    assert document["metaData"]["created"] == "2026-05-01T12:30:00Z"
    assert "externalReferences" not in document["metaData"]


def test_writing_a_time_without_a_timezone_is_refused():
    with pytest.raises(ValueError, match="timezone"):
        write_phenopacket([SEIZURE], [], created=datetime(2026, 5, 1), hpo_version="", site_url="", packet_id="p")


# Reading good files


def test_real_published_case_reads_with_its_observed_and_excluded_terms():
    read = read_phenopacket(CASE.read_bytes())

    assert read.observed == ["HP:0002530", "HP:0002451", "HP:0007325"]
    assert read.excluded == ["HP:0002505", "HP:0100960"]
    assert read.subject == "A-II-2"
    assert read.labels["HP:0002530"] == "Axial dystonia"
    assert (read.conflicting, read.skipped) == ([], [])


def test_terms_are_read_once_each_in_file_order():
    read = read_phenopacket(
        as_file(packet(feature(*SHORT_STATURE), feature(*SEIZURE), feature("HP:0004322", "Other label")))
    )

    assert read.observed == ["HP:0004322", "HP:0001250"]
    assert read.labels["HP:0004322"] == "Short stature"


def test_term_both_observed_and_excluded_is_kept_observed_and_reported():
    read = read_phenopacket(
        as_file(packet(feature(*SEIZURE, excluded=True), feature(*CATARACT, excluded=True), feature(*SEIZURE)))
    )

    assert read.observed == ["HP:0001250"]
    assert read.excluded == ["HP:0000518"]
    assert read.conflicting == ["HP:0001250"]


def test_features_of_other_ontologies_are_skipped_and_listed():
    read = read_phenopacket(as_file(packet(feature("MONDO:0005027", "epilepsy"), feature(*SEIZURE), feature("HP:12"))))

    assert read.observed == ["HP:0001250"]
    assert read.skipped == ["MONDO:0005027", "HP:12"]


def test_byte_order_mark_and_snake_case_names_are_accepted():
    document = {"id": "p", "phenotypic_features": [feature(*SEIZURE)], "subject": {"id": "Patient 7"}}

    read = read_phenopacket(b"\xef\xbb\xbf" + as_file(document))

    assert (read.observed, read.subject) == (["HP:0001250"], "Patient 7")


def test_file_of_exactly_the_size_limit_is_read():
    data = as_file(packet(feature(*SEIZURE)))

    assert read_phenopacket(data + b" " * (MAX_BYTES - len(data))).observed == ["HP:0001250"]


# Reading bad files: each message names the problem


def test_file_that_is_not_json_is_refused_with_the_place_of_the_error():
    assert problem(b'{\n  "id": "p",\n  "phenotypicFeatures": [}') == (
        "The file is not JSON: line 3, column 26: Expecting value."
    )


def test_json_list_instead_of_an_object_is_refused():
    assert problem(as_file([packet(feature(*SEIZURE))])) == (
        "The file holds a list, not a phenopacket: a phenopacket is a JSON object."
    )


def test_unknown_field_is_named_with_its_place():
    message = problem(as_file(packet(feature(*SEIZURE), feature(*CATARACT, foo=1))))

    assert message == "The file is not a Phenopacket v2: unknown field “foo” in phenotypicFeatures[1]."


def test_unknown_top_level_field_is_named():
    message = problem(as_file(packet(feature(*SEIZURE), patient={"id": "p"})))

    assert message == "The file is not a Phenopacket v2: unknown field “patient” at the top level."


def test_value_of_the_wrong_type_is_named_with_its_place():
    message = problem(as_file(packet(feature(*SEIZURE), {"type": {"id": 1250}})))

    assert message == "The file is not a Phenopacket v2: phenotypicFeatures[1].type.id should be text, not a number."


def test_term_given_as_text_instead_of_an_object_is_named():
    message = problem(as_file(packet({"type": "HP:0001250"})))

    assert (
        message == "The file is not a Phenopacket v2: phenotypicFeatures[0].type should be an object ({…}), not text."
    )


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (packet(feature(*SEIZURE, excluded="yes")), "phenotypicFeatures[0].excluded should be true or false"),
        ({"phenotypicFeatures": feature(*SEIZURE)}, "phenotypicFeatures should be a list"),
        (packet(feature(*SEIZURE), subject={"sex": "BOY"}), "“BOY” is not an allowed value of subject.sex"),
        (packet(feature(*SEIZURE), metaData={"created": "1 May"}), "metaData.created should be a date and time"),
    ],
)
def test_other_schema_problems_are_named_without_protobuf_type_names(document, expected):
    message = problem(as_file(document))

    assert message.startswith(f"The file is not a Phenopacket v2: {expected}")
    assert "org.phenopackets" not in message
    assert "Failed to parse" not in message


def test_file_over_the_size_limit_is_refused_before_it_is_read():
    data = b"\xff" * 2_000_000  # not UTF-8 either: the size is checked first

    assert problem(data) == "The file is larger than 1 MB (2.0 MB)."


def test_file_just_over_the_size_limit_does_not_say_1_0_mb():
    assert problem(b" " * (MAX_BYTES + 1)) == "The file is larger than 1 MB (1.1 MB)."


@pytest.mark.parametrize("data", [b"", b"  \n", b"\xef\xbb\xbf"])
def test_empty_file_is_refused(data):
    assert problem(data) == "The file is empty."


def test_file_that_is_not_utf8_is_refused():
    data = json.dumps(packet(feature("HP:0001250", "Crise épileptique")), ensure_ascii=False).encode("latin-1")

    assert problem(data) == "The file is not UTF-8 text."


def test_file_without_phenotypic_features_is_refused():
    assert problem(as_file({"id": "p", "subject": {"id": "Patient 7"}})) == "The file has no phenotypic features."


def test_file_without_hpo_features_is_refused_naming_what_it_has():
    message = problem(as_file(packet(feature("MONDO:0005027", "epilepsy"))))

    assert message == "The file has no HPO phenotypic features (IDs like HP:0001250), only MONDO:0005027."


def test_version_1_phenopacket_is_refused_naming_its_version():
    version_1 = {
        "id": "p",
        "phenotypicFeatures": [{"type": {"id": "HP:0001250"}, "negated": True}],
        "metaData": {"createdBy": "someone", "phenopacketSchemaVersion": "1.0"},
    }

    assert problem(as_file(version_1)) == "The file is a Phenopacket version 1.0 file; the finder reads version 2."


@pytest.mark.parametrize("version", ["2", "2.0", "2.0.2"])
def test_version_2_numbers_are_read(version):
    document = packet(feature(*SEIZURE), metaData={"phenopacketSchemaVersion": version})

    assert read_phenopacket(as_file(document)).observed == ["HP:0001250"]


def test_family_file_is_refused():
    family = {"id": "f", "proband": packet(feature(*SEIZURE))}

    assert (
        problem(as_file(family))
        == "The file is a family or a cohort of phenopackets; the finder reads one phenopacket."
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"[" * 100_000, "The file is not JSON the finder can read: it is nested too deeply."),
        (b"1" * 5000, "The file is not JSON the finder can read: a number has too many digits."),
    ],
)
def test_json_too_deep_or_with_a_huge_number_is_refused(data, expected):
    assert problem(data) == expected


JSON_KEYS = st.sampled_from(["id", "subject", "phenotypicFeatures", "type", "label", "excluded", "onset", "age"])
JSON_KEYS |= st.sampled_from(["metaData", "phenopacketSchemaVersion", "created", "sex", "modifiers", "x"])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5) | st.sampled_from(["HP:0001250"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(JSON_KEYS, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None, database=None)
@given(st.dictionaries(JSON_KEYS, JSON_VALUES, max_size=4))
def test_any_json_object_is_read_or_refused_with_a_readable_message(document):
    try:
        read_phenopacket(as_file(document))
    except PhenopacketError as error:
        message = str(error)
        assert message.startswith("The file ") and message.endswith(".")
        assert not any(internal in message for internal in ("org.", "google.", "Failed to parse", "\n"))
