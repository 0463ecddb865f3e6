from django.apps import AppConfig
from django.db.models.signals import post_migrate


class GardConfig(AppConfig):
    name = "gard"
    verbose_name = "Rare diseases"

    def ready(self):
        from gard import signals  # noqa: F401
        from gard.permissions import sync_editors_group

        post_migrate.connect(sync_editors_group, sender=self, dispatch_uid="gard-editors-group")
