"""How often a symptom occurs: HPO frequency terms, fractions and percentages mapped to one group.

The groups are HPO's own: obligate 100%, very frequent 80-99%, frequent
30-79%, occasional 5-29%, very rare 1-4%, excluded 0%. A fraction (2/3) or a
percentage (45%) goes to the group whose range holds it. Values in the gaps
between the ranges go to the lower group (79.5% is frequent, 99.5% very
frequent, 4.5% very rare), except that anything above 0% and below 1% is very
rare, because the symptom was seen: only exactly 0% is excluded and only
exactly 100% is obligate.
"""

import re

from django.db import models


class Frequency(models.TextChoices):
    """How often a symptom occurs, in the groups HPO uses (HP:0040279 and below)."""

    OBLIGATE = "obligate", "100% of people have these symptoms"
    VERY_FREQUENT = "very_frequent", "80%-99% of people have these symptoms"
    FREQUENT = "frequent", "30%-79% of people have these symptoms"
    OCCASIONAL = "occasional", "5%-29% of people have these symptoms"
    VERY_RARE = "very_rare", "1%-4% of people have these symptoms"
    EXCLUDED = "excluded", "0% of people have these symptoms"
    UNKNOWN = "unknown", "Percent of people who have these symptoms is not available through HPO"

    @classmethod
    def short_labels(cls):
        return {
            cls.OBLIGATE: "100%",
            cls.VERY_FREQUENT: "80%-99%",
            cls.FREQUENT: "30%-79%",
            cls.OCCASIONAL: "5%-29%",
            cls.VERY_RARE: "1%-4%",
            cls.EXCLUDED: "0%",
            cls.UNKNOWN: "Percent not available",
        }

    @classmethod
    def plain_labels(cls):
        """Words for families, with the range beside them."""
        return {
            cls.OBLIGATE: "always (100%)",
            cls.VERY_FREQUENT: "very often (80%-99%)",
            cls.FREQUENT: "often (30%-79%)",
            cls.OCCASIONAL: "sometimes (5%-29%)",
            cls.VERY_RARE: "rarely (1%-4%)",
            cls.EXCLUDED: "reported absent in everyone studied (0%)",
            cls.UNKNOWN: "how often not known",
        }


# The groups from the most frequent down, "unknown" last: tables, charts, sorting and the finder's
# index all order by this.
FREQUENCY_ORDER = list(Frequency)
_RANKS = {frequency: rank for rank, frequency in enumerate(FREQUENCY_ORDER)}


def frequency_rank(frequency: str) -> int:
    """A group's place in ``FREQUENCY_ORDER``: smaller is more frequent."""
    return _RANKS[frequency]


HPO_FREQUENCY_TERMS = {
    "HP:0040280": Frequency.OBLIGATE,
    "HP:0040281": Frequency.VERY_FREQUENT,
    "HP:0040282": Frequency.FREQUENT,
    "HP:0040283": Frequency.OCCASIONAL,
    "HP:0040284": Frequency.VERY_RARE,
    "HP:0040285": Frequency.EXCLUDED,
}

FRACTION = re.compile(r"^(\d+)/(\d+)$")
PERCENTAGE = re.compile(r"^(\d+(?:\.\d+)?)%$")


class UnknownFrequency(ValueError):
    pass


def group_for_percent(percent: float) -> Frequency:
    if percent == 100:
        return Frequency.OBLIGATE
    if percent >= 80:
        return Frequency.VERY_FREQUENT
    if percent >= 30:
        return Frequency.FREQUENT
    if percent >= 5:
        return Frequency.OCCASIONAL
    if percent > 0:
        return Frequency.VERY_RARE
    return Frequency.EXCLUDED


def parse_frequency(raw: str) -> Frequency:
    """The group for a frequency as the annotation file writes it; empty means unknown."""
    if not raw:
        return Frequency.UNKNOWN
    if raw in HPO_FREQUENCY_TERMS:
        return HPO_FREQUENCY_TERMS[raw]
    if match := FRACTION.match(raw):
        numerator, denominator = int(match.group(1)), int(match.group(2))
        if denominator == 0 or numerator > denominator:
            raise UnknownFrequency(f"impossible fraction {raw!r}")
        return group_for_percent(100 * numerator / denominator)
    if match := PERCENTAGE.match(raw):
        percent = float(match.group(1))
        if percent > 100:
            raise UnknownFrequency(f"percentage over 100: {raw!r}")
        return group_for_percent(percent)
    raise UnknownFrequency(f"unknown frequency {raw!r}")


def describe_raw(raw: str) -> str:
    """The stated frequency in words a reader can check against the group ("" if the group says it all)."""
    if match := FRACTION.match(raw):
        return f"{int(match.group(1)):,} of {int(match.group(2)):,} people"
    if raw in HPO_FREQUENCY_TERMS:
        return ""
    return raw


# -- small samples: how the disease page shows a fraction from fewer than five people ----------------
#
# "1/1" is stored as obligate and "0/3" as excluded, as HPO's ranges say, and the finder ranks by those
# groups. The disease page (its table, chart, filter, CSV and main symptoms) shows such a fraction in a group
# of its own instead: one person of one is no evidence that everyone has the symptom.

SMALL_SAMPLE = 5  # a fraction from fewer people than this is shown apart
# Every such fraction as the annotation file writes it, so the database can select them by value.
SMALL_SAMPLE_FRACTIONS = frozenset(f"{n}/{m}" for m in range(1, SMALL_SAMPLE) for n in range(m + 1))
FEW = "few"

# The disease page's groups, the small-sample one among them: the ones with a share first, then the symptoms
# seen in a few people, then those seen in no one, then the unknown (FREQUENCY_ORDER ends with those two).
SHOWN_ORDER = [*FREQUENCY_ORDER[:-2], FEW, Frequency.EXCLUDED, Frequency.UNKNOWN]
_SHOWN_RANKS = {group: rank for rank, group in enumerate(SHOWN_ORDER)}


def small_sample(raw: str) -> bool:
    """True for a stated fraction from fewer than ``SMALL_SAMPLE`` people."""
    return raw in SMALL_SAMPLE_FRACTIONS


def shown_group(frequency: str, raw: str) -> str:
    """The group the disease page shows a statement under: ``FEW`` for a small sample, else its own."""
    return FEW if small_sample(raw) else frequency


def shown_rank(group: str) -> int:
    """A shown group's place in ``SHOWN_ORDER``."""
    return _SHOWN_RANKS[group]


def shown_labels() -> dict:
    """Headings of the disease page's groups."""
    return {**dict(Frequency.choices), FEW: f"Reported in a few people (fewer than {SMALL_SAMPLE} studied)"}


def shown_short_labels() -> dict:
    return {**Frequency.short_labels(), FEW: f"Fewer than {SMALL_SAMPLE} studied"}


def shown_plain_labels() -> dict:
    return {**Frequency.plain_labels(), FEW: f"in a few people (fewer than {SMALL_SAMPLE} studied)"}


def describe_small_sample(raw: str) -> str:
    """A small sample in words that claim no share: "reported in 2 of 3 people"."""
    seen, studied = (int(part) for part in raw.split("/"))
    people = "person" if studied == 1 else "people"
    if seen == 0:
        return f"not seen in the {studied} {people} studied" if studied == 1 else f"not seen in any of {studied} people"
    return f"reported in {seen} of {studied} {people}"
