"""What search ranks by, kept beside the full-text index (``gard.search.index``) and rebuilt with it.

``SearchName``: every name of every disease (its own and its other names) in canonical
words (``gard.search.words``), so "the name is the query" and "the name starts with the
query" are indexed lookups that read the same on SQLite and PostgreSQL, with what ranks
one disease above another: whether the name reads as a subtype, its number of words and
the disease's weight (how common it is and how well documented).

``SearchWord``: the vocabulary, every word the index holds in a name, other name, gene
or symptom, with its canonical form and how many names hold it; spelling correction
(``gard.search.spelling``) reads it.
"""

from django.db import models


class SearchName(models.Model):
    class Kind(models.IntegerChoices):
        NAME = 0, "Name"
        OTHER_NAME = 1, "Other name"

    disease = models.ForeignKey("gard.Disease", on_delete=models.CASCADE, related_name="+")
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    name = models.CharField(max_length=300)
    phrase = models.CharField(max_length=300, db_index=True)
    compact = models.CharField(max_length=300, db_index=True)
    loose = models.CharField(max_length=300, db_index=True)
    words = models.PositiveSmallIntegerField()
    subtype = models.BooleanField()
    weight = models.IntegerField(help_text="The disease's: how common, how well documented (higher first).")

    class Meta:
        indexes = [models.Index(fields=["disease", "kind"], name="searchname_disease_kind")]

    def __str__(self):
        return self.name


class SearchWord(models.Model):
    word = models.CharField(max_length=100, primary_key=True)
    canonical = models.CharField(max_length=100, db_index=True)
    names = models.PositiveIntegerField(help_text="How many names hold the word.")

    def __str__(self):
        return self.word
