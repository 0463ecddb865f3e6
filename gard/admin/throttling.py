"""Sign-in throttling (django-axes): the lock per address, the page a locked-out sign-in gets, the address counted.

The settings name these (``AXES_HANDLER``, ``AXES_LOCKOUT_CALLABLE``, ``AXES_CLIENT_IP_CALLABLE``).
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import admin
from django.db.models import Sum
from django.shortcuts import render


class AddressLimitHandler(AxesDatabaseHandler):
    """django-axes' database handler with a second, higher limit: failures from one address across usernames.

    axes counts each username and address pair against ``AXES_FAILURE_LIMIT``; its lockout parameters
    can add the address alone, but under that same limit, which would lock a whole office out after five
    mistyped passwords. Here the address alone is counted against ``AXES_ADDRESS_FAILURE_LIMIT``
    instead, from the same attempt records (so the same cool-off applies), which stops one address
    trying a few passwords against every username.
    """

    def address_failures(self, request) -> int:
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def address_locked(self, request, credentials=None) -> bool:
        return (
            settings.AXES_LOCK_OUT_AT_FAILURE
            and getattr(request, "axes_ip_address", None) is not None
            and not self.is_whitelisted(request, credentials)
            and self.address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT
        )

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self.address_locked(request, credentials)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if self.address_locked(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a sign-in from a locked-out username and address, or address: a page, status 429."""
    cool_off = get_cool_off(request)
    by_address = AddressLimitHandler().address_locked(request, credentials)
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in paused",
        "by_address": by_address,
        "failure_limit": settings.AXES_ADDRESS_FAILURE_LIMIT if by_address else get_failure_limit(request, credentials),
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
