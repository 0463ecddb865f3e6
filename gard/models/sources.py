from django.db import models
from simple_history.models import HistoricalRecords

from gard.models.base import NaturalKeyManager


class Source(models.Model):
    """A document or data release the content comes from, shown with its attribution."""

    key = models.SlugField(max_length=100, unique=True, help_text="Stable key used by imports.")
    title = models.CharField(max_length=300)
    short_name = models.CharField(max_length=50, blank=True, help_text='How tables name it, e.g. "GARD".')
    publisher = models.CharField(max_length=300)
    url = models.URLField(blank=True, max_length=500)
    licence = models.CharField(max_length=200)
    licence_url = models.URLField(blank=True)
    document = models.CharField(max_length=200, blank=True, help_text="File name of the project's copy, if any.")
    reviewed = models.CharField(max_length=50, blank=True, help_text="Review date as the source states it.")
    published = models.DateField(null=True, blank=True)
    notice = models.TextField(blank=True, help_text="Disclaimer printed by the source.")
    version = models.CharField(max_length=50, blank=True, help_text="Release imported, for data sources.")

    objects = NaturalKeyManager("key")
    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "key"]

    def __str__(self):
        return f"{self.publisher}: {self.title}"

    def natural_key(self):
        return (self.key,)


class ContentGeneration(models.Model):
    """One row whose number goes up whenever public content changes (an edit, an import).

    Cached pages are keyed by it, so every app server sees a change on its next request,
    whatever cache each one has.
    """

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"content generation {self.number}"
