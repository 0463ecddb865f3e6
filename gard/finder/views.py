"""The symptom finder: a patient's symptoms (HPO terms) in, the diseases that fit them out, best first.

The chosen terms are ``term`` parameters of the address, so a query is a link that can be shared; every
link on the page (add, remove, clear, the next page) is that address with one change. Adding a symptom
works without JavaScript: the ``add`` text is an HPO ID or a name, which adds its term at once when it
names exactly one, and otherwise lists the terms it matches, each a link that adds it. With JavaScript,
the box suggests terms as one types (``finder_suggestions``), each suggestion the address with it added.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from gard.cache import cache_public_page
from gard.finder import rank
from gard.finder.forms import FinderForm, FinderSuggestForm
from gard.finder.terms import MAX_TERMS, finder_url, resolve_terms, term_for_id
from gard.models import Frequency, parse_hpo_id
from gard.symptoms.lookup import exact_name, find_candidates

RESULTS_PER_PAGE = 20
CANDIDATES = 20
SUGGESTIONS = 10


@dataclass
class MatchLine:
    """One of the patient's terms against a result's disease, in words."""

    patient_term: object
    disease_term: object
    via: object
    kind: str
    frequency: str  # in words, or ""


def frequency_words(frequency) -> str:
    """A frequency group in words with its range ("frequent, 30%-79%"); "" when none is stated."""
    if not frequency or frequency not in Frequency.values or frequency == Frequency.UNKNOWN:
        return ""
    return f"{frequency.replace('_', ' ')}, {Frequency.short_labels()[frequency]}"


def describe(result, chosen) -> tuple[list[MatchLine], list]:
    """A result's matches in the patient's order, and the patient's terms it does not match at all."""
    lines = [
        MatchLine(match.patient_term, match.disease_term, match.via, match.kind, frequency_words(match.frequency))
        for match in result.matches
    ]
    matched = {match.patient_term.pk for match in result.matches}
    order = {term.pk: number for number, term in enumerate(chosen)}
    lines.sort(key=lambda line: order.get(line.patient_term.pk, len(order)))
    return lines, [term for term in chosen if term.pk not in matched]


@cache_public_page
def finder(request):
    form = FinderForm(request.GET)
    form.is_valid()
    resolution = resolve_terms(form.cleaned_data.get("term") or [])
    chosen, chosen_ids = resolution.terms, resolution.hpo_ids
    text = (form.cleaned_data.get("add") or "").strip()

    candidates = add_problem = None
    if text and len(chosen) < MAX_TERMS:
        hpo_id = parse_hpo_id(text)
        if hpo_id:  # an ID: its current term, or why there is none
            term, add_problem = term_for_id(text, hpo_id, chosen_ids)
        else:
            term = exact_name(text)
        if term is not None:
            return redirect(finder_url(dict.fromkeys([*chosen_ids, term.hpo_id])))
        if add_problem is None:
            candidates = [
                (candidate, finder_url([*chosen_ids, candidate.term.hpo_id]))
                for candidate in find_candidates(text, limit=CANDIDATES, exclude=chosen_ids)
            ]

    page = None
    results = []
    if chosen:
        page = Paginator(rank(chosen), RESULTS_PER_PAGE).get_page(form.cleaned_data.get("page"))
        for result in page.object_list:
            lines, unmatched = describe(result, chosen)
            results.append({"result": result, "lines": lines, "unmatched": unmatched})

    return render(
        request,
        "finder/finder.html",
        {
            "form": form,
            "chosen": [
                (term, finder_url([hpo_id for hpo_id in chosen_ids if hpo_id != term.hpo_id])) for term in chosen
            ],
            "chosen_ids": chosen_ids,
            "notices": resolution.notices,
            "over_limit": resolution.over_limit,
            "max_terms": MAX_TERMS,
            "at_limit": len(chosen) >= MAX_TERMS,
            "text": text,
            "add_problem": add_problem,
            "candidates": candidates,
            "page": page,
            "total_display": f"{page.paginator.count:,}" if page is not None else "",
            "results": results,
            "page_urls": _page_urls(page, chosen_ids),
            "suggest_url": _suggest_url(chosen_ids),
        },
    )


def _suggest_url(chosen_ids) -> str:
    """The suggestions' address for the input's data-suggest, with the chosen terms: the script adds ``q``."""
    query = urlencode([("term", hpo_id) for hpo_id in chosen_ids])
    return reverse("finder-suggest") + (f"?{query}" if query else "")


def _page_urls(page, chosen_ids) -> dict:
    if page is None or page.paginator.num_pages < 2:
        return {}
    urls = {}
    if page.has_previous():
        number = page.previous_page_number()
        urls["previous"] = finder_url(chosen_ids, page=number if number > 1 else None)
    if page.has_next():
        urls["next"] = finder_url(chosen_ids, page=page.next_page_number())
    return urls


def _suggestion_parameters(request) -> QueryDict:
    """The parameters, also when a script appended ``?q=…`` to an address that already had ``?term=…``.

    A literal "?" cannot be in a value sent encoded, so everything after one is read as parameters too.
    """
    raw = request.META.get("QUERY_STRING", "")
    head, separator, tail = raw.partition("?")
    if not separator:
        return request.GET
    parameters = QueryDict(head, mutable=True)
    for key, values in QueryDict(tail.replace("?", "&")).lists():
        parameters.setlistdefault(key, []).extend(values)
    return parameters


def suggestion_label(candidate) -> str:
    term = candidate.term
    if candidate.matched:
        kind = "plain-language name" if candidate.layperson else "other name"
        return f"{candidate.matched} ({kind} of {term.name}, {term.hpo_id})"
    if candidate.by_id and candidate.by_id != term.hpo_id:
        return f"{term.name} ({term.hpo_id}, formerly {candidate.by_id})"
    return f"{term.name} ({term.hpo_id})"


@cache_public_page
def finder_suggestions(request):
    form = FinderSuggestForm(_suggestion_parameters(request))
    form.is_valid()
    query = (form.cleaned_data.get("q") or "").strip()
    suggestions = []
    if len(query) >= 2:
        chosen_ids = resolve_terms(form.cleaned_data.get("term") or []).hpo_ids
        if len(chosen_ids) < MAX_TERMS:
            for candidate in find_candidates(query, limit=SUGGESTIONS, exclude=chosen_ids):
                term = candidate.term
                suggestions.append(
                    {
                        "label": suggestion_label(candidate),
                        "url": finder_url([*chosen_ids, term.hpo_id]),
                        "hpo_id": term.hpo_id,
                        "name": term.name,
                        "matched": candidate.matched,
                        "layperson": candidate.layperson,
                    }
                )
    return JsonResponse({"query": query, "suggestions": suggestions})
