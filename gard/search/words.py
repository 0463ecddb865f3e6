"""Words as search compares them: one canonical form for the spellings of a word.

The names in the index and the words of a query go through the same steps, so
either side may use any of the spellings:

- accents, case and punctuation (``gard.text.fold``): "Tay-Sachs" is "tay sachs";
- a possessive "'s" or "s'" is dropped: "Marfan's", "Alpers'" (a possessive written
  without its apostrophe, "marfans", needs the vocabulary: ``gard.search.spelling``);
- British spellings become American ones: haemophilia, anaemia, oedema, oesophageal,
  leukaemia, paediatric, tumour, fibre, sulphate, leucodystrophy;
- numerals in types become Arabic: "type IV" is "type 4", "type Ia" "type 1a"; a Roman
  numeral of two letters or more (II, XIV) becomes Arabic wherever it stands, a single
  I, V or X only after a word such as "type" or "group".

``phrase`` is a name's canonical words joined by spaces, for "the name starts with
these words"; ``compact`` joins them with nothing and leaves out "type", so "Tay-Sachs
disease", "tay sachs disease" and "taysachs disease" are one key, as are
"neurofibromatosis type 1" and "neurofibromatosis 1"; ``loose`` leaves out a last
"syndrome", "disease" or "disorder" too.
"""

import re
from functools import lru_cache

from gard.text import fold

POSSESSIVE = re.compile(r"(?<=\w)['’`]s\b|(?<=s)['’`](?=\s|$)", re.IGNORECASE)

# Stems spelt with "oe" in British English and "e" in American (not every "oe": toe, does, coenzyme).
OE_STEMS = {
    "foet": "fet",
    "coeliac": "celiac",
    "rrhoe": "rrhe",  # diarrhoea, amenorrhoea
    "pnoe": "pne",  # apnoea, dyspnoea
    "homoeo": "homeo",
    "manoeuv": "maneuv",
}
# "oedema", "oesophagus", "oestrogen" lose the "o" at the start of a word or after a consonant (lymphoedema,
# papilloedema: lymphedema, papilledema), not after a vowel (angioedema is American too); angio-oedema
# written as one word, "angiooedema", is angioedema.
OE_WORDS = "e(?:dem|sophag|str)"
# British spelling -> American, applied to a folded word in this order.
BRITISH = [
    (re.compile(r"(?<=[a-z])ae(?=[a-z])"), "e"),  # haem, anaemia, leukaemia, paediatric, ischaemia, gynaecology
    (re.compile(r"^ae(?=t)"), "e"),  # aetiology
    (re.compile("|".join(OE_STEMS)), lambda match: OE_STEMS[match.group(0)]),
    (re.compile(rf"o(?=o{OE_WORDS})"), ""),
    (re.compile(rf"(?:^|(?<=[^aeiou]))o(?={OE_WORDS})"), ""),
    (re.compile(r"(?<=[a-z]{3})our(s?)$"), r"or\1"),  # tumour, behaviour, colour (not four, hour, your)
    (re.compile(r"^(fib|cent|lit|met|calib)re(s?)$"), r"\1er\2"),
    (re.compile(r"sulph"), "sulf"),
    (re.compile(r"^leuc(?=o)"), "leuk"),  # leucodystrophy, leucocyte
]

ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50}
ROMAN = re.compile(r"^(?P<numeral>x{0,3}(?:ix|iv|v?i{0,3}))(?P<letter>[a-h]?)$")
TYPE_WORDS = frozenset(
    {"type", "types", "subtype", "group", "class", "grade", "stage", "form", "factor", "complementation"}
)
FILLER = frozenset({"type"})
GENERIC = frozenset({"syndrome", "disease", "disorder"})


def _roman(numeral: str) -> int:
    total = 0
    for position, letter in enumerate(numeral):
        value = ROMAN_VALUES[letter]
        following = ROMAN_VALUES[numeral[position + 1]] if position + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


def arabic(word: str, previous: str = "") -> str:
    """A Roman numeral (with a subtype letter) in Arabic figures, where it is one; the word otherwise."""
    match = ROMAN.match(word)
    if not match or not match.group("numeral"):
        return word
    numeral, letter = match.group("numeral"), match.group("letter")
    if len(numeral) == 1 and previous not in TYPE_WORDS:
        return word  # "I", "V" or "X" standing alone is a Roman numeral only in a type
    if letter and previous not in TYPE_WORDS:
        return word  # "ia", "vic" and the like are numerals only in a type
    return f"{_roman(numeral)}{letter}"


@lru_cache(maxsize=65536)
def american(word: str) -> str:
    for pattern, replacement in BRITISH:
        word = pattern.sub(replacement, word)
    return word


def canonical(word: str, previous: str = "") -> str:
    """One folded word in its canonical spelling; ``previous`` is the canonical word before it."""
    return arabic(american(word), previous)


def tokens(text: str) -> list[str]:
    """The folded words of a text, a possessive dropped: the words the full-text index holds, as written."""
    return fold(POSSESSIVE.sub("", text)).split()


def canonical_words(words: list[str]) -> list[str]:
    result = []
    for word in words:
        result.append(canonical(word, result[-1] if result else ""))
    return result


def phrase(text: str) -> str:
    """A name's canonical words, joined by spaces."""
    return " ".join(canonical_words(tokens(text)))


def compact(words: list[str]) -> str:
    """Canonical words as one key: no spaces, no "type"."""
    return "".join(word for word in words if word not in FILLER)


def loose(words: list[str]) -> str:
    """``compact`` without a last word that only says it is a disease: "Morquio syndrome" and "Morquio disease"
    are one loose key, "morquio", as is the query "marfan" with "Marfan syndrome"."""
    if len(words) > 1 and words[-1] in GENERIC:
        words = words[:-1]
    return compact(words)


SUBTYPE = re.compile(r"\b(type|types|subtype|like|susceptibility|due|variant|associated|form)\b|\d+[a-z]?$")


def is_subtype(canonical_phrase: str) -> bool:
    """Whether a name reads as a subtype or a relative of a disease rather than the disease itself:
    "type 2", "-like", "susceptibility to", "due to", a trailing number."""
    return bool(SUBTYPE.search(canonical_phrase))
