"""The A to Z list: which letters it has and where a disease is filed (``DiseaseQuerySet.starting_with``)."""

import string

LETTERS = [*string.ascii_uppercase, "0-9"]
