"""The editors' admin site: Django's, with its titles and the pages overdue for review on its home page."""

from django.contrib import admin
from django.urls import reverse

from gard.models import Disease

OVERDUE_SHOWN = 10


class AdminSite(admin.AdminSite):
    """``gard.apps.AdminConfig`` makes this the default site, so ``admin.site`` is one of these."""

    site_header = "Rare disease information: editors"
    site_title = "Editors"
    index_title = "Content"

    def index(self, request, extra_context=None):
        context = dict(extra_context or {})
        if request.user.has_perm("gard.view_disease") or request.user.has_perm("gard.change_disease"):
            overdue = Disease.objects.overdue_for_review().order_by("next_review_due", "search_name")
            context["overdue_reviews"] = list(overdue[:OVERDUE_SHOWN])
            context["overdue_count"] = overdue.count()
            context["overdue_url"] = reverse("admin:gard_disease_changelist") + "?review=overdue"
        return super().index(request, context)
