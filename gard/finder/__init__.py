"""The symptom finder: from a patient's HPO terms to a ranked, explained list of diseases.

``rank(terms, absent=...)`` returns a ``Ranking``: ``len()`` is the number of diseases
that score above 0, and a slice gives ``FinderResult``s (disease, score, rank, share of
the first result's score and the ``TermMatch``es that explain it), querying the database
only for that slice; ``grouped(ranking)`` lists numbered types of one disease together.
The method is in ``gard/finder/ranking.py``, the index in ``gard/finder/index.py``,
what the import precomputes in ``gard/finder/statistics.py``, and GA4GH phenopackets
in and out in ``gard/finder/phenopackets.py``.
"""

from gard.finder.ranking import PARAMETERS, FinderResult, Parameters, Ranking, TermMatch, rank

__all__ = ["PARAMETERS", "FinderResult", "Parameters", "Ranking", "TermMatch", "rank"]
