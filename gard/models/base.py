"""What every model module shares."""

from django.db import models


class NaturalKeyManager(models.Manager):
    """Looks rows up by the lookups that make their natural key."""

    def __init__(self, *lookups):
        super().__init__()
        self.lookups = lookups

    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(self.lookups, key, strict=True)))
