"""Building ``SearchName`` and ``SearchWord`` (``gard.models.search``): with the full-text index after
an import, and for the few diseases or terms an editor changed.

A disease's weight, which decides between results that match alike, is how common it
is (the highest of Orphanet's prevalence classes for it), then whether something says
what it is (an editor's summary or a summary section), then how many records it joins,
then how many symptoms it has: the better documented, more common disease first.
"""

from collections import Counter

from django.db import connection, transaction
from django.db.models import Count

from gard.models import Annotation, Disease, Gene, Identifier, Phenotype, PhenotypeSynonym, SearchName, SearchWord
from gard.models.diseases import Section, SectionKind, Synonym
from gard.search.words import canonical, canonical_words, compact, is_subtype, loose, tokens

BATCH = 2000
# Orphanet's prevalence classes, rarest first; a disease counts as common as its highest one.
PREVALENCE_ORDER = ["<1 / 1 000 000", "1-9 / 1 000 000", "1-9 / 100 000", "1-5 / 10 000", "6-9 / 10 000", ">1 / 1000"]
PREVALENCE_POINTS = {label: points for points, label in enumerate(PREVALENCE_ORDER, 1)}


def starting_with_sql(phrase: str, name: str) -> tuple[str, dict]:
    """gard_searchname rows whose canonical words (``phrase``) start with ``phrase``, as an indexed SQL
    condition on either database, with its named parameters: on PostgreSQL LIKE 'phrase%' through the
    varchar_pattern_ops index, on SQLite a range (the words are [0-9a-z ], all below DEL)."""
    if connection.vendor == "postgresql":
        return f"phrase LIKE %({name})s", {name: phrase + "%"}  # the words hold no % or _
    return f"(phrase >= %({name})s AND phrase < %({name}_end)s)", {name: phrase, f"{name}_end": phrase + "\x7f"}


def prevalence_points(open_data: dict) -> int:
    rows = open_data.get("prevalences", []) if isinstance(open_data, dict) else []
    return max((PREVALENCE_POINTS.get(row[2], 0) for row in rows if isinstance(row, list) and len(row) > 2), default=0)


def weights(disease_ids=None) -> dict[int, int]:
    """Each disease's weight: prevalence, then a summary, then its records (up to 9), then symptoms (up to 9)."""
    diseases = Disease.objects.all()
    restrict = {}
    if disease_ids is not None:
        diseases, restrict = diseases.filter(pk__in=disease_ids), {"disease__in": disease_ids}
    records = dict(Identifier.objects.filter(**restrict).values_list("disease").annotate(n=Count("pk")))
    symptoms = dict(Annotation.objects.symptoms().filter(**restrict).values_list("disease").annotate(n=Count("pk")))
    summarised = set(
        Section.objects.filter(kind=SectionKind.SUMMARY, **restrict).exclude(body="").values_list("disease", flat=True)
    )
    result = {}
    for pk, summary, open_data in diseases.values_list("pk", "summary", "open_data"):
        documented = bool(summary.strip()) or pk in summarised
        result[pk] = (
            prevalence_points(open_data) * 1000
            + documented * 100
            + min(9, records.get(pk, 0)) * 10
            + min(9, symptoms.get(pk, 0) // 10)
        )
    return result


def name_rows(disease_ids=None) -> list[SearchName]:
    diseases = Disease.objects.all()
    synonyms = Synonym.objects.all()
    if disease_ids is not None:
        diseases, synonyms = diseases.filter(pk__in=disease_ids), synonyms.filter(disease__in=disease_ids)
    weight = weights(disease_ids)
    names = [(pk, SearchName.Kind.NAME, name) for pk, name in diseases.values_list("pk", "name")]
    names += [(pk, SearchName.Kind.OTHER_NAME, name) for pk, name in synonyms.values_list("disease", "name")]
    rows = []
    for pk, kind, name in names:
        if pk not in weight:
            continue
        words = canonical_words(tokens(name))
        if not words:
            continue
        phrase = " ".join(words)[:300]
        rows.append(
            SearchName(
                disease_id=pk,
                kind=kind,
                name=name[:300],
                phrase=phrase,
                compact=compact(words)[:300],
                loose=loose(words)[:300],
                words=min(len(words), 32767),
                subtype=is_subtype(phrase),
                weight=weight[pk],
            )
        )
    return rows


def vocabulary_texts(disease_ids=None, phenotype_ids=None):
    """Every name, other name, gene symbol and symptom name the index holds: all of them when given no
    IDs, else those of the diseases and terms given."""
    everything = disease_ids is None and phenotype_ids is None
    if everything or disease_ids is not None:
        diseases, synonyms, genes = Disease.objects.all(), Synonym.objects.all(), Gene.objects.all()
        if not everything:
            diseases, synonyms = diseases.filter(pk__in=disease_ids), synonyms.filter(disease__in=disease_ids)
            genes = genes.filter(records__disease__in=disease_ids)
        yield from diseases.values_list("name", flat=True)
        yield from synonyms.values_list("name", flat=True)
        yield from genes.values_list("symbol", flat=True).distinct()
    if everything or phenotype_ids is not None:
        terms = Phenotype.objects.filter(is_obsolete=False)
        term_synonyms = PhenotypeSynonym.objects.filter(phenotype__is_obsolete=False)
        if not everything:
            terms, term_synonyms = terms.filter(pk__in=phenotype_ids), term_synonyms.filter(phenotype__in=phenotype_ids)
        yield from terms.values_list("name", flat=True)
        yield from term_synonyms.values_list("name", flat=True)


def word_counts(texts) -> Counter:
    counts = Counter()
    for text in texts:
        counts.update({word for word in tokens(text) if len(word) <= 100})
    return counts


def word_rows(counts: Counter) -> list[SearchWord]:
    return [SearchWord(word=word, canonical=canonical(word), names=n) for word, n in counts.items()]


NAME_FIELDS = ["phrase", "compact", "loose", "words", "subtype", "weight"]


def rebuild_search_names() -> None:
    """Both tables in step with the catalogue (after an import): only rows that differ are written (deleted
    and inserted anew, quicker than Django's bulk_update of thousands of rows), so a re-import that
    changed little rewrites little."""
    with transaction.atomic():
        existing = {}
        for row in SearchName.objects.all():
            existing.setdefault((row.disease_id, row.kind, row.name), []).append(row)
        wanted = {(row.disease_id, row.kind, row.name): row for row in name_rows()}
        stale = []
        for key, rows in existing.items():
            row, *repeated = rows
            stale += [extra.pk for extra in repeated]
            if key not in wanted or any(getattr(row, f) != getattr(wanted[key], f) for f in NAME_FIELDS):
                stale.append(row.pk)
        gone = set(stale)
        fresh = [row for key, row in wanted.items() if key not in existing or existing[key][0].pk in gone]
        _delete(SearchName, stale)
        SearchName.objects.bulk_create(fresh, batch_size=BATCH)

        words = {row.word: row for row in word_rows(word_counts(vocabulary_texts()))}
        known = {
            word: (canonical_word, n)
            for word, canonical_word, n in SearchWord.objects.values_list("word", "canonical", "names")
        }

        def same(word):
            return word in known and known[word] == (words[word].canonical, words[word].names)

        _delete(SearchWord, [word for word in known if word not in words or not same(word)])
        SearchWord.objects.bulk_create([row for word, row in words.items() if not same(word)], batch_size=BATCH)


def _delete(model, pks: list) -> None:
    for start in range(0, len(pks), BATCH):
        model.objects.filter(pk__in=pks[start : start + BATCH]).delete()


def reindex_search_names(disease_ids) -> None:
    """The names of a few diseases afresh, and any word they bring that the vocabulary lacks."""
    ids = list(disease_ids)
    if not ids:
        return
    SearchName.objects.filter(disease__in=ids).delete()
    SearchName.objects.bulk_create(name_rows(ids), batch_size=BATCH)
    add_words(word_counts(vocabulary_texts(disease_ids=ids)))


def add_words(counts: Counter) -> None:
    """New words join the vocabulary; a word it has keeps its count until the next rebuild."""
    known = set(SearchWord.objects.filter(word__in=list(counts)).values_list("word", flat=True))
    SearchWord.objects.bulk_create([row for row in word_rows(counts) if row.word not in known], ignore_conflicts=True)


def reindex_search_words(phenotype_ids) -> None:
    ids = list(phenotype_ids)
    if ids:
        add_words(word_counts(vocabulary_texts(phenotype_ids=ids)))
