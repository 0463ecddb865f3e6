"""Liveness and readiness checks, and the page a visitor gets when the database cannot answer."""

import math

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from gard import cache_backends, db

# Seconds the readiness check gives the database: a load balancer's probe should not wait long.
READY_QUERY_TIMEOUT = 2.0


def healthz(request):
    """For load balancers and the load test: the app server answers (no database, no template)."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    """Whether this app server can do its work: the database answers a query, the cache stores a value.

    200 with a line "ok" for each, or 503 with the line of the one that failed and the kind of error (the
    error itself, which may name servers and addresses, goes to the log); plain text, never cached.
    """
    failed = {}
    try:
        with db.time_limit(READY_QUERY_TIMEOUT), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        failed["database"] = error
        db.outage.failed("readiness check", error, "/readyz/ answered 503")
    try:
        cache.check()
    except Exception as error:  # whatever the cache's client raises: it is reported, not raised
        failed["cache"] = error
        cache_backends.outage.failed("readiness check", error, "/readyz/ answered 503")
    lines = [
        f"{name}: failed ({type(failed[name]).__name__})" if name in failed else f"{name}: ok"
        for name in ("database", "cache")
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain", status=503 if failed else 200)
    if failed:
        # A probe every few seconds during an outage: the failures are logged above, once a minute, not by
        # Django once a probe.
        response._has_been_logged = True
    return response


def database_unavailable(request):
    """The page for a request the database could not answer, with when to try again."""
    response = render(request, "503.html", status=503)
    response["Retry-After"] = str(math.ceil(settings.RETRY_AFTER))
    response._has_been_logged = True  # logged by gard.failures, once a minute, not by Django once a request
    return response


class DatabaseUnavailableMiddleware:
    """A view that fails because the database cannot be reached, or took too long, answers 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        db.outage.failed("a page's query", exception, f"pages not in the cache answer 503 ({request.path})")
        return database_unavailable(request)
