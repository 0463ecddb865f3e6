"""What the symptom finder needs from the ontology, computed once when the catalogue changes.

For every HPO term: its ``ancestors`` (the HPO IDs of every term above it through
is_a links, itself excluded), its ``disease_count`` (diseases with the term or a
more specific one among their symptoms: HPO's true-path rule) and its
``information_content``::

    IC(t) = -ln(n_t / N)

where N is the number of diseases with at least one symptom (aspect P, not NOT)
and n_t the diseases counted for t. A term no disease has gets ln(N), the most
any term can have. Resnik (1995) defines the information content of a concept
this way; the Phenomizer (Köhler et al. 2009) computes it from disease
annotations as here.

The HPO import stores the three values (``store_term_statistics``), writing only
the terms whose values changed, and migration 0008 fills them in a database
that already holds a catalogue.
"""

import math
from collections import defaultdict

import numpy as np
from django.db import connection

from gard.models.annotations import SYMPTOM_ROWS

BATCH = 2000
IC_DIGITS = 9  # stored rounded, so the same data always stores the same numbers


def ancestor_sets(term_ids, parent_links) -> dict:
    """Every term's ancestors (itself excluded) from (child, parent) links; a cycle is cut where found."""
    parents = defaultdict(list)
    for child, parent in parent_links:
        parents[child].append(parent)
    found: dict = {}
    for start in term_ids:
        if start in found:
            continue
        # Depth first without recursion: a term's set is made once all its parents have theirs.
        stack, on_path = [start], {start}
        while stack:
            term = stack[-1]
            pending = [p for p in parents[term] if p not in found and p not in on_path]
            if pending:
                stack.append(pending[0])
                on_path.add(pending[0])
                continue
            above = set()
            for parent in parents[term]:
                if parent in found:
                    above.add(parent)
                    above |= found[parent]
            above.discard(term)
            found[term] = above
            stack.pop()
            on_path.discard(term)
    return found


def closure_pairs(row_terms: np.ndarray, pointers: np.ndarray, above: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row once per term in its term's closure (the term and its ancestors).

    ``pointers``/``above`` hold, for term index i, ``above[pointers[i]:pointers[i + 1]]``:
    the indexes of i and of its ancestors. Returns (row number, closure term) pairs.
    """
    starts, counts = pointers[row_terms], pointers[row_terms + 1] - pointers[row_terms]
    rows = np.repeat(np.arange(len(row_terms)), counts)
    first = np.cumsum(counts) - counts  # where each row's run begins in the output
    positions = np.repeat(starts - first, counts) + np.arange(int(counts.sum()))
    return rows, above[positions]


def closure_table(n_terms: int, ancestors_of: list) -> tuple[np.ndarray, np.ndarray]:
    """``pointers`` and ``above`` of ``closure_pairs``: term i, then its ancestors, for every i."""
    lengths = np.fromiter((len(a) + 1 for a in ancestors_of), dtype=np.int64, count=n_terms)
    pointers = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(lengths, out=pointers[1:])
    above = np.empty(int(pointers[-1]), dtype=np.int32)
    for index, ancestors in enumerate(ancestors_of):
        start = pointers[index]
        above[start] = index
        above[start + 1 : pointers[index + 1]] = ancestors
    return pointers, above


def disease_counts(n_terms: int, pointers, above, diseases: np.ndarray, terms: np.ndarray) -> tuple[np.ndarray, int]:
    """Per term index, the diseases with it or a descendant; and N, the diseases with any term."""
    if not len(terms):
        return np.zeros(n_terms, dtype=np.int64), 0
    rows, closure = closure_pairs(terms, pointers, above)
    width = int(diseases.max()) + 1
    pairs = distinct(closure.astype(np.int64) * width + diseases[rows])
    return np.bincount(pairs // width, minlength=n_terms), len(distinct(diseases))


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (a plain sort: numpy's hashing unique is slower on millions of integers)."""
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def information_content(count: int, total: int) -> float | None:
    if total == 0:
        return None
    return round(-math.log(max(count, 1) / total) if count else math.log(total), IC_DIGITS)


def term_statistics(terms: list[tuple[int, str]], parent_links, symptom_rows) -> dict:
    """pk -> (ancestor HPO IDs sorted, disease count, information content) for every term.

    ``terms``: (pk, HPO ID); ``parent_links``: (child pk, parent pk); ``symptom_rows``:
    (disease pk, term pk) of the symptoms diseases have (aspect P, not NOT).
    """
    pks = [pk for pk, _ in terms]
    hpo_ids = dict(terms)
    position = {pk: index for index, pk in enumerate(pks)}
    found = ancestor_sets(pks, parent_links)
    ancestors_of = [[position[a] for a in found[pk] if a in position] for pk in pks]
    pointers, above = closure_table(len(pks), ancestors_of)
    diseases = np.fromiter((d for d, t in symptom_rows if t in position), dtype=np.int64)
    terms_at = np.fromiter((position[t] for _, t in symptom_rows if t in position), dtype=np.int64)
    counts, total = disease_counts(len(pks), pointers, above, diseases, terms_at)
    return {
        pk: (
            sorted(hpo_ids[a] for a in found[pk] if a in position),
            int(counts[index]),
            information_content(int(counts[index]), total),
        )
        for index, pk in enumerate(pks)
    }


def store_term_statistics(phenotype_model, annotation_model) -> tuple[int, int]:
    """Compute the values from the database and write those that changed: (updated, unchanged).

    Takes the models as arguments so that migration 0008 can run it on its historical models.
    """
    terms = list(phenotype_model.objects.order_by("pk").values_list("pk", "hpo_id"))
    links = phenotype_model.parents.through.objects.values_list("from_phenotype_id", "to_phenotype_id")
    rows = annotation_model.objects.filter(SYMPTOM_ROWS).values_list("disease_id", "phenotype_id")
    wanted = term_statistics(terms, list(links), list(rows))
    existing = phenotype_model.objects.values_list("pk", "ancestors", "disease_count", "information_content")
    changed = [(pk, *wanted[pk]) for pk, *values in existing if tuple(values) != wanted[pk]]
    # One prepared UPDATE run many times: a first import changes every term, and bulk_update's
    # CASE expressions take close to a minute for that on SQLite.
    meta = phenotype_model._meta
    quote = connection.ops.quote_name
    ancestors_field = meta.get_field("ancestors")
    columns = ", ".join(
        f"{quote(meta.get_field(name).column)} = %s" for name in ("ancestors", "disease_count", "information_content")
    )
    with connection.cursor() as cursor:
        for start in range(0, len(changed), BATCH):
            cursor.executemany(
                f"UPDATE {quote(meta.db_table)} SET {columns} WHERE {quote(meta.pk.column)} = %s",
                [
                    (ancestors_field.get_db_prep_save(ancestors, connection), count, ic, pk)
                    for pk, ancestors, count, ic in changed[start : start + BATCH]
                ],
            )
    return len(changed), len(wanted) - len(changed)
