"""The sitemap: every public page a search engine should know, in sections under one index.

/sitemap.xml is the index; each section is at /sitemap-<section>.xml, split into pages of at
most ``Sitemap.limit`` addresses (?p=2, …) if it grows past that, as the protocol asks.

- pages: the home page and the first page of each letter of the A-Z list. Later pages of a
  letter only lead to diseases, and every disease is listed here itself.
- diseases: every disease page, without filters (a filtered table points to the page itself).
- symptoms: every current HPO term. Obsolete terms keep a page so old links lead somewhere,
  but it says to use another term and asks not to be indexed, so it is not listed; nor are
  old (alt) IDs, which redirect.

``lastmod`` is given where the data dates the page: the latest "Last updated" date of a disease's
sections, or an editor's latest save of it, whichever is later. Imported catalogue data has no
date of its own (a release date would claim that every page changed at every release, while the
import writes only what changed), so pages made only from it have no lastmod, nor have symptoms.
"""

import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse

from gard.diseases.letters import LETTERS
from gard.models import Disease, Phenotype, Section


def _day(value) -> datetime.date | None:
    """Dates and times as dates: lastmod is compared between items, and a date with a time is not."""
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


class AddressSitemap(Sitemap):
    """Builds each address from one reversed once: a section has thousands, and reverse() is slow."""

    url_name = ""
    PLACEHOLDER = "__key__"

    def location(self, item):
        if not hasattr(self, "_pattern"):
            self._pattern = reverse(self.url_name, args=[self.PLACEHOLDER])
        return self._pattern.replace(self.PLACEHOLDER, self.key(item))

    def key(self, item) -> str:
        return item


class PageSitemap(Sitemap):
    def items(self):
        return ["home", *LETTERS]

    def location(self, item):
        return reverse("home") if item == "home" else reverse("disease-letter", args=[item])


class DiseaseSitemap(AddressSitemap):
    url_name = "disease-detail"

    def items(self):
        edited = (
            Disease.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date").values("history_date")
        )
        # Plain values rather than model instances: the section holds every disease.
        return (
            Disease.objects.order_by("pk")
            .annotate(written=Max("sections__last_updated"), edited=Subquery(edited[:1]))
            .values_list("slug", "written", "edited")
        )

    def key(self, item):
        return item[0]

    def lastmod(self, item):
        dates = [day for day in (_day(item[1]), _day(item[2])) if day]
        return max(dates, default=None)

    def get_latest_lastmod(self):
        """For the index: the latest date of any disease, in two small queries rather than a pass over all."""
        written = Section.objects.aggregate(latest=Max("last_updated"))["latest"]
        edited = Disease.history.model.objects.aggregate(latest=Max("history_date"))["latest"]
        return max((day for day in (_day(written), _day(edited)) if day), default=None)


class SymptomSitemap(AddressSitemap):
    url_name = "symptom-detail"

    def items(self):
        return Phenotype.objects.filter(is_obsolete=False).order_by("pk").values_list("hpo_id", flat=True)


SITEMAPS = {"pages": PageSitemap, "diseases": DiseaseSitemap, "symptoms": SymptomSitemap}
