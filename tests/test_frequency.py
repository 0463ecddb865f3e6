"""How a stated frequency becomes one of HPO's groups, including the gaps between the groups' ranges."""

import pytest

from gard.frequency import Frequency, UnknownFrequency, group_for_percent, parse_frequency


@pytest.mark.parametrize(
    ("raw", "group"),
    [
        # HPO's own frequency terms
        ("HP:0040280", Frequency.OBLIGATE),
        ("HP:0040281", Frequency.VERY_FREQUENT),
        ("HP:0040282", Frequency.FREQUENT),
        ("HP:0040283", Frequency.OCCASIONAL),
        ("HP:0040284", Frequency.VERY_RARE),
        ("HP:0040285", Frequency.EXCLUDED),
        # nothing stated
        ("", Frequency.UNKNOWN),
        # the ends: only exactly 100% is obligate and only exactly 0% excluded
        ("100%", Frequency.OBLIGATE),
        ("100.0%", Frequency.OBLIGATE),
        ("3/3", Frequency.OBLIGATE),
        ("0%", Frequency.EXCLUDED),
        ("0/5", Frequency.EXCLUDED),
        # inside each range
        ("99%", Frequency.VERY_FREQUENT),
        ("80%", Frequency.VERY_FREQUENT),
        ("4/5", Frequency.VERY_FREQUENT),
        ("79%", Frequency.FREQUENT),
        ("30%", Frequency.FREQUENT),
        ("2/3", Frequency.FREQUENT),
        ("1/2", Frequency.FREQUENT),
        ("29%", Frequency.OCCASIONAL),
        ("5%", Frequency.OCCASIONAL),
        ("1/20", Frequency.OCCASIONAL),
        ("4%", Frequency.VERY_RARE),
        ("1%", Frequency.VERY_RARE),
        ("1/100", Frequency.VERY_RARE),
        # the gaps go to the lower group ...
        ("99.5%", Frequency.VERY_FREQUENT),
        ("199/200", Frequency.VERY_FREQUENT),
        ("79.5%", Frequency.FREQUENT),
        ("29.5%", Frequency.OCCASIONAL),
        ("4.5%", Frequency.VERY_RARE),
        # ... except below 1%: the symptom was seen, so it is very rare, not excluded
        ("0.5%", Frequency.VERY_RARE),
        ("1/1000", Frequency.VERY_RARE),
    ],
)
def test_stated_frequency_maps_to_its_hpo_group(raw, group):
    assert parse_frequency(raw) == group


@pytest.mark.parametrize(
    ("percent", "group"),
    [
        (100, Frequency.OBLIGATE),
        (99.99, Frequency.VERY_FREQUENT),
        (80, Frequency.VERY_FREQUENT),
        (79.99, Frequency.FREQUENT),
        (30, Frequency.FREQUENT),
        (29.99, Frequency.OCCASIONAL),
        (5, Frequency.OCCASIONAL),
        (4.99, Frequency.VERY_RARE),
        (0.01, Frequency.VERY_RARE),
        (0, Frequency.EXCLUDED),
    ],
)
def test_group_for_percent_puts_the_gaps_in_the_lower_group(percent, group):
    assert group_for_percent(percent) == group


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("5/0", "impossible fraction '5/0'"),
        ("4/3", "impossible fraction '4/3'"),
        ("120%", "percentage over 100: '120%'"),
        ("often", "unknown frequency 'often'"),
        ("HP:0040279", "unknown frequency 'HP:0040279'"),  # the parent term Frequency is not a group
        ("HP:0001250", "unknown frequency 'HP:0001250'"),
        ("-5%", "unknown frequency '-5%'"),
        ("50", "unknown frequency '50'"),
        (" 50%", "unknown frequency ' 50%'"),
        ("1/2/3", "unknown frequency '1/2/3'"),
    ],
)
def test_impossible_or_unknown_frequency_is_rejected(raw, reason):
    with pytest.raises(UnknownFrequency) as error:
        parse_frequency(raw)
    assert str(error.value) == reason
