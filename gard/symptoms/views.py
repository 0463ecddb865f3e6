"""The page of one HPO term: what it means, its other names, where it sits in HPO, and its diseases."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Min
from django.http import Http404
from django.shortcuts import redirect, render

from gard.cache import cache_public_page
from gard.frequency import FREQUENCY_ORDER, describe_raw
from gard.methods import safe_methods
from gard.models import FREQUENCY_RANK, Annotation, Disease, Frequency, Phenotype

DISEASES_PER_PAGE = 50


@dataclass
class DiseaseRow:
    disease: Disease
    frequency: str  # the most frequent group any source states
    frequency_label: str
    stated: list[str] = field(default_factory=list)  # raw frequencies in that group, when they add to it


def symptom_statements(phenotype):
    """The term's rows that say a disease has it (not NOT rows, not inheritance or onset)."""
    return Annotation.objects.symptoms().filter(phenotype=phenotype)


def disease_ranks(phenotype):
    """One row per disease with the term: its most frequent group's rank; most frequent first, then by name."""
    return (
        symptom_statements(phenotype)
        .values("disease")
        .annotate(frequency_rank=Min(FREQUENCY_RANK))
        .order_by("frequency_rank", "disease__search_name", "disease")
    )


def disease_rows(phenotype, ranks) -> list[DiseaseRow]:
    """The diseases of one page of ``disease_ranks``, each with what its sources state in its group."""
    ranks = list(ranks)
    statements = (
        symptom_statements(phenotype)
        .filter(disease__in=[rank["disease"] for rank in ranks])
        .select_related("disease")
        .only("frequency", "frequency_raw", "disease", "disease__name", "disease__slug")
        .order_by("pk")
    )
    short = Frequency.short_labels()
    rows = {}
    for rank in ranks:
        frequency = FREQUENCY_ORDER[rank["frequency_rank"]]
        rows[rank["disease"]] = DiseaseRow(None, frequency, short[frequency])
    for statement in statements:
        row = rows[statement.disease_id]
        row.disease = statement.disease
        if statement.frequency != row.frequency or statement.frequency_raw == short[row.frequency]:
            continue
        stated = describe_raw(statement.frequency_raw)
        if stated and stated not in row.stated:
            row.stated.append(stated)
    return list(rows.values())


def diseases_not_seen(phenotype):
    """Diseases a source states do NOT have the term, unless another source lists it as theirs."""
    return (
        Disease.objects.filter(pk__in=Annotation.objects.not_seen().filter(phenotype=phenotype).values("disease"))
        .exclude(pk__in=symptom_statements(phenotype).values("disease"))
        .only("name", "slug")
    )


@safe_methods
@cache_public_page
def symptom_detail(request, hpo_id):
    phenotype = Phenotype.objects.for_page().find(hpo_id)
    if phenotype is None:
        raise Http404("No symptom has this HPO ID")
    if phenotype.hpo_id != hpo_id:  # lower case, or an older ID of the term
        query = request.GET.urlencode()
        return redirect(phenotype.get_absolute_url() + (f"?{query}" if query else ""), permanent=True)

    page = Paginator(disease_ranks(phenotype), DISEASES_PER_PAGE).get_page(request.GET.get("page"))
    synonyms = phenotype.synonyms.all()
    return render(
        request,
        "symptoms/detail.html",
        {
            "phenotype": phenotype,
            "plain_names": [synonym for synonym in synonyms if synonym.layperson],
            "medical_names": [synonym for synonym in synonyms if not synonym.layperson],
            "replacement": Phenotype.objects.find(phenotype.replaced_by) if phenotype.replaced_by else None,
            "page": page,
            "total_display": f"{page.paginator.count:,}",
            "diseases": disease_rows(phenotype, page.object_list),
            "not_seen": list(diseases_not_seen(phenotype)),
        },
    )
