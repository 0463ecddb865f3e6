"""Source documents -> one JSON fixture of natural-keyed records.

``manifest.json`` beside the documents says how to read each one and which
disease it is about; documents about the same disease are merged into one
page, each statement keeping its source. The output depends on nothing but
the documents and the manifest, so a rebuild is byte-identical.
"""

import json
from pathlib import Path
from urllib.parse import quote_plus

from gard.importers.documents import PARSERS, ParsedDocument, unique_names
from gard.models import Identifier
from gard.text import fold, name_key

FIXTURE_NAME = "source_documents.json"

# Links for the resources the documents name without one, from what the page knows.
RESOURCE_LINKS = {
    "Orphanet": lambda page: page.identifier_url("ORPHA"),
    "OMIM": lambda page: page.identifier_url("OMIM"),
    "GeneReviews": lambda page: page.reference_url("GeneReviews"),
    "PubMed": lambda page: "https://pubmed.ncbi.nlm.nih.gov/?term=" + quote_plus(f'"{page.name}"'),
    "Monarch Initiative": lambda page: "https://monarchinitiative.org/",
    "North American Mitochondrial Disease Consortium (NAMDC)": lambda page: "https://www.rarediseasesnetwork.org/namdc",
}


class DiseasePage:
    """What the documents say about one disease, merged in manifest order."""

    def __init__(self, slug: str, name: str):
        self.slug, self.name = slug, name
        self.identifiers: list[tuple[str, str]] = []
        self.documents: list[tuple[str, ParsedDocument]] = []

    def identifier_url(self, prefix: str) -> str:
        accession = next((acc for pre, acc in self.identifiers if pre == prefix), None)
        return Identifier.URLS[prefix].format(accession) if accession else ""

    def reference_url(self, word: str) -> str:
        for _, doc in self.documents:
            for reference in doc.references:
                if word in reference.citation and reference.url:
                    return reference.url
        return ""

    def other_names(self) -> list[tuple[str, str]]:
        """(name, source key) pairs, each name once and never the disease's own name."""
        own = name_key(self.name)
        named = [(name, key) for key, doc in self.documents for name in doc.other_names]
        kept = unique_names(name for name, _ in named if name_key(name) != own)
        first_source = {}
        for name, key in named:
            first_source.setdefault(name, key)
        return [(name, first_source[name]) for name in kept]


def read_manifest(documents_dir: Path) -> list[dict]:
    return json.loads((documents_dir / "manifest.json").read_text(encoding="utf-8"))


def parse_pages(documents_dir: Path) -> tuple[list[dict], list[DiseasePage]]:
    manifest = read_manifest(documents_dir)
    pages: dict[str, DiseasePage] = {}
    for entry in manifest:
        doc = PARSERS[entry["format"]](documents_dir / entry["file"])
        page = pages.setdefault(entry["disease"], DiseasePage(entry["disease"], doc.title))
        page.documents.append((entry["source"]["key"], doc))
        for curie in entry["identifiers"]:
            prefix, accession = curie.split(":")
            page.identifiers.append((prefix, accession))
    return manifest, list(pages.values())


def record(model: str, **fields) -> dict:
    return {"model": f"gard.{model}", "fields": fields}


def build_records(documents_dir: Path) -> list[dict]:
    manifest, pages = parse_pages(documents_dir)
    sources, diseases, identifiers, synonyms = [], [], [], []
    phenotypes, phenotype_synonyms, annotations = {}, [], []
    references, sections, resources = [], [], []

    for entry in manifest:
        source = entry["source"]
        doc = next(doc for page in pages for key, doc in page.documents if key == source["key"])
        sources.append(
            record(
                "source",
                key=source["key"],
                title=source["title"],
                short_name=source["short_name"],
                publisher=source["publisher"],
                url=source["url"],
                licence=source["licence"],
                licence_url=source["licence_url"],
                document=entry["file"],
                reviewed=doc.reviewed,
                published=doc.published.isoformat() if doc.published else None,
                notice=doc.notice,
            )
        )

    for page in pages:
        disease = [page.slug]
        diseases.append(record("disease", name=page.name, slug=page.slug, search_name=fold(page.name)))
        identifiers += [
            record("identifier", disease=disease, prefix=prefix, accession=accession)
            for prefix, accession in page.identifiers
        ]
        synonyms += [
            record("synonym", disease=disease, name=name, search_name=fold(name), source=[key])
            for name, key in page.other_names()
        ]
        number_offset = 0
        for key, doc in page.documents:
            for symptom in doc.symptoms:
                phenotypes.setdefault(
                    symptom.hpo_id,
                    record(
                        "phenotype",
                        hpo_id=symptom.hpo_id,
                        name=symptom.name,
                        search_name=fold(symptom.name),
                        definition="",
                    ),
                )
                phenotype_synonyms += [
                    record("phenotypesynonym", phenotype=[symptom.hpo_id], name=name, search_name=fold(name))
                    for name in symptom.other_names
                ]
                annotations.append(
                    record(
                        "annotation",
                        disease=disease,
                        phenotype=[symptom.hpo_id],
                        frequency=str(symptom.frequency),
                        frequency_raw=symptom.frequency_raw,
                        source=[key],
                    )
                )
            for reference in doc.references:
                references.append(
                    record(
                        "reference",
                        disease=disease,
                        number=number_offset + reference.number,
                        citation=reference.citation,
                        url=reference.url,
                        accessed=reference.accessed.isoformat() if reference.accessed else None,
                        source=[key],
                    )
                )
            number_offset += len(doc.references)
            sections += [
                record(
                    "section",
                    disease=disease,
                    kind=str(section.kind),
                    body="\n\n".join(section.paragraphs),
                    last_updated=section.last_updated.isoformat() if section.last_updated else None,
                    source=[key],
                )
                for section in doc.sections.values()
            ]
            for position, resource in enumerate(doc.resources):
                link = RESOURCE_LINKS.get(resource.name)
                resources.append(
                    record(
                        "resource",
                        disease=disease,
                        kind=str(resource.kind),
                        group=resource.group,
                        name=resource.name,
                        description=resource.description,
                        url=link(page) if link else "",
                        position=position,
                        source=[key],
                    )
                )
    unique_phenotype_synonyms = list(
        {(r["fields"]["phenotype"][0], r["fields"]["name"]): r for r in phenotype_synonyms}.values()
    )
    return (
        sources
        + diseases
        + identifiers
        + synonyms
        + list(phenotypes.values())
        + unique_phenotype_synonyms
        + annotations
        + references
        + sections
        + resources
    )


def render_fixture(documents_dir: Path) -> str:
    return json.dumps(build_records(documents_dir), indent=2, ensure_ascii=False) + "\n"
