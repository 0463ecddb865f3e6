from django.contrib import admin
from django.urls import path

from gard import health
from gard.discovery import views as discovery
from gard.diseases import views as diseases
from gard.finder import views as finder
from gard.methods import safe_methods
from gard.search import views as search
from gard.symptoms import views as symptoms

urlpatterns = [
    path("", diseases.home, name="home"),
    path("search/", search.search_page, name="search"),
    path("search/suggest/", search.suggestions, name="search-suggest"),
    path("diseases/", diseases.disease_index, name="disease-index"),
    path("diseases/letter/<str:letter>/", diseases.disease_index, name="disease-letter"),
    path("diseases/<slug:slug>/", diseases.disease_detail, name="disease-detail"),
    path("diseases/<slug:slug>/symptoms.csv", diseases.symptoms_csv, name="disease-symptoms-csv"),
    path("symptoms/<str:hpo_id>/", symptoms.symptom_detail, name="symptom-detail"),
    path("finder/", finder.finder, name="finder"),
    path("finder/suggest/", finder.finder_suggestions, name="finder-suggest"),
    path("finder/phenopacket/", finder.open_phenopacket, name="finder-phenopacket"),
    path("finder/phenopacket.json", finder.download_phenopacket, name="finder-phenopacket-download"),
    path("healthz/", safe_methods(health.healthz), name="healthz"),  # GET and HEAD, as every public view
    path("readyz/", safe_methods(health.readyz), name="readyz"),
    path("robots.txt", discovery.robots_txt, name="robots"),
    path("favicon.ico", discovery.favicon, name="favicon"),
    path("sitemap.xml", discovery.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", discovery.sitemap_section, name="sitemap-section"),
    path("admin/", admin.site.urls),
]
