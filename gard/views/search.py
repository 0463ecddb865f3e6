from django.core.paginator import Paginator
from django.shortcuts import render

from gard.forms import SearchForm
from gard.search import search_diseases

RESULTS_PER_PAGE = 20


def search(request):
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    results = search_diseases(query) if query else []
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "search/results.html", {"form": form, "query": query, "page": page})
