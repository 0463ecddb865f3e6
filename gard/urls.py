from django.contrib import admin
from django.urls import path

from gard.views import diseases, search

urlpatterns = [
    path("", diseases.home, name="home"),
    path("search/", search.search, name="search"),
    path("diseases/<slug:slug>/", diseases.disease_detail, name="disease-detail"),
    path("diseases/<slug:slug>/symptoms.csv", diseases.symptoms_csv, name="disease-symptoms-csv"),
    path("admin/", admin.site.urls),
]
