"""Text helpers shared by the importers, the models and search."""

import re
import unicodedata

_APOSTROPHES = re.compile(r"['’`]")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold_accents(text: str) -> str:
    """Text without accents, in lower case (case folded)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def fold(text: str) -> str:
    """Fold text for matching: no accents, no case, punctuation as single spaces.

    "Alström syndrome" and "ALSTROM  syndrome" fold alike, and so do
    "Alpers' disease" and "Alpers disease".
    """
    return _NON_WORD.sub(" ", _APOSTROPHES.sub("", fold_accents(text))).strip()


_NON_WORD_UNICODE = re.compile(r"[\W_]+")


def name_key(text: str) -> str:
    """Key for telling repeated names apart: case and punctuation ignored, accents kept.

    "Alpers' disease" repeats "Alpers disease", but "Alstrom syndrome" is a
    spelling of its own beside "Alström syndrome" and is kept as another name.
    """
    lowered = _APOSTROPHES.sub("", unicodedata.normalize("NFC", text).casefold())
    return _NON_WORD_UNICODE.sub(" ", lowered).strip()


def lower_first(text: str) -> str:
    """A name put mid-sentence: "Autosomal dominant inheritance" as "autosomal dominant inheritance", but a
    first word that is not simply capitalised keeps its case ("X-linked …", "MASS syndrome", "mRNA …")."""
    word = text.split(" ", 1)[0]
    if len(word) > 1 and word[0].isupper() and word[1:].isalpha() and word[1:].islower():
        return text[:1].lower() + text[1:]
    return text


def upper_first(text: str) -> str:
    """The first letter in upper case and the rest as it is ("mASS" never becomes "Mass")."""
    return text[:1].upper() + text[1:]
