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
