"""GA4GH Phenopacket v2 JSON files in and out of the symptom finder.

``read_phenopacket`` takes an uploaded file's bytes and gives the HPO terms it lists as observed
and as excluded; ``write_phenopacket`` gives a patient's terms as a Phenopacket v2 ready for
``json.dumps``. Both go through the schema's own protobuf classes (the ``phenopackets`` package)
and protobuf's JSON mapping, so what is read is checked against the schema and what is written is
valid by construction. Pure Python: nothing touches the database or keeps a file, and the caller
maps IDs to the catalogue's terms.

A file that cannot be read raises ``PhenopacketError``, whose message is one sentence for the
person who chose the file, naming what is wrong and where.
"""

import json
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from google.protobuf import json_format
from google.protobuf.timestamp_pb2 import Timestamp
from phenopackets.schema.v2 import ExternalReference, MetaData, OntologyClass, Phenopacket, PhenotypicFeature, Resource

MAX_BYTES = 1_000_000  # 1 MB; the largest case in phenopacket-store is about 64 kB
SCHEMA_VERSION = "2.0"
CREATED_BY = "symptom finder"
HPO_RESOURCE = {
    "id": "hp",
    "name": "human phenotype ontology",
    "url": "http://purl.obolibrary.org/obo/hp.owl",
    "namespace_prefix": "HP",
    "iri_prefix": "http://purl.obolibrary.org/obo/HP_",
}
HPO_ID = re.compile(r"HP:[0-9]{7}")
VERSION_2 = re.compile(r"2(\.[0-9]+)*")


class PhenopacketError(ValueError):
    """A file the finder cannot read, with a sentence saying why."""


@dataclass
class ReadPhenopacket:
    """The HPO terms of one phenopacket, each ID once, in the order the file lists them.

    A term listed both as observed and as excluded (a phenopacket may record a feature absent at
    one age and present at another) is kept in ``observed`` only, and also listed in
    ``conflicting`` so that the user can be told. Features whose term is not an HPO ID are left
    out and listed in ``skipped`` (their ID, or their label when they have none). ``labels`` maps
    each ID to the first label the file gives it.
    """

    observed: list[str]
    excluded: list[str]
    subject: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    conflicting: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_phenopacket(data: bytes) -> ReadPhenopacket:
    """The terms of a Phenopacket v2 JSON file; PhenopacketError names the first problem found."""
    if len(data) > MAX_BYTES:
        size = math.ceil(len(data) / 100_000) / 10  # rounded up: 1,000,001 bytes is "1.1 MB", not "1.0 MB"
        raise PhenopacketError(f"The file is larger than {MAX_BYTES // 1_000_000} MB ({size:.1f} MB).")
    try:
        text = data.decode("utf-8-sig")  # a byte order mark is tolerated
    except UnicodeDecodeError:
        raise PhenopacketError("The file is not UTF-8 text.") from None
    if not text.strip():
        raise PhenopacketError("The file is empty.")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise PhenopacketError(
            f"The file is not JSON: line {error.lineno}, column {error.colno}: {error.msg}."
        ) from None
    except (ValueError, RecursionError) as error:  # a 5,000-digit number; brackets nested a thousand deep
        problem = "it is nested too deeply" if isinstance(error, RecursionError) else "a number has too many digits"
        raise PhenopacketError(f"The file is not JSON the finder can read: {problem}.") from None
    if not isinstance(document, dict):
        raise PhenopacketError(f"The file holds {_kind(document)}, not a phenopacket: a phenopacket is a JSON object.")
    _check_version(document)
    packet = Phenopacket()
    try:
        json_format.ParseDict(document, packet, ignore_unknown_fields=False)
    except json_format.ParseError as error:
        raise PhenopacketError(f"The file is not a Phenopacket v2: {_readable(str(error), document)}.") from None
    return _terms(packet)


def write_phenopacket(
    observed: list[tuple[str, str]],
    excluded: list[tuple[str, str]],
    *,
    created: datetime,
    hpo_version: str,
    site_url: str,
    packet_id: str,
) -> dict:
    """A Phenopacket v2 of these (HPO ID, label) terms, as the dict protobuf's JSON mapping writes.

    No subject: a phenopacket needs none and the finder knows no patient. Observed terms come
    first, then the excluded ones, each in the order given. ``created`` must be timezone-aware; it
    is written in UTC. ``site_url`` (the finder's address for the query), when given, is the
    metadata's one external reference.
    """
    if created.utcoffset() is None:
        raise ValueError("created must be a timezone-aware datetime")
    stamp = Timestamp()
    stamp.FromDatetime(created.astimezone(UTC))
    features = [PhenotypicFeature(type=OntologyClass(id=term, label=label)) for term, label in observed]
    features += [PhenotypicFeature(type=OntologyClass(id=term, label=label), excluded=True) for term, label in excluded]
    references = [ExternalReference(reference=site_url, description="The symptom finder's query")] if site_url else []
    meta_data = MetaData(
        created=stamp,
        created_by=CREATED_BY,
        resources=[Resource(version=hpo_version, **HPO_RESOURCE)],
        phenopacket_schema_version=SCHEMA_VERSION,
        external_references=references,
    )
    packet = Phenopacket(id=packet_id, phenotypic_features=features, meta_data=meta_data)
    return json_format.MessageToDict(packet)


def _check_version(document: dict) -> None:
    # Before the schema check, which would fail a version 1 file on v1's own fields ("negated").
    if "proband" in document or "members" in document:
        raise PhenopacketError("The file is a family or a cohort of phenopackets; the finder reads one phenopacket.")
    meta = document.get("metaData", document.get("meta_data"))
    if isinstance(meta, dict):
        version = meta.get("phenopacketSchemaVersion", meta.get("phenopacket_schema_version"))
        if isinstance(version, str) and version.strip() and not VERSION_2.fullmatch(version.strip()):
            version = _short(version.strip())
            raise PhenopacketError(f"The file is a Phenopacket version {version} file; the finder reads version 2.")


def _terms(packet: Phenopacket) -> ReadPhenopacket:
    observed: dict[str, None] = {}  # dicts as ordered sets
    excluded: dict[str, None] = {}
    skipped: dict[str, None] = {}
    labels: dict[str, str] = {}
    for feature in packet.phenotypic_features:
        term = feature.type.id.strip()
        if term and feature.type.label and term not in labels:
            labels[term] = feature.type.label
        if HPO_ID.fullmatch(term):
            (excluded if feature.excluded else observed)[term] = None
        else:
            skipped[term or feature.type.label or "(no term)"] = None
    if not observed and not excluded:
        if not skipped:
            raise PhenopacketError("The file has no phenotypic features.")
        named = ", ".join(_short(name) for name in list(skipped)[:3]) + (", …" if len(skipped) > 3 else "")
        raise PhenopacketError(f"The file has no HPO phenotypic features (IDs like HP:0001250), only {named}.")
    return ReadPhenopacket(
        observed=list(observed),
        excluded=[term for term in excluded if term not in observed],
        subject=packet.subject.id,
        labels=labels,
        conflicting=[term for term in excluded if term in observed],
        skipped=list(skipped),
    )


# protobuf's parse errors, the innermost last: "Failed to parse subject field: Failed to parse sex field:
# Invalid enum value BOY for enum type org.phenopackets.schema.v2.core.Sex at Phenopacket.subject.sex.."
_FIELD = re.compile(r"Failed to parse (.*?) field: ")
_AT = re.compile(r' at "?Phenopacket((?:\.\w+(?:\[\d+\])?)*)"?\.*$')
_TYPE_NAME = re.compile(r'"?\b(?:org\.phenopackets|org\.ga4gh|google\.protobuf)(?:\.\w+)*\.(\w+)"?')
_PROBLEMS = [  # (protobuf's words, ours): {where} is the field's path, {0} the pattern's group
    (r'has no field named "(.*)" at "Phenopacket', "unknown field “{0}” {in_where}"),
    (r"repeated field (\w+) must be in \[\]", "{where} should be a list ([…])"),
    (r"expected string or bytes-like object, got '(\w+)'", "{where} should be text, not {kind}"),
    (r"'(\w+)' object is not iterable", "{where} should be an object ({{…}}), not {kind}"),
    (r"Expected true or false without quotes", "{where} should be true or false (without quotes)"),
    (r'Expected "true" or "false", not (.*)', "{where} should be true or false, not {0}"),
    (r"null is not allowed", "{where} is null"),
    (r"Invalid enum value (.*) for enum type", "“{0}” is not an allowed value of {where}"),
    (r"unhashable type: '(\w+)'", "{where} should be text, not {kind}"),  # an enum's value
    (r"[Tt]imestamp", "{where} should be a date and time like 2024-05-01T12:00:00Z"),
    (r"invalid literal for int\(\)|Couldn't parse integer", "{where} should be a whole number"),
    (r"Couldn't parse (?:float|NaN)|Float value too", "{where} should be a number"),
]
_PYTHON_KINDS = {"str": "text", "int": "a number", "float": "a number", "bool": "true or false"}
_PYTHON_KINDS |= {"list": "a list", "dict": "an object", "NoneType": "null"}


def _readable(message: str, document: dict) -> str:
    """protobuf's parse error as a phrase: what is wrong and where, without protobuf's type names."""
    names = _FIELD.findall(message)  # the chain of fields down to the error, without list positions or oneofs
    inner = _FIELD.sub("", message).split("\n")[0].rstrip(".")
    if names and (names[-1] not in _SCHEMA_NAMES or "list indices must be integers" in inner):
        # protobuf took a list for an object, and its items for field names ("Failed to parse False field")
        names, field = names[:-1], _schema_field(names[:-1])
        lists = (path for path, value in _values(document, names) if isinstance(value, list))
        where = next((path for path in lists if field and path.endswith("]") == field.is_repeated), ".".join(names))
        return f"{where} should be an object ({{…}}), not a list"
    at = _AT.search(inner)  # the path that ends some errors, with list positions
    where = at.group(1).lstrip(".") if at else ".".join(names)
    for pattern, phrase in _PROBLEMS:
        match = re.search(pattern, inner)
        if not match:
            continue
        group = _short(match.group(1)) if match.groups() else ""
        if not at:  # the first value of the kind protobuf names along the chain, with its list positions
            where = next((path for path, value in _values(document, names) if type(value).__name__ == group), where)
        if pattern.startswith("repeated") and at:  # that path is the object holding the list
            where = f"{where}.{group}".lstrip(".")
        value = _value_at(document, where)
        if phrase.startswith("unknown") and isinstance(value, str | int | float | list):
            return f"{where} should be an object ({{…}}), not {_kind(value)}"  # protobuf read "HP:…" letter by letter
        in_where = f"in {where}" if where else "at the top level"
        return phrase.format(group, where=where or "the file", in_where=in_where, kind=_PYTHON_KINDS.get(group, group))
    inner = _TYPE_NAME.sub(r"\1", _AT.sub("", inner)).rstrip(". ")
    return f"{_short(inner, 200)} in {where}" if where else _short(inner, 200)


def _schema_names() -> set[str]:
    """The names of all the schema's fields, as JSON and as protobuf spell them."""
    names, messages, seen = set(), [Phenopacket.DESCRIPTOR], set()
    while messages:
        message = messages.pop()
        if message.full_name not in seen:
            seen.add(message.full_name)
            names |= {name for field in message.fields for name in (field.name, field.json_name)}
            messages += [field.message_type for field in message.fields if field.message_type]
    return names


_SCHEMA_NAMES = _schema_names()


def _schema_field(names: list[str]):
    """The schema's field at the end of a chain of JSON names from the top, or None."""
    message, field = Phenopacket.DESCRIPTOR, None
    for name in names:
        field = message and (message.fields_by_camelcase_name.get(name) or message.fields_by_name.get(name))
        if not field:
            return None
        message = field.message_type
    return field


def _values(value, names: list[str], path: str = ""):
    """(path, value) of each JSON value along a chain of field names, lists walked item by item."""
    if not names:
        yield path, value
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _values(item, names, f"{path}[{index}]")
    elif names and isinstance(value, dict) and names[0] in value:
        yield from _values(value[names[0]], names[1:], f"{path}.{names[0]}".lstrip("."))


def _value_at(document: dict, path: str):
    """The JSON value at a path such as ``phenotypicFeatures[0].type``, or None."""
    value = document
    for name, index in re.findall(r"(\w+)(?:\[(\d+)\])?", path):
        value = value.get(name) if isinstance(value, dict) else None
        if index:
            value = value[int(index)] if isinstance(value, list) and int(index) < len(value) else None
    return value


def _kind(value) -> str:
    return _PYTHON_KINDS.get(type(value).__name__, "null")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
