"""The symptom finder: from a patient's HPO terms to a ranked, explained list of diseases.

``rank(terms)`` returns a ``Ranking``: ``len()`` is the number of diseases that
score above 0, and a slice gives ``FinderResult``s (disease, score, rank and the
``TermMatch``es that explain it), querying the database only for that slice.
The method is in ``gard/finder/ranking.py``, the index in ``gard/finder/index.py``,
and what the import precomputes in ``gard/finder/statistics.py``.
"""

from gard.finder.ranking import PARAMETERS, FinderResult, Parameters, Ranking, TermMatch, rank

__all__ = ["PARAMETERS", "FinderResult", "Parameters", "Ranking", "TermMatch", "rank"]
