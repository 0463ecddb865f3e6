"""Reading one HPO release: the ontology (hp.obo), the disease annotations and the gene links.

Everything is read and checked before the database is touched: a short line,
an unknown frequency or an unknown HPO ID raises ``ParseError`` with the file
and line, and the import changes nothing.
"""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import fastobo

from gard.frequency import UnknownFrequency, parse_frequency
from gard.importers.errors import ParseError
from gard.models import Aspect, is_hpo_id

PHENOTYPIC_ABNORMALITY = "HP:0000118"
# The sub-ontology a term belongs to decides its aspect; the first root above the term wins.
ASPECT_ROOTS = [
    ("HP:0000005", Aspect.INHERITANCE),  # Mode of inheritance
    ("HP:0031797", Aspect.CLINICAL_COURSE),  # Clinical course (onset, progression), under Clinical modifier
    ("HP:0012823", Aspect.MODIFIER),  # Clinical modifier
    ("HP:0032443", Aspect.HISTORY),  # Past medical history
    (PHENOTYPIC_ABNORMALITY, Aspect.PHENOTYPE),
]
RECORD_ID = re.compile(r"^(OMIM|ORPHA|DECIPHER):(\d+)$")
ANNOTATION_COLUMNS = [
    "database_id",
    "disease_name",
    "qualifier",
    "hpo_id",
    "reference",
    "evidence",
    "onset",
    "frequency",
    "sex",
    "modifier",
    "aspect",
    "biocuration",
]
GENE_COLUMNS = ["ncbi_gene_id", "gene_symbol", "hpo_id", "hpo_name", "frequency", "disease_id"]
SKIPPED_SYNONYM_TYPES = {"obsolete_synonym"}  # names HPO itself has discarded


@dataclass
class Term:
    hpo_id: str
    name: str
    definition: str = ""
    comment: str = ""
    is_obsolete: bool = False
    replaced_by: str = ""
    synonyms: dict[str, tuple[str, bool]] = field(default_factory=dict)  # name -> (scope, layperson)
    parents: list[str] = field(default_factory=list)
    alt_ids: list[str] = field(default_factory=list)


@dataclass
class Record:
    """A disease record of the annotation file: OMIM:203800 and the name it goes by."""

    curie: str
    prefix: str
    accession: str
    names: Counter = field(default_factory=Counter)

    @property
    def name(self) -> str:
        # The name the record uses most; the first seen breaks ties.
        return self.names.most_common(1)[0][0]


@dataclass(slots=True)
class Row:
    """One annotation, keyed so the same statement in the next release finds its row again."""

    import_ref: str
    record: str
    hpo_id: str
    negated: bool
    aspect: str
    frequency: str
    frequency_raw: str
    onset: str
    sex: str
    modifier: str
    evidence: str
    citations: str


@dataclass
class Release:
    version: str
    terms: dict[str, Term]
    records: dict[str, Record]
    rows: list[Row]
    genes: dict[int, str]  # NCBI gene ID -> symbol
    record_genes: set[tuple[str, int]]
    duplicate_lines: int = 0

    def aspects(self) -> dict[str, str]:
        """For each term under one of the aspect roots, the aspect an annotation of it has."""
        ancestors: dict[str, set[str]] = {}

        def above(hpo_id: str, trail: frozenset) -> set[str]:
            if hpo_id not in ancestors:
                found = {hpo_id}
                for parent in self.terms[hpo_id].parents:
                    if parent not in trail:
                        found |= above(parent, trail | {hpo_id})
                ancestors[hpo_id] = found
            return ancestors[hpo_id]

        aspects = {}
        for hpo_id in self.terms:
            lineage = above(hpo_id, frozenset())
            aspect = next((aspect for root, aspect in ASPECT_ROOTS if root in lineage), None)
            if aspect:
                aspects[hpo_id] = aspect
        return aspects

    def categories(self) -> dict[str, set[str]]:
        """For each term, the organ systems above it: the children of Phenotypic abnormality."""
        top = {hpo_id for hpo_id, term in self.terms.items() if PHENOTYPIC_ABNORMALITY in term.parents}
        found: dict[str, set[str]] = {}

        def walk(hpo_id: str, trail: frozenset) -> set[str]:
            if hpo_id in found:
                return found[hpo_id]
            result = {hpo_id} if hpo_id in top else set()
            for parent in self.terms[hpo_id].parents:
                if parent not in trail:
                    result |= walk(parent, trail | {hpo_id})
            found[hpo_id] = result
            return result

        for hpo_id in self.terms:
            walk(hpo_id, frozenset())
        return found


def read_obo(path: Path) -> tuple[str, dict[str, Term]]:
    try:
        document = fastobo.load(str(path))
    except (SyntaxError, ValueError, OSError) as error:
        line = getattr(error, "lineno", None)
        raise ParseError(path, line, f"not a readable OBO file: {error}") from error
    version = ""
    for clause in document.header:
        if isinstance(clause, fastobo.header.DataVersionClause):
            version = str(clause.version).rsplit("/", 1)[-1]
    terms: dict[str, Term] = {}
    for frame in document:
        if not isinstance(frame, fastobo.term.TermFrame):
            continue
        hpo_id = str(frame.id)
        if not is_hpo_id(hpo_id):
            continue  # terms of other ontologies that hp.obo borrows
        term = Term(hpo_id=hpo_id, name="")
        for clause in frame:
            if isinstance(clause, fastobo.term.NameClause):
                term.name = str(clause.name)
            elif isinstance(clause, fastobo.term.DefClause):
                term.definition = str(clause.definition)
            elif isinstance(clause, fastobo.term.CommentClause):
                term.comment = str(clause.comment)
            elif isinstance(clause, fastobo.term.IsObsoleteClause):
                term.is_obsolete = bool(clause.obsolete)
            elif isinstance(clause, fastobo.term.ReplacedByClause):
                term.replaced_by = str(clause.term)
            elif isinstance(clause, fastobo.term.IsAClause):
                term.parents.append(str(clause.term))
            elif isinstance(clause, fastobo.term.AltIdClause):
                term.alt_ids.append(str(clause.alt_id))
            elif isinstance(clause, fastobo.term.SynonymClause):
                synonym = clause.synonym
                kind = str(synonym.type) if synonym.type is not None else ""
                if kind in SKIPPED_SYNONYM_TYPES or synonym.desc == term.name:
                    continue
                scope, layperson = term.synonyms.get(synonym.desc, (str(synonym.scope), False))
                term.synonyms[synonym.desc] = (scope, layperson or kind == "layperson")
        if not term.name:
            raise ParseError(path, None, f"term {hpo_id} has no name")
        terms[hpo_id] = term
    for term in terms.values():
        term.parents = [parent for parent in term.parents if parent in terms]
    return version, terms


def _tab_lines(path: Path, columns: list[str]):
    """(line number, fields) of a tab-separated file, after its # comments and header row."""
    header_seen = False
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if line.startswith("#"):
                continue
            fields = line.split("\t")
            if not header_seen:
                if fields != columns:
                    raise ParseError(path, number, f"expected the header {' '.join(columns)}")
                header_seen = True
                continue
            if len(fields) != len(columns):
                raise ParseError(path, number, f"expected {len(columns)} tab-separated fields, found {len(fields)}")
            yield number, fields
    if not header_seen:
        raise ParseError(path, None, "no header row")


def _annotation_ref(fields: dict, occurrence: int) -> str:
    identity = "|".join(
        [fields[name] for name in ("qualifier", "aspect", "reference", "onset", "sex", "modifier")] + [str(occurrence)]
    )
    digest = hashlib.sha1(identity.encode(), usedforsecurity=False).hexdigest()[:16]
    return f"{fields['database_id']}|{fields['hpo_id']}|{digest}"


def read_annotation_version(path: Path) -> str:
    """The release date in the annotation file's header, without reading the rest."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            if line.startswith("#version:"):
                return line.split(":", 1)[1].strip()
    return ""


def read_annotations(path: Path, terms: dict[str, Term]) -> tuple[str, dict[str, Record], list[Row], int]:
    version = read_annotation_version(path)
    records: dict[str, Record] = {}
    rows: list[Row] = []
    seen_lines: set[tuple] = set()
    occurrences: Counter = Counter()
    duplicates = 0
    for number, values in _tab_lines(path, ANNOTATION_COLUMNS):
        fields = dict(zip(ANNOTATION_COLUMNS, values, strict=True))
        match = RECORD_ID.match(fields["database_id"])
        if not match:
            raise ParseError(path, number, f"unknown disease identifier {fields['database_id']!r}")
        for column in ("hpo_id", "onset"):
            value = fields[column]
            if (value or column == "hpo_id") and value not in terms:
                raise ParseError(path, number, f"unknown HPO ID {value!r} in column {column}")
        if fields["qualifier"] not in ("", "NOT"):
            raise ParseError(path, number, f"unknown qualifier {fields['qualifier']!r}")
        if fields["aspect"] not in Aspect.values:
            raise ParseError(path, number, f"unknown aspect {fields['aspect']!r}")
        try:
            frequency = parse_frequency(fields["frequency"])
        except UnknownFrequency as error:
            raise ParseError(path, number, str(error)) from error
        if not fields["disease_name"]:
            raise ParseError(path, number, "no disease name")

        line_key = tuple(values[:11])  # the same statement, whoever curated it
        if line_key in seen_lines:
            duplicates += 1
            continue
        seen_lines.add(line_key)
        identity = tuple(fields[name] for name in ("database_id", "hpo_id", "qualifier", "aspect", "reference"))
        identity += (fields["onset"], fields["sex"], fields["modifier"])
        occurrence = occurrences[identity]
        occurrences[identity] += 1

        curie = fields["database_id"]
        record = records.get(curie)
        if record is None:
            record = records[curie] = Record(curie, match.group(1), match.group(2))
        record.names[fields["disease_name"]] += 1
        rows.append(
            Row(
                import_ref=_annotation_ref(fields, occurrence),
                record=curie,
                hpo_id=fields["hpo_id"],
                negated=fields["qualifier"] == "NOT",
                aspect=fields["aspect"],
                frequency=str(frequency),
                frequency_raw=fields["frequency"],
                onset=fields["onset"],
                sex=fields["sex"],
                modifier=fields["modifier"],
                evidence=fields["evidence"],
                citations=fields["reference"],
            )
        )
    return version, records, rows, duplicates


def read_genes(path: Path, terms: dict[str, Term], records: dict[str, Record]):
    genes: dict[int, str] = {}
    links: set[tuple[str, int]] = set()
    for number, values in _tab_lines(path, GENE_COLUMNS):
        fields = dict(zip(GENE_COLUMNS, values, strict=True))
        if not fields["ncbi_gene_id"].isdigit() or not fields["gene_symbol"]:
            raise ParseError(path, number, f"bad gene {fields['ncbi_gene_id']!r} {fields['gene_symbol']!r}")
        if fields["hpo_id"] not in terms:
            raise ParseError(path, number, f"unknown HPO ID {fields['hpo_id']!r}")
        if not RECORD_ID.match(fields["disease_id"]):
            raise ParseError(path, number, f"unknown disease identifier {fields['disease_id']!r}")
        gene_id = int(fields["ncbi_gene_id"])
        known = genes.setdefault(gene_id, fields["gene_symbol"])
        if known != fields["gene_symbol"]:
            raise ParseError(path, number, f"gene {gene_id} is {known} earlier and {fields['gene_symbol']} here")
        if fields["disease_id"] in records:
            links.add((fields["disease_id"], gene_id))
    linked = {gene_id for _, gene_id in links}
    return {gene_id: symbol for gene_id, symbol in genes.items() if gene_id in linked}, links


def read_release(obo: Path, annotations: Path, genes: Path) -> Release:
    obo_version, terms = read_obo(obo)
    annotation_version, records, rows, duplicates = read_annotations(annotations, terms)
    gene_symbols, record_genes = read_genes(genes, terms, records)
    return Release(
        version=annotation_version or obo_version,
        terms=terms,
        records=records,
        rows=rows,
        genes=gene_symbols,
        record_genes=record_genes,
        duplicate_lines=duplicates,
    )
