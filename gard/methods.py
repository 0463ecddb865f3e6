"""Which HTTP methods the public views answer: GET and HEAD, and POST where a view takes a form.

Any other method (OPTIONS, TRACE, PUT, DELETE, POST to a page) gets 405 with an ``Allow`` header naming the
ones it takes and the site's own short page, from Django's ``require_http_methods``. The admin and its login
are Django's own and keep their own rules.
"""

from functools import wraps

from django.http import HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods


def allow_methods(*methods: str):
    """Answer only these methods; 405 with the site's page otherwise."""

    def decorator(view):
        guarded = require_http_methods(list(methods))(view)

        @wraps(view)
        def allowed_view(request, *args, **kwargs):
            response = guarded(request, *args, **kwargs)
            if isinstance(response, HttpResponseNotAllowed) and not response.content:
                response.content = render_to_string("405.html", {"allowed": methods}, request)
                response["Content-Type"] = "text/html; charset=utf-8"
            return response

        return allowed_view

    return decorator


def safe_methods(view):
    """GET and HEAD only. Such a view changes nothing, so CSRF has nothing to protect: a POST to it gets its
    405 rather than the CSRF failure's 403 (CsrfViewMiddleware runs before the view)."""
    return csrf_exempt(allow_methods("GET", "HEAD")(view))
