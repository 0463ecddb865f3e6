"""The home page, the A to Z list, and a disease's page with its symptom table (on the page and as CSV)."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from gard.cache import cache_public_page
from gard.diseases.csv import write_symptom_rows
from gard.diseases.filters import SymptomFilter
from gard.diseases.letters import LETTERS
from gard.diseases.page import build_overview, frequency_groups, page_sections, table_rows
from gard.models import Disease
from gard.search.forms import SearchForm

DISEASES_PER_PAGE = 100


def get_disease_or_404(slug, queryset=None):
    return get_object_or_404(queryset if queryset is not None else Disease.objects.all(), slug=slug)


@cache_public_page
def home(request):
    written = Disease.objects.with_written_pages().only("name", "slug")
    return render(request, "home.html", {"form": SearchForm(), "letters": LETTERS, "written": written})


@cache_public_page
def disease_index(request, letter="A"):
    """The A-Z list, a letter at a time."""
    letter = letter.upper()
    if letter not in LETTERS:
        letter = "A"
    diseases = Disease.objects.starting_with(letter).only("name", "slug", "search_name")
    page = Paginator(diseases, DISEASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "diseases/index.html", {"letters": LETTERS, "letter": letter, "page": page})


def symptom_table(request, disease):
    """The filter, the table rows and the overview for a disease's symptom table."""
    overview = build_overview(disease.annotations.overview())
    symptom_filter = SymptomFilter(request.GET, queryset=disease.annotations.for_table(), overview=overview)
    plain = symptom_filter.choice("names", "medical") == "plain"
    rows = table_rows(symptom_filter.qs, sort=symptom_filter.choice("sort", "name"), plain=plain)
    return symptom_filter, overview, rows, plain


@cache_public_page
def disease_detail(request, slug):
    disease = get_disease_or_404(slug, Disease.objects.for_page())
    symptom_filter, overview, rows, plain = symptom_table(request, disease)
    genes = sorted({gene for identifier in disease.identifiers.all() for gene in identifier.genes.all()}, key=str)
    return render(
        request,
        "diseases/detail.html",
        {
            "disease": disease,
            "sections": page_sections(disease),
            "filter": symptom_filter,
            "overview": overview,
            "genes": genes,
            "groups": frequency_groups(rows),
            "shown": len(rows),
            "total": overview.terms,
            "plain": plain,
            **{f"{name}_options": symptom_filter.options(name) for name in ("system", "frequency", "sort", "names")},
            "sources": sorted({s.source for s in disease.sections.all() if s.source}, key=lambda s: s.key),
            "query_string": request.GET.urlencode(),
        },
    )


@cache_public_page
def symptoms_csv(request, slug):
    disease = get_disease_or_404(slug)
    _, _, rows, _ = symptom_table(request, disease)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{disease.slug}-symptoms.csv"'
    write_symptom_rows(response, rows)
    return response
