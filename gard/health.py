from django.http import HttpResponse


def healthz(request):
    """For load balancers and the load test: the app server answers (no database, no template)."""
    return HttpResponse("ok", content_type="text/plain")
