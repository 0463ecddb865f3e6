"""Sign-in throttling (django-axes): the page a locked-out sign-in gets, and the address that is counted.

The settings name these callables (``AXES_LOCKOUT_CALLABLE``, ``AXES_CLIENT_IP_CALLABLE``).
"""

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a sign-in from a locked-out username and address: a page, status 429."""
    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in paused",
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "cool_off_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "admin/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def client_ip(request):
    """The address login throttling counts: behind TRUSTED_PROXY_COUNT proxies, the one the outermost saw.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so the
    client is that many entries from the right; anything further left the client could have written.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
