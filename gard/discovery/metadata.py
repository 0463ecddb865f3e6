"""What search engines and link previews read: descriptions and schema.org data for the pages.

Everything here works from what the page's view has already loaded (the disease with its
prefetched rows, the symptom overview, the genes), so it adds no database query.
"""

import json
import re

from gard.diseases.family import leading_summary
from gard.diseases.written import shown_references
from gard.frequency import Frequency
from gard.text import lower_first

SITE_NAME = "Rare Disease Information"
DESCRIPTION_LENGTH = 160  # about what result pages show of a meta description
DATA_DESCRIPTION_LENGTH = 500
DESCRIBED_SYMPTOMS = 3  # symptoms named in a catalogue page's description

_CITATION = re.compile(r"\s*\[\d{1,3}\]")
_SPACE = re.compile(r"\s+")


def plain_text(body: str) -> str:
    """A section body (see ``Section``) as one line of text: no citation markers, headings or bullets."""
    lines = []
    for line in body.splitlines():
        line = line.strip()
        if line.startswith("## "):
            line = line[3:].rstrip(".:") + "."
        lines.append(line.lstrip("•").strip())
    return _SPACE.sub(" ", _CITATION.sub("", " ".join(lines))).strip()


def shorten(text: str, limit: int) -> str:
    """Text cut at a sentence or word boundary to at most ``limit`` characters, an ellipsis if cut."""
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    sentence = cut.rfind(". ")
    if sentence >= limit // 2:
        return cut[: sentence + 1]
    return cut[: cut.rfind(" ")].rstrip(" ,;:") + "…" if " " in cut else cut + "…"


def summary_text(disease) -> str:
    """The plain text of what the page says the disease is (an editor's summary, else the leading summary
    section: gard.diseases.family); needs ``Disease.objects.for_page()``."""
    if disease.summary.strip():
        return plain_text(disease.summary)
    section = leading_summary(disease)
    return plain_text(section.body) if section else ""


def _listing(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def disease_description(disease, overview, genes, limit: int = DESCRIPTION_LENGTH) -> str:
    """The summary, shortened; for a page with no summary, what its catalogue data says."""
    summary = summary_text(disease)
    if summary:
        return shorten(summary, limit)
    parts = []
    seen = [fact.name for fact, group in overview.symptoms if group != Frequency.EXCLUDED]
    if len(seen) == 1:
        parts.append(f"1 symptom listed, {seen[0]}")
    elif seen:
        parts.append(f"{len(seen)} symptoms listed, among them {_listing(seen[:DESCRIBED_SYMPTOMS])}")
    inheritance = overview.facts.get("Inheritance")
    if inheritance:
        parts.append(_listing([lower_first(fact.name) for fact in inheritance]))
    if genes:
        parts.append(f"gene{'s' if len(genes) != 1 else ''} {_listing([gene.symbol for gene in genes])}")
    records = [record.curie for record in disease.identifiers.all()]
    if records:
        parts.append(f"record{'s' if len(records) != 1 else ''} {_listing(records)}")
    if not parts:
        return shorten(f"{disease.name}: a rare disease, with the sources of what is known about it.", limit)
    # Whole facts, in this order, as many as fit; a fact is never cut in the middle.
    kept = parts[:1]
    for part in parts[1:]:
        if len(f"{disease.name}: {'; '.join([*kept, part])}.") <= limit:
            kept.append(part)
    return shorten(f"{disease.name}: {'; '.join(kept)}.", limit)


# -- schema.org JSON-LD -----------------------------------------------------------------------

# Inside <script>, only "</script" and "<!--" end or change the data block; JSON allows any character
# written as \\uXXXX, so these three never appear literally and no text can break out.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> str:
    """A ``<script type="application/ld+json">`` data block that is safe whatever the text in ``data``.

    It is data, never run, so the Content-Security-Policy (script-src 'self') does not apply to it.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_SCRIPT_ESCAPES)
    return f'<script type="application/ld+json">{text}</script>'


def _medical_code(value: str, system: str) -> dict:
    return {"@type": "MedicalCode", "codeValue": value, "codingSystem": system}


def disease_json_ld(disease, overview, genes, url: str) -> dict:
    """The disease as a schema.org MedicalCondition, with the page about it as a MedicalWebPage.

    - signOrSymptom: every symptom of the table (not those stated at 0%), most frequent first, each
      with its HPO code. The largest page of the catalogue has about 210, a few tens of kilobytes,
      less than the table itself, so none is left out.
    - code: the OMIM, Orphanet and DECIPHER records; sameAs: their pages.
    - Genes: MedicalCondition has no gene property. A Gene (a BioChemEntity) has
      ``associatedDisease``, so each gene is linked from the other end through JSON-LD's
      ``@reverse``: the graph then says "Gene ALMS1 associatedDisease this condition", which is what
      the data states, without inventing a property.
    - Inheritance is left out: no MedicalCondition property means the mode of inheritance
      (``cause`` is a MedicalCause, a cause of the condition, not how it is passed on).
    - The references and sources are citations of the page, a CreativeWork, not of the condition.
    """
    condition_id = f"{url}#condition"
    condition = {
        "@type": "MedicalCondition",
        "@id": condition_id,
        "name": disease.name,
        "url": url,
    }
    other_names = [synonym.name for synonym in disease.synonyms.all()]
    if other_names:
        condition["alternateName"] = other_names
    description = disease_description(disease, overview, genes, DATA_DESCRIPTION_LENGTH)
    if description:
        condition["description"] = description
    identifiers = list(disease.identifiers.all())
    if identifiers:
        condition["code"] = [_medical_code(record.accession, record.get_prefix_display()) for record in identifiers]
        condition["sameAs"] = [record.url for record in identifiers]
    symptoms = [
        {"@type": "MedicalSignOrSymptom", "name": fact.name, "code": _medical_code(fact.hpo_id, "HPO")}
        for fact, group in overview.symptoms
        if group != Frequency.EXCLUDED
    ]
    if symptoms:
        condition["signOrSymptom"] = symptoms
    if genes:
        condition["@reverse"] = {
            "associatedDisease": [
                {
                    "@type": "Gene",
                    "@id": gene.url,
                    "name": gene.symbol,
                    "identifier": {"@type": "PropertyValue", "propertyID": "NCBI Gene", "value": str(gene.ncbi_id)},
                    "url": gene.url,
                }
                for gene in genes
            ]
        }

    page = {
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": disease.name,
        "mainEntity": {"@id": condition_id},
    }
    if disease.last_reviewed:
        page["lastReviewed"] = disease.last_reviewed.isoformat()
    updated = [section.last_updated for section in disease.sections.all() if section.last_updated]
    if updated:
        page["dateModified"] = max(updated).isoformat()
    citations = [
        {"@type": "CreativeWork", "name": reference.citation, **({"url": reference.url} if reference.url else {})}
        for reference in shown_references(disease)
    ]
    if citations:
        page["citation"] = citations
    sources = {section.source for section in disease.sections.all() if section.source}
    based_on = [_source_work(source) for source in sorted(sources, key=lambda source: source.key)]
    if identifiers:
        based_on.append(
            {"@type": "Dataset", "name": "Human Phenotype Ontology annotations", "url": "https://hpo.jax.org/"}
        )
    if based_on:
        page["isBasedOn"] = based_on
    return {"@context": "https://schema.org", "@graph": [condition, page]}


def _source_work(source) -> dict:
    work = {
        "@type": "CreativeWork",
        "name": source.title,
        "publisher": {"@type": "Organization", "name": source.publisher},
    }
    if source.url:
        work["url"] = source.url
    if source.licence_url:
        work["license"] = source.licence_url
    elif source.licence:
        work["license"] = source.licence
    return work
