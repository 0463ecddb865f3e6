from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class GardConfig(AppConfig):
    default = True
    name = "gard"
    verbose_name = "Rare diseases"

    def ready(self):
        from gard import signals  # noqa: F401
        from gard.admin import registrations  # noqa: F401  (the ModelAdmins, registered on the admin site)
        from gard.admin.permissions import sync_editors_group
        from gard.search import signals as search_signals  # noqa: F401

        post_migrate.connect(sync_editors_group, sender=self, dispatch_uid="gard-editors-group")


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin with the site's own AdminSite (INSTALLED_APPS names this instead of django.contrib.admin)."""

    default = False
    default_site = "gard.admin.site.AdminSite"
