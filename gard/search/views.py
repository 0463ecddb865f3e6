import math

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from gard.cache import cache_public_page
from gard.methods import safe_methods
from gard.ratelimits import rate_limited
from gard.search.forms import SearchForm
from gard.search.query import TooBroad, search, suggest, time_limited
from gard.symptoms.lookup import search_terms

RESULTS_PER_PAGE = 20


@safe_methods
@cache_public_page
@rate_limited("SEARCH_RATE")
def search_page(request):
    form = SearchForm(request.GET)
    form.is_valid()
    # Each field that validated is used: a bad page number gives the first page, not no search at all.
    query = form.cleaned_data.get("q", "").strip()
    number = form.cleaned_data.get("page") or 1
    correct = not form.cleaned_data.get("exact")
    results = symptoms = None
    pages = 1
    if query:
        try:
            with time_limited(query):
                results, symptoms, number, pages = _results(query, number, correct)
        except TooBroad:
            return too_broad(request, form, query)
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "query": query,
            "exact": not correct,
            "results": results,
            "symptoms": symptoms,
            "page": {
                "number": number,
                "pages": pages,
                "start": (number - 1) * RESULTS_PER_PAGE + 1,
                "previous": number - 1 if number > 1 else None,
                "next": number + 1 if number < pages else None,
            },
        },
    )


def _results(query: str, number: int, correct: bool):
    """The page of results (the last one when ``number`` is past it), the matching symptoms, the page's number
    and the number of pages."""
    results = search(query, offset=(number - 1) * RESULTS_PER_PAGE, limit=RESULTS_PER_PAGE, correct=correct)
    pages = max(1, math.ceil(results.total / RESULTS_PER_PAGE))
    if number > pages:  # past the end: show the last page rather than nothing
        number = pages
        results = search(query, offset=(number - 1) * RESULTS_PER_PAGE, limit=RESULTS_PER_PAGE, correct=correct)
    symptoms = search_terms(results.interpretation or query) if number == 1 else []
    return results, symptoms, number, pages


def too_broad(request, form, query: str):
    """The search stopped at the database's time limit: say so, and keep the page out of every cache (it
    depends on the load of the moment, not only on the address)."""
    response = render(request, "search/too_broad.html", {"form": form, "query": query})
    add_never_cache_headers(response)
    return response


@safe_methods
@cache_public_page
@rate_limited("SUGGEST_RATE")
def suggestions(request):
    form = SearchForm(request.GET)
    form.is_valid()
    query = form.cleaned_data.get("q", "").strip()
    try:
        found = suggest(query) if len(query) >= 2 else []
    except TooBroad:
        response = JsonResponse({"query": query, "suggestions": [], "too_broad": True})
        add_never_cache_headers(response)
        return response
    return JsonResponse({"query": query, "suggestions": found})
