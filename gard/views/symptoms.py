from django.http import Http404


def symptom_detail(request, hpo_id):
    raise Http404("Symptom pages are not built yet")
