"""What crawlers and browsers ask for at the root: robots.txt, the sitemap and /favicon.ico."""

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control

from gard.cache import cache_public_page
from gard.discovery.sitemaps import SITEMAPS
from gard.methods import safe_methods

# Pages not worth crawling: the admin; search results and the suggestions behind the search boxes
# (any query makes a page); the symptom table filtered, sorted or with plain names first (each
# points to the page itself as its canonical form, and the filters make endless combinations);
# the table as CSV; the symptom finder's results and suggestions (the form itself stays open);
# the health check. The A-Z list's later pages stay open: the longer Allow wins.
ROBOTS_RULES = """\
User-agent: *
Disallow: /admin/
Disallow: /search/
Disallow: /diseases/*/?
Disallow: /diseases/*/symptoms.csv
Disallow: /finder/?
Disallow: /finder/suggest/
Disallow: /healthz/
Allow: /diseases/letter/
"""


@safe_methods
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    return HttpResponse(f"{ROBOTS_RULES}\nSitemap: {sitemap}\n", content_type="text/plain; charset=utf-8")


@safe_methods
@cache_control(public=True, max_age=3600)  # an hour: the icon's new name is followed soon after a release
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the icon among the static files.

    Not permanent: the static file's name changes with its content."""
    return redirect(static("icons/favicon.ico"))


@safe_methods
@cache_public_page
def sitemap_index(request):
    response = sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap-section")
    return response.render()  # rendered here, so that the page cache can store it


@safe_methods
@cache_public_page
def sitemap_section(request, section):
    response = sitemap_views.sitemap(request, SITEMAPS, section=section, template_name="discovery/urlset.xml")
    return response.render()
