"""The symptom finder: a patient's symptoms (HPO terms) in, the diseases that fit them out, best first.

The chosen terms are ``term`` (present) and ``not`` (absent) parameters of the address, so a query is a
link that can be shared; every link on the page (add, remove, mark absent or present, clear, the next page)
is that address with one change. Adding a symptom works without JavaScript: the ``add`` text is an HPO ID or
a name, which adds its term at once (as present, or as absent when ``as=absent``) when it names exactly one,
and otherwise lists the terms it matches, each a link that adds it. With JavaScript, the box suggests terms
as one types (``finder_suggestions``), each suggestion the address with it added.

A GA4GH phenopacket opens the finder with its observed and excluded terms (``open_phenopacket``: read in
memory, never stored, then a redirect to the address), and the current query downloads as one
(``download_phenopacket``).
"""

import json
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from gard.cache import cache_public_page
from gard.finder import rank
from gard.finder.forms import FinderForm, FinderSuggestForm, PhenopacketForm
from gard.finder.phenopackets import MAX_BYTES, PhenopacketError, read_phenopacket, write_phenopacket
from gard.finder.ranking import grouped
from gard.finder.terms import MAX_TERMS, finder_url, resolve_query, term_for_id, terms_query
from gard.methods import allow_methods, safe_methods
from gard.models import Frequency, Source, parse_hpo_id
from gard.ratelimits import rate_limited
from gard.symptoms.lookup import exact_name, find_candidates

RESULTS_PER_PAGE = 20
UPLOAD_OVERHEAD = 64_000  # room for the multipart form's own parts around a file of MAX_BYTES
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
    absent: bool = False  # the patient does not have the term


def frequency_words(frequency) -> str:
    """A frequency group in words with its range ("frequent, 30%-79%"); "" when none is stated."""
    if not frequency or frequency not in Frequency.values or frequency == Frequency.UNKNOWN:
        return ""
    return f"{frequency.replace('_', ' ')}, {Frequency.short_labels()[frequency]}"


def describe(result, chosen, absent=()) -> tuple[list[MatchLine], list]:
    """A result's matches in the patient's order (present terms, then the absent ones that bear on it), and
    the patient's present terms it does not match at all."""
    lines = [
        MatchLine(
            match.patient_term,
            match.disease_term,
            match.via,
            match.kind,
            frequency_words(match.frequency),
            match.absent,
        )
        for match in result.matches
        if not match.absent or match.kind != "none"
    ]
    matched = {match.patient_term.pk for match in result.matches if not match.absent}
    order = {term.pk: number for number, term in enumerate([*chosen, *absent])}
    lines.sort(key=lambda line: order.get(line.patient_term.pk, len(order)))
    return lines, [term for term in chosen if term.pk not in matched]


class Query:
    """The present and absent terms of the address, and the address with one change."""

    def __init__(self, present, absent):
        self.present, self.absent = present, absent
        self.present_ids = [term.hpo_id for term in present]
        self.absent_ids = [term.hpo_id for term in absent]

    def __len__(self) -> int:
        return len(self.present) + len(self.absent)

    def url(self, present=None, absent=None, **params) -> str:
        return finder_url(
            self.present_ids if present is None else present, self.absent_ids if absent is None else absent, **params
        )

    def at(self, path: str) -> str:
        """Another address with the same ``term`` and ``not`` parameters."""
        return path + terms_query(self.present_ids, self.absent_ids)

    def adding(self, hpo_id: str, as_absent: bool = False) -> str:
        if as_absent:
            return self.url(absent=list(dict.fromkeys([*self.absent_ids, hpo_id])))
        return self.url(present=list(dict.fromkeys([*self.present_ids, hpo_id])))

    def chosen(self) -> list[dict]:
        """Each term with the links that remove it and that move it to the other list."""
        items = []
        for absent, terms in ((False, self.present), (True, self.absent)):
            for term in terms:
                present = [hpo_id for hpo_id in self.present_ids if hpo_id != term.hpo_id]
                lacking = [hpo_id for hpo_id in self.absent_ids if hpo_id != term.hpo_id]
                if absent:
                    switch_url = self.url(present=[*present, term.hpo_id], absent=lacking)
                else:
                    switch_url = self.url(present=present, absent=[*lacking, term.hpo_id])
                items.append(
                    {
                        "term": term,
                        "absent": absent,
                        "remove_url": self.url(present=present, absent=lacking),
                        "switch_url": switch_url,
                    }
                )
        return items


def _query(form) -> tuple[Query, list, int]:
    has, lacks = resolve_query(form.cleaned_data.get("term") or [], form.cleaned_data.get("not") or [])
    return Query(has.terms, lacks.terms), has.notices + lacks.notices, has.over_limit + lacks.over_limit


@safe_methods
@cache_public_page
@rate_limited("FINDER_RATE")
def finder(request):
    form = FinderForm(request.GET)
    form.is_valid()
    return _finder_page(request, form)


def _finder_page(request, form, upload_form=None, upload_problem=None, status=200):
    query, notices, over_limit = _query(form)
    text = (form.cleaned_data.get("add") or "").strip()
    as_absent = form.cleaned_data.get("as") == "absent"
    every_id = [*query.present_ids, *query.absent_ids]

    candidates = add_problem = None
    if text and len(query) < MAX_TERMS:
        hpo_id = parse_hpo_id(text)
        if hpo_id:  # an ID: its current term, or why there is none
            term, add_problem = term_for_id(text, hpo_id, every_id)
        else:
            term = exact_name(text)
        if term is not None:
            return redirect(query.adding(term.hpo_id, as_absent))
        if add_problem is None:
            candidates = [
                (candidate, query.adding(candidate.term.hpo_id, as_absent))
                for candidate in find_candidates(text, limit=CANDIDATES, exclude=every_id)
            ]

    page = None
    results = []
    matching = 0
    if query.present:
        ranking = rank(query.present, absent=query.absent)
        matching = len(ranking)
        page = Paginator(grouped(ranking), RESULTS_PER_PAGE).get_page(form.cleaned_data.get("page"))
        for entry in page.object_list:
            lines, unmatched = describe(entry.result, query.present, query.absent)
            results.append({"entry": entry, "result": entry.result, "lines": lines, "unmatched": unmatched})

    return render(
        request,
        "finder/finder.html",
        {
            "form": form,
            "chosen": query.chosen(),
            "present": query.present,
            "absent": query.absent,
            "chosen_ids": query.present_ids,
            "absent_ids": query.absent_ids,
            "as_absent": as_absent,
            "notices": notices,
            "over_limit": over_limit,
            "max_terms": MAX_TERMS,
            "at_limit": len(query) >= MAX_TERMS,
            "text": text,
            "add_problem": add_problem,
            "candidates": candidates,
            "page": page,
            "matching": matching,
            "total_display": f"{matching:,}",
            "results": results,
            "page_urls": _page_urls(page, query),
            "suggest_url": _suggest_url(query),
            "download_url": query.at(reverse("finder-phenopacket-download")) if len(query) else "",
            "upload_form": upload_form or PhenopacketForm(),
            "upload_problem": upload_problem,
            "max_upload": MAX_BYTES,
        },
        status=status,
    )


def _suggest_url(query) -> str:
    """The suggestions' address for the input's data-suggest, with the chosen terms: the script adds ``q``."""
    return query.at(reverse("finder-suggest"))


def _page_urls(page, query) -> dict:
    if page is None or page.paginator.num_pages < 2:
        return {}
    urls = {}
    if page.has_previous():
        number = page.previous_page_number()
        urls["previous"] = query.url(page=number if number > 1 else None)
    if page.has_next():
        urls["next"] = query.url(page=page.next_page_number())
    return urls


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303  # after a POST: GET the address


@csrf_exempt  # it stores nothing and only answers with a redirect to a finder address (the page is cached)
@allow_methods("POST")
@rate_limited("FINDER_RATE")
def open_phenopacket(request):
    """A phenopacket file in, the finder with its observed and excluded terms out; nothing is kept.

    A request much larger than the file may be is refused before it is read, so that nothing large is
    buffered or written to a temporary file.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BYTES + UPLOAD_OVERHEAD:
        problem = f"The file is larger than 1 MB ({length / 1_000_000:.1f} MB). The finder reads files of at most 1 MB."
        return _upload_problem(request, problem, status=413)
    upload = PhenopacketForm(request.POST, request.FILES)
    problem = None
    if upload.is_valid():
        try:  # read_phenopacket checks the size: what is read past 1 MB tells it how far past
            packet = read_phenopacket(upload.cleaned_data["file"].read(MAX_BYTES + UPLOAD_OVERHEAD))
        except PhenopacketError as error:
            problem = str(error)
        else:
            has, lacks = resolve_query(packet.observed, packet.excluded)
            if not has.terms and not lacks.terms:
                problem = "None of the file's HPO terms is in the release the site uses."
            else:
                return HttpResponseSeeOther(finder_url(has.hpo_ids, lacks.hpo_ids))
    else:
        problem = " ".join(error for errors in upload.errors.values() for error in errors)
    return _upload_problem(request, problem, status=400, upload=upload)


def _upload_problem(request, problem: str, status: int, upload=None):
    """The finder's empty page with what was wrong with the file."""
    form = FinderForm({})
    form.is_valid()
    return _finder_page(request, form, upload_form=upload, upload_problem=problem, status=status)


@safe_methods
@rate_limited("FINDER_RATE")
def download_phenopacket(request):
    """The query in the address as a GA4GH Phenopacket v2 file."""
    form = FinderForm(request.GET)
    form.is_valid()
    query, _, _ = _query(form)
    if not len(query):
        return redirect("finder")
    hpo = Source.objects.filter(key="hpo").values_list("version", flat=True).first() or ""
    created = timezone.now().replace(microsecond=0)
    packet = write_phenopacket(
        [(term.hpo_id, term.name) for term in query.present],
        [(term.hpo_id, term.name) for term in query.absent],
        created=created,
        hpo_version=hpo,
        site_url=request.build_absolute_uri(query.url()),
        packet_id=f"symptom-finder-{created:%Y%m%dT%H%M%SZ}",
    )
    response = HttpResponse(json.dumps(packet, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="symptom-finder-phenopacket.json"'
    return response


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


@safe_methods
@cache_public_page
@rate_limited("SUGGEST_RATE")
def finder_suggestions(request):
    form = FinderSuggestForm(_suggestion_parameters(request))
    form.is_valid()
    query = (form.cleaned_data.get("q") or "").strip()
    suggestions = []
    if len(query) >= 2:
        has, lacks = resolve_query(form.cleaned_data.get("term") or [], form.cleaned_data.get("not") or [])
        chosen = Query(has.terms, lacks.terms)
        if len(chosen) < MAX_TERMS:
            every_id = [*chosen.present_ids, *chosen.absent_ids]
            for candidate in find_candidates(query, limit=SUGGESTIONS, exclude=every_id):
                term = candidate.term
                suggestions.append(
                    {
                        "label": suggestion_label(candidate),
                        "url": chosen.adding(term.hpo_id),
                        "absent_url": chosen.adding(term.hpo_id, as_absent=True),
                        "hpo_id": term.hpo_id,
                        "name": term.name,
                        "matched": candidate.matched,
                        "layperson": candidate.layperson,
                    }
                )
    return JsonResponse({"query": query, "suggestions": suggestions})
