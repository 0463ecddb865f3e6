"""The open disease data the site keeps in ``fixtures/open_data/``, derived from the source files.

``python manage.py build_open_data [--source DIR]`` reads the files of a data folder laid out as
``shared/data`` is (Orphanet ORPHApackets, Orphanet's 2019 definitions and ORDO 2.6, the Disease
Ontology, Mondo's mappings) and writes three compact files, each a gzip of JSON lines sorted by
key, written the same way every time (no timestamps, fixed key order), so a rebuild from the same
sources is byte-identical:

- ``orphanet.jsonl.gz``: one line per ORPHA code: its name, type, definition (with the commas
  Orphanet's exports since 2020 lost put back where an older text shows them), other names,
  prevalences, ages of onset, types of inheritance, parents (code and name: some are
  classification heads with no packet of their own), genes with their role, OMIM links.
- ``disease_ontology.jsonl.gz``: one line per Disease Ontology term linked to OMIM or Orphanet:
  its name, definition, acronyms, other exact names and those links.
- ``mondo.jsonl.gz``: one line per live Mondo class with an OMIM or Orphanet exact match: those
  matches and its GARD ID.

Bad input stops the build with the file, the record and the reason (``ParseError``).
"""

import csv
import difflib
import gzip
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from gard.importers.errors import ParseError

ORPHANET = "orphanet.jsonl.gz"
DISEASE_ONTOLOGY = "disease_ontology.jsonl.gz"
MONDO = "mondo.jsonl.gz"
SOURCES = "sources.json"
OUTPUTS = (ORPHANET, DISEASE_ONTOLOGY, MONDO, SOURCES)
ORPHANET_VERSION = re.compile(r"/ (?P<version>[\d.]+) \[(?P<date>\d{4}-\d{2}-\d{2})\]")
DATED_RELEASE = re.compile(r"releases/(?P<date>\d{4}-\d{2}-\d{2})/")

RELATION = re.compile(r"^(E|NTBT|BTNT|ND|W) \(")
COMMA_KEPT = ("identical", "commas_only")


# -- reading ------------------------------------------------------------------------------------


def _items(value, key: str) -> list:
    """An ORPHApacket list in either of its shapes: ``[{key: x}, …]`` or ``{key: [x, …]}`` (or one x)."""
    if value is None:
        return []
    if isinstance(value, dict):
        inner = value.get(key, [])
        return inner if isinstance(inner, list) else [inner]
    items = []
    for item in value:
        if isinstance(item, dict) and key in item:
            inner = item[key]
            items.extend(inner if isinstance(inner, list) else [inner])
        else:
            items.append(item)  # a list of one item sometimes drops its wrapper
    return items


def _value(item) -> str:
    return item["value"] if isinstance(item, dict) else str(item)


def _packet(line: str, path: Path, number: int) -> dict:
    try:
        packet = json.loads(line)["Orphapacket"]
        code = str(int(packet["ORPHAcode"]))
        label = packet["Label"].strip()
    except (ValueError, KeyError, TypeError) as error:
        raise ParseError(path.name, number, f"not an ORPHApacket with a code and a label ({error})") from None
    if not label:
        raise ParseError(path.name, number, f"ORPHA:{code} has an empty label")
    return packet | {"ORPHAcode": code, "Label": label}


def _omim_links(packet, path, number) -> list[list[str]]:
    links = []
    for reference in _items(packet.get("ExternalReferences"), "ExternalReference"):
        if reference.get("Source") != "OMIM":
            continue
        match = RELATION.match(reference.get("DisorderMappingRelation", ""))
        accession = str(reference.get("Reference", ""))
        if not match or not accession.isdigit():
            raise ParseError(path.name, number, f"ORPHA:{packet['ORPHAcode']} has an unreadable OMIM link {reference}")
        links.append([accession, match.group(1)])
    return sorted(links)


def _prevalences(packet) -> list[list[str]]:
    rows = []
    for item in _items(packet.get("Prevalences"), "Prevalence"):
        rows.append(
            [
                item.get("PrevalenceType", ""),
                item.get("PrevalenceQualification", ""),
                item.get("PrevalenceClass", ""),
                item.get("ValMoy", ""),
                item.get("PrevalenceGeographic", ""),
                item.get("Source", ""),
            ]
        )
    return rows


def _genes(packet) -> list[list[str]]:
    genes = []
    for item in _items(packet.get("Genes"), "Gene"):
        gene = item.get("Gene", item) if isinstance(item, dict) else {}
        symbol = gene.get("Symbol", "")
        if symbol:
            genes.append([symbol, gene.get("Name", gene.get("Label", "")), gene.get("DisorderGeneAssociationType", "")])
    return genes


def read_packets(path: Path) -> dict[str, dict]:
    packets = {}
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            packet = _packet(line, path, number)
            packets[packet["ORPHAcode"]] = packet | {"_line": number}
    return packets


def read_definitions_2019(path: Path) -> dict[str, tuple[str, str]]:
    """ORPHA code -> (how the 2019 text compares with 2025's, the 2019 text)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    header = rows[0]
    if header[:1] != ["orpha_code"] or "definition_2019" not in header:
        raise ParseError(path.name, 1, "the header is not that of definitions-2019.tsv")
    code, match, text = header.index("orpha_code"), header.index("match_2025"), header.index("definition_2019")
    found = {}
    for number, row in enumerate(rows[1:], 2):
        if len(row) != len(header):
            raise ParseError(path.name, number, f"{len(row)} columns, expected {len(header)}")
        found[row[code]] = (row[match], row[text])
    return found


def read_ordo_definitions(path: Path) -> dict[str, str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        graph = json.load(handle)["graphs"][0]
    found = {}
    for node in graph.get("nodes", []):
        node_id = node.get("id", "")
        definition = ((node.get("meta") or {}).get("definition") or {}).get("val")
        if node_id.startswith("http://www.orpha.net/ORDO/Orphanet_") and definition:
            found[node_id.rsplit("_", 1)[1]] = definition
    return found


# -- commas -------------------------------------------------------------------------------------


def _without_commas(text: str) -> str:
    return re.sub(r",(?=\s)", "", text)


def restore_commas(current: str, older: str) -> str:
    """``current`` with the ", " of ``older`` put back where the words on both sides of it match.

    Orphanet's exports since 2020 dropped every comma followed by a space. Where an older text of the
    same definition has one between two words that both stand, unchanged and in the same order, in
    the current text, the comma goes back after the first of them; nowhere else.
    """
    old_words, new_words = older.split(), current.split()
    bare_old = [word[:-1] if word.endswith(",") else word for word in old_words]
    restored = list(new_words)
    matcher = difflib.SequenceMatcher(a=bare_old, b=new_words, autojunk=False)
    for tag, a_start, a_end, b_start, _ in matcher.get_opcodes():
        if tag != "equal":
            continue
        # a comma inside the run: both its neighbours matched
        for offset in range(a_end - a_start - 1):
            if old_words[a_start + offset].endswith(",") and not new_words[b_start + offset].endswith(","):
                restored[b_start + offset] += ","
    return " ".join(restored)


def definition(code: str, current: str, older: dict, ordo: dict) -> tuple[str, str]:
    """The definition to show and where its punctuation comes from."""
    match, text_2019 = older.get(code, ("", ""))
    if match in COMMA_KEPT and _without_commas(text_2019) == current:
        return text_2019, "2019 text (identical words)"
    if code in ordo and _without_commas(ordo[code]) == current:
        return ordo[code], "ORDO 2.6 text (identical words)"
    for previous in (text_2019, ordo.get(code, "")):
        if previous and "," in previous:
            restored = restore_commas(current, previous)
            if restored != current:
                return restored, "commas aligned from an earlier text"
    return current, ""


# -- building -------------------------------------------------------------------------------------


def build_orphanet(source: Path) -> list[dict]:
    path = source / "orphanet" / "orphapackets.jsonl.gz"
    packets = read_packets(path)
    older = read_definitions_2019(source / "orphanet" / "definitions-2019.tsv")
    ordo = read_ordo_definitions(source / "orphanet" / "ordo-2_6-2018-07-12.json.gz")
    records = []
    for code in sorted(packets, key=int):
        packet = packets[code]
        number = packet["_line"]
        text = ""
        sections = packet.get("TextSection") or []
        for section in sections if isinstance(sections, list) else [sections]:
            section = section.get("TextSection", section)
            if section.get("TextSectionType") == "Definition":
                text = section.get("Contents", "").strip()
        text, punctuation = definition(code, text, older, ordo) if text else ("", "")
        parents = sorted(
            {(str(int(p["ORPHAcode"])), p.get("Label", "")) for p in _items(packet.get("Parents"), "Parent")},
            key=lambda parent: int(parent[0]),
        )
        records.append(
            {
                "version": packet.get("version", ""),  # taken out into sources.json
                "code": code,
                "name": packet["Label"],
                "type": (packet.get("DisorderType") or {}).get("value", ""),
                "definition": text,
                "punctuation": punctuation,
                "synonyms": [_value(s) for s in _items(packet.get("Synonyms"), "Synonym")],
                "prevalences": _prevalences(packet),
                "onsets": [_value(item) for item in _items(packet.get("AverageAgeOfOnsets"), "AverageAgeOfOnset")],
                "inheritance": [_value(item) for item in _items(packet.get("TypeOfInheritances"), "TypeOfInheritance")],
                "parents": [list(parent) for parent in parents],
                "genes": _genes(packet),
                "omim": _omim_links(packet, path, number),
            }
        )
    return records


def _quoted_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t"))


def _xrefs(path: Path, prefix: str) -> dict[str, list[str]]:
    rows = _quoted_tsv(path)
    if rows[0] != ["id", "label", "xrefs"]:
        raise ParseError(path.name, 1, "expected the columns id, label, xrefs")
    found = defaultdict(list)
    for number, row in enumerate(rows[1:], 2):
        if len(row) != 3:
            raise ParseError(path.name, number, f"{len(row)} columns, expected 3")
        for xref in row[2].split(", "):
            if xref.startswith(prefix) and xref[len(prefix) :].isdigit():
                found[row[0]].append(xref[len(prefix) :])
    return found


OBO_SYNONYM = re.compile(r'^synonym: "(?P<name>.*)" (?P<scope>[A-Z]+) (?P<type>\S+ )?\[[^\]]*\](?P<qualifiers>.*)$')
NO_TERM = {"acronyms": [], "synonyms": [], "mim": [], "ordo": [], "gard": []}


def _rare_slim(path: Path) -> dict[str, dict]:
    """DOID -> acronyms, other exact names and GARD, OMIM and ORDO cross-references from the rare-disease slim.

    An acronym is a synonym typed OMO:0003012 or qualified ``synonymtypedef="acronym"``; the other EXACT
    synonyms are the term's other names (RELATED, NARROW and BROAD ones are not the same disease).
    """
    terms, current = {}, None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line == "[Term]":
            current = {key: [] for key in NO_TERM}
        elif line.startswith("[") and line.endswith("]"):
            current = None
        elif current is not None and line.startswith("id: "):
            terms[line[4:]] = current
        elif current is not None and line.startswith("synonym: "):
            match = OBO_SYNONYM.match(line)
            if not match:
                raise ParseError(path.name, number, "unreadable synonym line")
            acronym = (match.group("type") or "").strip() == "OMO:0003012"
            if acronym or 'synonymtypedef="acronym"' in match.group("qualifiers"):
                current["acronyms"].append(match.group("name"))
            elif match.group("scope") == "EXACT":
                current["synonyms"].append(match.group("name"))
        elif current is not None and line.startswith("xref: "):
            prefix, _, accession = line[6:].partition(":")
            key = {"MIM": "mim", "ORDO": "ordo", "GARD": "gard"}.get(prefix)
            if key and accession.isdigit():
                current[key].append(accession)
    return terms


def build_disease_ontology(source: Path) -> list[dict]:
    folder = source / "disease-ontology"
    mims = _xrefs(folder / "OMIMinDO.tsv", "MIM:")
    ordos = _xrefs(folder / "OrphanetinDO.tsv", "ORDO:")
    slim = _rare_slim(folder / "DO_rare_slim.obo")
    names, definitions = {}, {}
    path = folder / "facets.tsv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        header = next(reader)
        if header[:3] != ["?id", "?name", "?definition"]:
            raise ParseError(path.name, 1, "expected the columns ?id, ?name, ?definition")
        for row in reader:
            names.setdefault(row[0], row[1])
            if row[2]:
                definitions.setdefault(row[0], row[2])
    records = []
    for doid in sorted(set(mims) | set(ordos) | {d for d, t in slim.items() if t["mim"] or t["ordo"]}):
        term = slim.get(doid, NO_TERM)
        omim = sorted(set(mims.get(doid, [])) | set(term["mim"]), key=int)
        orpha = sorted(set(ordos.get(doid, [])) | set(term["ordo"]), key=int)
        if doid not in names:
            continue  # obsolete or outside the release's facets: no name or definition to show
        records.append(
            {
                "doid": doid,
                "name": names[doid],
                "definition": definitions.get(doid, ""),
                "acronyms": term["acronyms"],
                "synonyms": term["synonyms"],
                "omim": omim,
                "orpha": orpha,
                "gard": sorted(set(term["gard"]), key=int),
            }
        )
    return records


def _sssom(path: Path) -> tuple[dict, list[list[str]]]:
    metadata, rows = {}, []
    lines = path.read_text(encoding="utf-8").splitlines()
    body = [line for line in lines if not line.startswith("#")]
    for line in lines:
        if line.startswith("# ") and ": " in line:
            key, _, value = line[2:].partition(": ")
            metadata[key.strip()] = value.strip()
    header = body[0].split("\t")
    for number, line in enumerate(body[1:], 2):
        row = line.split("\t")
        if len(row) != len(header):
            raise ParseError(path.name, number, f"{len(row)} columns, expected {len(header)}")
        rows.append(dict(zip(header, row, strict=True)))
    return metadata, rows


def build_mondo(source: Path) -> list[dict]:
    folder = source / "mondo"
    classes = defaultdict(lambda: {"omim": [], "orpha": [], "gard": ""})
    for name, prefix, key in (
        ("mondo_exactmatch_omim.sssom.tsv", "OMIM:", "omim"),
        ("mondo_exactmatch_orphanet.sssom.tsv", "Orphanet:", "orpha"),
    ):
        _, rows = _sssom(folder / name)
        for row in rows:
            if row["subject_label"].startswith("obsolete") or not row["object_id"].startswith(prefix):
                continue
            accession = row["object_id"][len(prefix) :]
            if accession.isdigit():
                classes[row["subject_id"]][key].append(accession)
    _, rows = _sssom(folder / "mondo_hasdbxref_gard.sssom.tsv")
    for row in rows:
        if row["subject_id"] in classes and row["object_id"].startswith("GARD:"):
            classes[row["subject_id"]]["gard"] = str(int(row["object_id"][5:]))
    return [
        {"mondo": mondo, "omim": sorted(c["omim"], key=int), "orpha": sorted(c["orpha"], key=int), "gard": c["gard"]}
        for mondo, c in sorted(classes.items())
    ]


def _write(path: Path, records: list[dict]) -> None:
    text = "".join(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n" for record in records)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as handle:
        handle.write(text.encode("utf-8"))
    path.write_bytes(buffer.getvalue())


def _release(pattern, text: str, path: Path) -> dict:
    match = pattern.search(text)
    if not match:
        raise ParseError(path.name, None, "no release version found")
    return match.groupdict()


def source_versions(source: Path, orphanet: list[dict]) -> dict:
    """Each source's release, read from its own files, for the credit every page gives it."""
    versions = {record.pop("version") for record in orphanet}
    if len(versions) != 1:
        raise ParseError("orphapackets.jsonl.gz", None, f"packets of {len(versions)} data versions: {sorted(versions)}")
    obo = source / "disease-ontology" / "DO_rare_slim.obo"
    header = obo.read_text(encoding="utf-8")[:2000]
    mondo_path = source / "mondo" / "mondo_exactmatch_omim.sssom.tsv"
    mondo_meta, _ = _sssom(mondo_path)
    return {
        "orphanet": _release(ORPHANET_VERSION, versions.pop(), source / "orphanet" / "orphapackets.jsonl.gz"),
        "disease-ontology": _release(DATED_RELEASE, header, obo),
        "mondo": _release(DATED_RELEASE, mondo_meta.get("mapping_set_version", ""), mondo_path),
    }


def build(source: Path, target: Path) -> dict[str, int]:
    """Read the source folder and write the derived files; the number of records in each."""
    orphanet = build_orphanet(source)
    built = {
        ORPHANET: orphanet,
        DISEASE_ONTOLOGY: build_disease_ontology(source),
        MONDO: build_mondo(source),
    }
    versions = source_versions(source, orphanet)
    target.mkdir(parents=True, exist_ok=True)
    for name, records in built.items():
        _write(target / name, records)
    (target / SOURCES).write_text(json.dumps(versions, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return {name: len(records) for name, records in built.items()}


def read(path: Path) -> list[dict]:
    """The records of one derived file, checked line by line."""
    records = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            try:
                record = json.loads(line)
            except ValueError as error:
                raise ParseError(path.name, number, f"not JSON ({error})") from None
            if not isinstance(record, dict):
                raise ParseError(path.name, number, "not a JSON object")
            records.append(record)
    return records


# -- one disease, one page: which OMIM and Orphanet records are the same disease ---------------------


@dataclass
class Pairs:
    """OMIM and Orphanet records that name the same disease one-to-one, and the mappings left apart."""

    pairs: list[tuple[str, str]] = field(default_factory=list)  # (ORPHA:x, OMIM:y), sorted
    by_source: Counter = field(default_factory=Counter)  # "Orphanet E link", "Mondo exactMatch", "both"
    left_apart: list[str] = field(default_factory=list)  # why each one-to-many mapping was not merged


def exact_pairs(orphanet: list[dict], mondo: list[dict]) -> Pairs:
    """Pairs from Orphanet's exact (E) links and Mondo's exactMatch classes that are one-to-one.

    A pair is kept only when neither record is paired with any other record by either source: an
    OMIM number with E links from two ORPHA codes, a Mondo class matching two OMIM or two Orphanet
    records, or two sources pairing a record with different partners, are left apart and listed.
    """
    found = Pairs()
    claims = defaultdict(set)  # (orpha, omim) -> sources
    orphanet_e = defaultdict(set)
    for record in orphanet:
        for accession, relation in record["omim"]:
            if relation == "E":
                orphanet_e[f"OMIM:{accession}"].add(f"ORPHA:{record['code']}")
    for omim, orphas in sorted(orphanet_e.items()):
        if len(orphas) > 1:
            found.left_apart.append(f"{omim} has exact links from {', '.join(sorted(orphas))} (Orphanet)")
            continue
        claims[(next(iter(orphas)), omim)].add("Orphanet E link")
    for row in mondo:
        if not row["omim"] or not row["orpha"]:
            continue
        if len(row["omim"]) > 1 or len(row["orpha"]) > 1:
            found.left_apart.append(
                f"{row['mondo']} matches {', '.join(f'OMIM:{a}' for a in row['omim'])} and "
                f"{', '.join(f'ORPHA:{a}' for a in row['orpha'])} (Mondo)"
            )
            continue
        claims[(f"ORPHA:{row['orpha'][0]}", f"OMIM:{row['omim'][0]}")].add("Mondo exactMatch")
    partners = defaultdict(set)
    for orpha, omim in claims:
        partners[orpha].add(omim)
        partners[omim].add(orpha)
    for (orpha, omim), sources in sorted(claims.items()):
        if len(partners[orpha]) > 1 or len(partners[omim]) > 1:
            others = sorted((partners[orpha] | partners[omim]) - {orpha, omim})
            found.left_apart.append(f"{orpha} and {omim}: also paired with {', '.join(others)}")
            continue
        found.pairs.append((orpha, omim))
        found.by_source["both" if len(sources) > 1 else next(iter(sources))] += 1
    found.left_apart = sorted(set(found.left_apart))
    return found


def read_pairs(folder: Path) -> Pairs:
    """The pairs the derived files in ``folder`` give (none if the files are not there)."""
    if not (folder / ORPHANET).exists() or not (folder / MONDO).exists():
        return Pairs()
    return exact_pairs(read(folder / ORPHANET), read(folder / MONDO))
