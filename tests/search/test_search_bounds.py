"""The bounds on the work one query can make (gard/search/spelling.py, gard/search/index.py): a last word that
starts too many words is searched as its commonest completions, only the first few unknown words are
corrected, and why each result matched is read the same way however the entries are written."""

import pytest
from django.db import connection

from gard.search import spelling
from gard.search.index import SEPARATOR, SQLiteSearch, WholeWord, index_words, is_prefix, matched_entries
from gard.search.spelling import Vocabulary, interpret
from tests.factories import make_disease, make_term

# (word, canonical word, how many names hold it)
HYP_WORDS = [("hypotonia", "hypotonia", 40), ("hypoplasia", "hypoplasia", 30), ("hyperostosis", "hyperostosis", 5)]
HYP_WORDS += [("hypothyroidism", "hypothyroidism", 20), ("hypsarrhythmia", "hypsarrhythmia", 1)]
OTHER_WORDS = [("syndrome", "syndrome", 500), ("marfan", "marfan", 3)]


def vocabulary() -> Vocabulary:
    return Vocabulary(HYP_WORDS + OTHER_WORDS)


def test_a_last_word_that_starts_few_words_stays_a_prefix():
    (word,) = interpret("hyp", vocabulary(), correct=False).words
    assert word.spellings == ["hyp"]
    assert is_prefix(word.spellings[0], last=True)
    assert SQLiteSearch.expressions([word.spellings])["all_words"] == '("hyp"*)'


def test_a_last_word_that_starts_too_many_words_is_searched_as_its_commonest_completions(monkeypatch):
    monkeypatch.setattr(spelling, "PREFIX_TERMS", 3)
    (word,) = interpret("hyp", vocabulary(), correct=False).words
    # The typed letters themselves and the three words most names hold, each matched whole.
    assert word.spellings == ["hyp", "hypoplasia", "hypothyroidism", "hypotonia"]
    assert all(isinstance(spelling, WholeWord) for spelling in word.spellings)
    assert SQLiteSearch.expressions([word.spellings])["all_words"] == (
        '("hyp" OR "hypoplasia" OR "hypothyroidism" OR "hypotonia")'
    )


def test_only_the_last_word_is_bounded(monkeypatch):
    monkeypatch.setattr(spelling, "PREFIX_TERMS", 3)
    words = interpret("hyp syndrome", vocabulary(), correct=False).words
    assert [word.spellings for word in words] == [["hyp"], ["syndrome"]]
    assert not is_prefix(words[0].spellings[0], last=False)
    assert is_prefix(words[1].spellings[0], last=True)


@pytest.mark.django_db
def test_only_the_first_few_unknown_words_are_corrected():
    make_disease("Marfan syndrome")
    misspelt = " ".join(["marfam"] * (spelling.CORRECTED_WORDS + 2))
    words = interpret(misspelt, vocabulary()).words
    assert [word.corrected for word in words] == [True] * spelling.CORRECTED_WORDS + [False, False]
    assert [word.canonical for word in words[-2:]] == ["marfam", "marfam"]


def reference_entries(column: str, groups: list[list[str]]) -> list[str]:
    """What matched_entries means, the slow way: each entry's words as the index reads them."""
    last = len(groups) - 1
    whole = {word for position, group in enumerate(groups) for word in group if not is_prefix(word, position == last)}
    prefixes = tuple(word for word in groups[-1] if is_prefix(word, True))
    return [
        entry
        for entry in column.split(SEPARATOR)
        if entry and any(word in whole or (prefixes and word.startswith(prefixes)) for word in index_words(entry))
    ]


QUERIES = [
    [["seizure"]],
    [["sei"]],
    [["seizures", "seizure"], ["ab"]],
    [["absence"], ["se"]],
    [["sjogren"]],
    [["s"]],
    [[WholeWord("sei"), WholeWord("seizure")]],
    [["type"], ["2", "ii"]],
]


SYMPTOMS = [
    "Seizure",
    "Absence seizures",
    "Seizure-like episodes",
    "Myoclonic seizure",
    "Type II muscle fibre atrophy",
    "Febrile seizures (type 2)",
    "Self-injurious behaviour",
]
OTHER_NAMES = ["Sjogren syndrome type 2", "Seizure disorder", "SEIZURES, FAMILIAL", "Absence of sei", "Alpers's"]
# The same with entries that are not ASCII (each column is then read entry by entry).
NOT_ASCII_SYMPTOMS = [*SYMPTOMS, "Sjögren-like dryness", "Abnormal sei\u00adzure pattern"]  # a soft hyphen
NOT_ASCII_OTHER_NAMES = [*OTHER_NAMES, "Sjögren–Larsson seizures"]


@pytest.mark.django_db
@pytest.mark.parametrize("groups", QUERIES)
@pytest.mark.parametrize(
    ("symptoms", "other_names"), [(SYMPTOMS, OTHER_NAMES), (NOT_ASCII_SYMPTOMS, NOT_ASCII_OTHER_NAMES)]
)
def test_why_a_result_matched_is_read_as_the_index_reads_words(groups, symptoms, other_names):
    terms = [make_term(f"HP:{number:07}", name) for number, name in enumerate(symptoms, start=1001)]
    disease = make_disease("Test disease", other_names=other_names, symptoms=terms, records=["OMIM:1"], genes=["SEI1"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT other_names, genes, symptoms FROM gard_disease_fts WHERE rowid = %s", [disease.pk])
        columns = cursor.fetchone()
    expected = tuple(reference_entries(column or "", groups) for column in columns)
    assert matched_entries([disease.pk], groups) == {disease.pk: expected}
    assert any(expected), "the query should match something, or the comparison proves little"
