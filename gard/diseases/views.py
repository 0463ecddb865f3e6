"""The home page, the A to Z list, and a disease's page with its symptom table (on the page and as CSV)."""

from functools import wraps

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render

from gard.cache import cache_public_page
from gard.diseases.csv import write_symptom_rows
from gard.diseases.family import MAIN_SYMPTOMS, family_section
from gard.diseases.filters import SymptomFilter
from gard.diseases.letters import LETTERS
from gard.diseases.page import FOLD_GROUP_TO, build_overview, frequency_groups, page_sections, table_rows
from gard.diseases.written import shown_references
from gard.methods import safe_methods
from gard.models import Disease, DiseaseRedirect
from gard.search.forms import SearchForm

DISEASES_PER_PAGE = 100


class MovedPage(Exception):
    """The address is an old one of a page (merged into another, or renamed): answer with a 301 there."""

    def __init__(self, url):
        self.url = url


def get_disease_or_404(slug, queryset=None, suffix=""):
    """The disease at this slug; MovedPage when the slug leads to another page; else 404."""
    queryset = queryset if queryset is not None else Disease.objects.all()
    disease = queryset.filter(slug=slug).first()
    if disease is None:
        moved = DiseaseRedirect.objects.filter(slug=slug).select_related("disease").first()
        if moved is None:
            raise Http404("No disease has this address")
        raise MovedPage(moved.disease.get_absolute_url() + suffix)
    return disease


def follow_moved_pages(view):
    """Views of one disease answer an old address of it with a permanent redirect, keeping the query."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except MovedPage as moved:
            query = request.GET.urlencode()
            return HttpResponsePermanentRedirect(moved.url + (f"?{query}" if query else ""))

    return wrapped


@safe_methods
@cache_public_page
def home(request):
    written = Disease.objects.with_written_pages().only("name", "slug")
    return render(request, "home.html", {"form": SearchForm(), "letters": LETTERS, "written": written})


@safe_methods
@cache_public_page
def disease_index(request, letter="A"):
    """The A-Z list, a letter at a time (any case); a letter the list does not have is not found."""
    letter = letter.upper()
    if letter not in LETTERS:
        raise Http404("The A to Z list has no such letter")
    diseases = Disease.objects.starting_with(letter).only("name", "slug", "search_name")
    paginator = Paginator(diseases, DISEASES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    # Every page number near this one and at the ends, with "…" for the ones left out.
    page_numbers = paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return render(
        request,
        "diseases/index.html",
        {"letters": LETTERS, "letter": letter, "page": page, "page_numbers": page_numbers},
    )


def symptom_table(request, disease):
    """The filter, the table rows and the overview for a disease's symptom table, and the other names
    read for the rows and for the main symptoms the family section names."""
    overview = build_overview(disease.annotations.overview())
    symptom_filter = SymptomFilter(request.GET, queryset=disease.annotations.for_table(), overview=overview)
    plain = symptom_filter.choice("names", "medical") == "plain"
    main = [fact.term_id for fact, _ in overview.symptoms[: MAIN_SYMPTOMS * 2]]
    rows, names = table_rows(
        symptom_filter.qs, sort=symptom_filter.choice("sort", "name"), plain=plain, plain_names_of=main
    )
    return symptom_filter, overview, rows, plain, names


@safe_methods
@follow_moved_pages
@cache_public_page
def disease_detail(request, slug):
    disease = get_disease_or_404(slug, Disease.objects.for_page())
    symptom_filter, overview, rows, plain, names = symptom_table(request, disease)
    genes = sorted({gene for identifier in disease.identifiers.all() for gene in identifier.genes.all()}, key=str)
    family = family_section(disease, overview, genes, names)
    return render(
        request,
        "diseases/detail.html",
        {
            "disease": disease,
            "family": family,
            "sections": page_sections(disease, leading=family.what.section),
            "shown_references": shown_references(disease),
            "filter": symptom_filter,
            "overview": overview,
            "genes": genes,
            "groups": (groups := frequency_groups(rows, fold=symptom_filter.folds)),
            "matched": len(rows),
            "fold_to": FOLD_GROUP_TO,
            "shown": sum(len(group.rows) for group in groups),
            "total": overview.terms,
            "plain": plain,
            **{f"{name}_options": symptom_filter.options(name) for name in ("system", "frequency", "sort", "names")},
            "sources": sorted({s.source for s in disease.sections.all() if s.source}, key=lambda s: s.key),
            "query_string": request.GET.urlencode(),
        },
    )


@safe_methods
@follow_moved_pages
@cache_public_page
def symptoms_csv(request, slug):
    disease = get_disease_or_404(slug, suffix="symptoms.csv")
    _, _, rows, _, _ = symptom_table(request, disease)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{disease.slug}-symptoms.csv"'
    write_symptom_rows(response, rows)
    return response
