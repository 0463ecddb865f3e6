"""Addresses too long to be real: 414 with the site's own page.

The longest address the site itself makes is the finder's with its 50 terms and a 200-character symptom
typed in a script that percent-encodes each character as nine (``%E6%97%A5``): under 3,000 characters
(tests/site/test_bad_input.py measures it). ``MAX_URI_LENGTH`` leaves room above that; gunicorn's
``limit_request_line`` (gunicorn.conf.py) is set higher, so such a request reaches the app and gets this
page rather than gunicorn's own bare "URI Too Long".
"""

from django.http import HttpResponse
from django.template.loader import render_to_string

MAX_URI_LENGTH = 4096  # characters of path and query string, as the request sent them


class URITooLongMiddleware:
    """Answers an address longer than ``MAX_URI_LENGTH`` with 414 before any view or lookup runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.get_full_path()) > MAX_URI_LENGTH:
            page = render_to_string("414.html", {"limit": MAX_URI_LENGTH}, request)
            return HttpResponse(page, status=414)
        return self.get_response(request)
