"""The site's URLs plus a trivial view, so benchmarks compare against the same stack."""

from django.http import HttpResponse
from django.urls import path

from gard.urls import urlpatterns as site_urls


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *site_urls]
