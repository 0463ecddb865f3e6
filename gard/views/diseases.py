import csv
import string

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from gard.filters import SymptomFilter
from gard.forms import SearchForm
from gard.models import Disease, Frequency
from gard.pages import frequency_groups, page_sections


def get_disease_or_404(slug, queryset=None):
    return get_object_or_404(queryset if queryset is not None else Disease.objects.all(), slug=slug)


def home(request):
    diseases = Disease.objects.only("name", "slug", "search_name")
    by_letter: dict[str, list] = {}
    for disease in diseases:
        initial = disease.search_name[:1].upper()
        by_letter.setdefault(initial if initial in string.ascii_uppercase else "#", []).append(disease)
    letters = [(letter, letter in by_letter) for letter in string.ascii_uppercase]
    return render(
        request,
        "home.html",
        {"form": SearchForm(), "letters": letters, "by_letter": sorted(by_letter.items())},
    )


def filtered_symptoms(request, disease):
    annotations = disease.annotations.for_table()
    group_counts = disease.annotations.group_counts()
    symptom_filter = SymptomFilter(request.GET, queryset=annotations, group_counts=group_counts)
    return symptom_filter, list(symptom_filter.qs), sum(group_counts.values())


def disease_detail(request, slug):
    disease = get_disease_or_404(slug, Disease.objects.for_page())
    symptom_filter, rows, total = filtered_symptoms(request, disease)
    return render(
        request,
        "diseases/detail.html",
        {
            "disease": disease,
            "sections": page_sections(disease),
            "filter": symptom_filter,
            "groups": frequency_groups(rows),
            "shown": len(rows),
            "total": total,
            "sources": sorted({s.source for s in disease.sections.all() if s.source}, key=lambda s: s.key),
            "query_string": request.GET.urlencode(),
        },
    )


def _csv_cell(value: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def symptoms_csv(request, slug):
    disease = get_disease_or_404(slug)
    symptom_filter, rows, _ = filtered_symptoms(request, disease)
    short = Frequency.short_labels()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{disease.slug}-symptoms.csv"'
    writer = csv.writer(response)
    writer.writerow(["Medical term", "HPO ID", "Frequency", "Frequency as stated", "Other names", "Source"])
    for row in rows:
        writer.writerow(
            _csv_cell(value)
            for value in (
                row.phenotype.name,
                row.phenotype.hpo_id,
                short[row.frequency],
                row.frequency_raw,
                "; ".join(synonym.name for synonym in row.phenotype.synonyms.all()),
                row.source.publisher if row.source else "Editors",
            )
        )
    return response
