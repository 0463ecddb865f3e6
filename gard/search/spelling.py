"""What a query's words mean to the index: spellings, possessives, joined words and misspellings.

``interpret(query)`` turns a query into the words search looks for, each with the
spellings the full-text index may hold it under (haemophilia and hemophilia, type 4
and type IV), through the vocabulary (``SearchWord``: every word of every name, other
name, gene and symptom):

- a word the vocabulary holds is never changed;
- the last word, when some vocabulary word starts with it, is left as it is: the
  user may still be typing (it matches as a prefix);
- a possessive or plural written without an apostrophe ("marfans", "huntingtons",
  "downs") is the word without its "s" when the vocabulary holds that;
- a word that makes a vocabulary word with the one before it ("di george") or the one
  after it ("angio oedema") joins it;
- any other word gets candidates: vocabulary words at edit distance 1 (rapidfuzz's
  optimal string alignment, a swap of two letters one edit), the most common in names
  first; then two words written as one ("taysachs") split where both halves are words;
  then words at distance 2 (words of five letters or more). In a query of several
  words the first candidate the names bear out is taken (``_likeliest``); a word alone
  takes the first. The results page says what was corrected and offers the query as
  typed.

The vocabulary is loaded once per content generation in each process.
"""

import bisect
import re
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from gard.cache import PerGeneration
from gard.search.index import LONGEST_WORD, MAX_WORDS, SHORTEST_PREFIX, WholeWord
from gard.search.words import TYPE_WORDS, canonical, compact, loose, tokens

LONGEST_CORRECTED = 40  # no name has a longer word worth correcting to; longer ones are searched as typed
SHORTEST_CORRECTED = 3  # words of one or two letters are abbreviations, not misspellings
# A query's first few unknown words are corrected, the rest searched as typed: each correction reads the whole
# vocabulary and may ask the names about each of its candidates, and no one misspells five words of a name.
CORRECTED_WORDS = 4
# A last word that starts more vocabulary words than this ("hyp": 522) is searched as itself and its
# commonest completions, whole, rather than as a prefix of all of them (bench/search_cost.py).
PREFIX_TERMS = 50
NUMBER = re.compile(r"^(?P<number>\d{1,2})(?P<letter>[a-h]?)$")
ROMAN_NUMERALS = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def roman(number: int) -> str:
    text = ""
    for value, numeral in ROMAN_NUMERALS:
        while number >= value:
            text, number = text + numeral, number - value
    return text


class Vocabulary:
    def __init__(self, rows):
        self.names: dict[str, int] = {}  # canonical word -> how many names hold it
        self.spellings: dict[str, set[str]] = {}  # canonical word -> the words the index holds it as
        self.canonical_of: dict[str, str] = {}  # a word as the index holds it -> its canonical word
        for word, canonical_word, names in rows:
            self.names[canonical_word] = self.names.get(canonical_word, 0) + names
            self.spellings.setdefault(canonical_word, set()).add(word)
            self.canonical_of[word] = canonical_word
        self.sorted = sorted({*self.names, *(w for words in self.spellings.values() for w in words)})
        self.choices = [word for word in self.names if len(word) >= SHORTEST_CORRECTED and not word.isdigit()]

    def __contains__(self, word: str) -> bool:
        return word in self.names

    def count(self, word: str) -> int:
        return self.names.get(word, 0)

    def starts_a_word(self, prefix: str) -> bool:
        position = bisect.bisect_left(self.sorted, prefix)
        return position < len(self.sorted) and self.sorted[position].startswith(prefix)

    def completions(self, prefixes: list[str]) -> set[str]:
        """The vocabulary's words (canonical, and as the index holds them) that start with any of the prefixes."""
        found = set()
        for prefix in prefixes:
            start = bisect.bisect_left(self.sorted, prefix)
            found.update(self.sorted[start : bisect.bisect_left(self.sorted, prefix + "\x7f", start)])
        return found

    def commonest(self, words: set[str], limit: int) -> list[str]:
        """The ``limit`` words the most names hold (through their canonical word), alphabetically among equals."""
        return sorted(words, key=lambda word: (-self.count(self.canonical_of.get(word, word)), word))[:limit]

    def splits(self, word: str, limit: int = 3) -> list[tuple[str, str]]:
        """Pairs of vocabulary words that make up ``word``, those whose rarer half is the most common first."""
        if len(word) > LONGEST_CORRECTED:
            return []
        found = []
        for cut in range(3, len(word) - 2):
            left, right = canonical(word[:cut]), canonical(word[cut:])
            if (count := min(self.count(left), self.count(right))) > 0:
                found.append((-count, left, right))
        return [(left, right) for _, left, right in sorted(found)[:limit]]

    def nearest(self, word: str, limit: int = 2) -> list[tuple[int, str]]:
        """Vocabulary words within the edit distance the word's length allows (and ``limit``), as (distance,
        word): the closest first, the most common in names among equally close ones. The distance counts a
        swap of two letters as one edit ("hipple", "hippel"): rapidfuzz's optimal string alignment."""
        if not SHORTEST_CORRECTED <= len(word) <= LONGEST_CORRECTED or word.isdigit():
            return []
        limit = min(limit, 1 if len(word) <= 4 else 2)
        found = process.extract(word, self.choices, scorer=OSA.distance, score_cutoff=limit, limit=None)
        return sorted(
            ((distance, match) for match, distance, _ in found), key=lambda m: (m[0], -self.count(m[1]), m[1])
        )


@dataclass
class Word:
    typed: str  # the word as folded from the query
    canonical: str  # the word search looks for, after any correction
    spellings: list[str] = field(default_factory=list)  # how the full-text index may hold it
    corrected: bool = False  # changed to the nearest vocabulary word: the page says so


@dataclass
class Interpretation:
    query: str
    words: list[Word]

    @property
    def corrected(self) -> bool:
        return any(word.corrected for word in self.words)

    def _singular(self) -> list[str]:
        """The canonical words with a plural or possessive "s" dropped where the index holds the word both ways."""
        return [
            word.canonical[:-1]
            if word.canonical[:-1] in word.spellings and word.canonical.endswith("s")
            else word.canonical
            for word in self.words
        ]

    def name_keys(self) -> list[str]:
        """The query as a whole name (``compact``): as searched, and singular ("downs syndrome" is also
        "down syndrome")."""
        return list(dict.fromkeys([compact([word.canonical for word in self.words]), compact(self._singular())]))

    def loose_keys(self) -> list[str]:
        """The same as ``loose`` keys: a last "syndrome" or "disease" left out."""
        return list(dict.fromkeys([loose([word.canonical for word in self.words]), loose(self._singular())]))

    def phrase(self) -> str:
        """The query as searched: its canonical words ("Showing results for …", names starting with it)."""
        return " ".join(word.canonical for word in self.words)

    def groups(self) -> list[list[str]]:
        """Each word's spellings, for the full-text match."""
        return [word.spellings for word in self.words]


def _spellings(vocabulary: Vocabulary, word: str, previous: str) -> list[str]:
    """The index's words for a canonical word: its own spellings, its singular or plural, and a type's numeral
    in both figures."""
    found = {word} | vocabulary.spellings.get(word, set())
    other = word[:-1] if word.endswith("s") else word + "s"
    if other in vocabulary and len(word) > 3:
        found |= {other} | vocabulary.spellings.get(other, set())
    if (number := NUMBER.match(word)) and 0 < int(number.group("number")) <= 39:
        numeral = roman(int(number.group("number"))) + number.group("letter")
        if len(numeral) > 1 or previous in TYPE_WORDS:
            found.add(numeral)
    return sorted(found)


CANDIDATES = 6  # corrections of one word tried against the names, at most


def _candidates(vocabulary: Vocabulary, word: str, wanted: str) -> list[list[Word]]:
    """What an unknown word may have meant, best first: words one edit away, then two words run together,
    then words two edits away."""
    near = vocabulary.nearest(wanted)
    one = [[Word(word, match, corrected=True)] for distance, match in near if distance <= 1]
    two = [[Word(word, match, corrected=True)] for distance, match in near if distance > 1]
    split = [[Word(word, left), Word(word, right)] for left, right in vocabulary.splits(word)]
    return (one + split + two)[:CANDIDATES]


def _with_spellings(vocabulary: Vocabulary, words: list[Word]) -> list[Word]:
    for position, word in enumerate(words):
        word.spellings = _spellings(vocabulary, word.canonical, words[position - 1].canonical if position else "")
    if words:
        _bound_prefix(vocabulary, words[-1])
    return words


def _bound_prefix(vocabulary: Vocabulary, word: Word) -> None:
    """The last word matches as a prefix (``gard.search.index.is_prefix``) while its spellings start at most
    PREFIX_TERMS vocabulary words; past that, as its own spellings and their PREFIX_TERMS commonest completions,
    each whole: what a family means by "hyp" is among the words most names hold, and the database reads a
    bounded number of the index's words whatever the letters."""
    prefixes = [spelling for spelling in word.spellings if len(spelling) >= SHORTEST_PREFIX]
    completions = vocabulary.completions(prefixes)
    if len(completions) > PREFIX_TERMS:
        kept = {*word.spellings, *vocabulary.commonest(completions, PREFIX_TERMS)}
        word.spellings = [WholeWord(spelling) for spelling in sorted(kept)]


def _names_hold(words: list[Word]) -> bool:
    """Whether some disease's name, other names or genes hold all the words (one query)."""
    from django.db import connection

    from gard.search.index import backend

    search_backend = backend()
    sql = f"SELECT 1 FROM gard_disease_fts f WHERE {search_backend.all_names_match} LIMIT 1"
    with connection.cursor() as cursor:
        cursor.execute(sql, search_backend.expressions([word.spellings for word in words]))
        return cursor.fetchone() is not None


def _likeliest(readings: list[Interpretation]) -> int:
    """Which reading of a query, each with another correction of one word, is likeliest: the first that is a
    disease's name or other name (but for a last "syndrome" or "disease"), else the first a name starts
    with (one query for these), else the first whose words some name holds (a query each), else the first."""
    from django.db import connection

    from gard.search.index import placeholders
    from gard.search.names import starting_with_sql

    keys, key_params = placeholders("key", sorted({key for reading in readings for key in reading.name_keys()}))
    loose, loose_params = placeholders("loose", sorted({key for reading in readings for key in reading.loose_keys()}))
    starts, params = [], {**key_params, **loose_params}
    for number, reading in enumerate(readings):
        condition, condition_params = starting_with_sql(reading.phrase() + " ", f"start{number}")
        starts.append(condition)
        params.update(condition_params)
    sql = (
        "SELECT compact, loose, phrase FROM gard_searchname "
        f"WHERE compact IN ({keys}) OR loose IN ({loose}) OR {' OR '.join(starts)} LIMIT 1000"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    for index, reading in enumerate(readings):
        if any(compact in reading.name_keys() or loose in reading.loose_keys() for compact, loose, _ in found):
            return index
    for index, reading in enumerate(readings):
        if any(phrase.startswith(reading.phrase() + " ") for _, _, phrase in found):
            return index
    for index, reading in enumerate(readings):
        if _names_hold(reading.words):
            return index
    return 0


def interpret(query: str, vocabulary: "Vocabulary | None" = None, correct: bool = True) -> Interpretation:
    """The words of a query as search looks for them; ``correct=False`` keeps misspellings as typed.

    Each word the vocabulary lacks gets its candidates (``_candidates``). In a query of several words, the
    first that makes the query a name or other name of some disease, with the words before it as chosen
    and the known words after it, is taken (``_likeliest``), else the first; a word alone takes the first.
    """
    vocabulary = vocabulary if vocabulary is not None else current()
    typed = tokens(query)[:MAX_WORDS]
    if any(len(word) > LONGEST_WORD for word in typed):
        return Interpretation(query, [])  # no index holds such a word, and PostgreSQL would drop it from the query
    slots: list[list[Word]] = []  # each typed word as one word, two (split) or none (joined to the one before)
    choices: dict[int, list[list[Word]]] = {}  # slot -> the candidates for a word the vocabulary lacks
    position = 0
    corrections = CORRECTED_WORDS
    while position < len(typed):
        word, following = typed[position], typed[position + 1] if position + 1 < len(typed) else None
        previous = slots[-1][-1].canonical if slots and slots[-1] else ""
        wanted = canonical(word, previous)
        position += 1
        if wanted in vocabulary or word.isdigit() or (following is None and vocabulary.starts_a_word(word)):
            slots.append([Word(word, wanted)])
        elif word.endswith("s") and canonical(word[:-1], previous) in vocabulary:
            slots.append([Word(word, canonical(word[:-1], previous))])  # "marfans", "huntingtons"
        elif slots and (joined := canonical(slots[-1][-1].typed.replace(" ", "") + word)) in vocabulary:
            slots[-1][-1] = Word(f"{slots[-1][-1].typed} {word}", joined)  # "di george": "digeorge"
        elif following and (joined := canonical(word + following, previous)) in vocabulary:
            slots.append([Word(f"{word} {following}", joined)])  # "angio oedema": "angioedema"
            position += 1
        elif correct and corrections and (candidates := _candidates(vocabulary, word, wanted)):
            corrections -= 1
            choices[len(slots)] = candidates
            slots.append(candidates[0])
        else:
            slots.append([Word(word, wanted)])
    for slot, candidates in choices.items():
        # With other words, the likeliest reading is the one the names bear out ("von hipple lindau": hippel,
        # not the commoner nipple); a word alone has no such context, so the closest and commonest stands
        # ("seizers": seizure, not the name Sengers).
        if len(candidates) > 1 and len(slots) > 1:
            contexts = []
            for candidate in candidates:
                context = []
                for number, words in enumerate(slots):
                    if number == slot:
                        context += candidate
                    elif number < slot or number not in choices:  # words after it still to choose are left out
                        context += words
                contexts.append(Interpretation(query, _with_spellings(vocabulary, context)))
            slots[slot] = candidates[_likeliest(contexts)]
    return Interpretation(query, _with_spellings(vocabulary, [word for words in slots for word in words]))


# -- the vocabulary of the content generation now in the database -----------------------------------


def _load(_generation: int) -> Vocabulary:
    from gard.models import SearchWord

    rows = SearchWord.objects.values_list("word", "canonical", "names")
    return Vocabulary(rows.iterator(chunk_size=5000))


VOCABULARY = PerGeneration(_load)


def current() -> Vocabulary:
    """The vocabulary for the content generation now in the database, loaded again if it has moved."""
    return VOCABULARY.current()
