import math

from django.http import JsonResponse
from django.shortcuts import render

from gard.cache import cache_public_page
from gard.search.forms import SearchForm
from gard.search.query import search, suggest
from gard.symptoms.lookup import search_terms

RESULTS_PER_PAGE = 20


@cache_public_page
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
        results = search(query, offset=(number - 1) * RESULTS_PER_PAGE, limit=RESULTS_PER_PAGE, correct=correct)
        pages = max(1, math.ceil(results.total / RESULTS_PER_PAGE))
        if number > pages:  # past the end: show the last page rather than nothing
            number = pages
            results = search(query, offset=(number - 1) * RESULTS_PER_PAGE, limit=RESULTS_PER_PAGE, correct=correct)
        symptoms = search_terms(results.interpretation or query) if number == 1 else []
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


@cache_public_page
def suggestions(request):
    form = SearchForm(request.GET)
    form.is_valid()
    query = form.cleaned_data.get("q", "").strip()
    return JsonResponse({"query": query, "suggestions": suggest(query) if len(query) >= 2 else []})
