"""Per-client rate limits on the pages whose every request is work: search, suggestions and the finder.

``rate_limited("SEARCH_RATE")`` counts each request a view renders against the client's budgets for that
setting (["10/10s", "60/m"]: a burst and a sustained rate), through django-ratelimit in the default cache
(each process's memory, or the Redis every worker shares), per client address as login throttling reads it
(``gard.admin.throttling.client_ip``: behind TRUSTED_PROXY_COUNT proxies, the address the outermost one
saw). Past a budget the client gets a 429 page saying when to try again (Retry-After) until that period
ends; other clients are unaffected.

It goes inside ``cache_public_page``: a page served from the page cache costs next to nothing and is not
counted, so only the requests that make the database work spend the budget. A cache that fails lets the
request through (RATELIMIT_FAIL_OPEN): the limits protect the site, they must not take it down.
"""

import logging
from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django_ratelimit.core import get_usage

from gard.admin.throttling import client_ip

logger = logging.getLogger(__name__)


def client_key(group: str, request) -> str:
    return client_ip(request) or "unknown"


def _seconds_to_wait(request, setting: str) -> int:
    """Count this request against each of the client's budgets for the setting (one rate or several: "10/10s",
    "60/m"); how long until every one it is past has room again, or 0 when it is within them all (also when
    limits are off or the cache failed)."""
    rates = getattr(settings, setting)
    wait = 0
    for rate in [rates] if isinstance(rates, str) else rates:
        try:
            usage = get_usage(request, group=setting.lower(), key=client_key, rate=rate, increment=True)
        except Exception:  # a cache that cannot be reached: django-ratelimit only fails open on a missing count
            if not settings.RATELIMIT_FAIL_OPEN:
                raise
            logger.warning("Rate limit not applied: the cache failed", exc_info=True)
            return 0
        if usage is not None and usage["should_limit"]:
            wait = max(wait, usage["time_left"], 1)
    return wait


def too_many_requests(request, retry_after: int):
    response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response


def rate_limited(setting: str):
    """Limit a view to the rate the setting names, per client; the views that share a setting share a budget."""

    def decorator(view):
        @wraps(view)
        def limited_view(request, *args, **kwargs):
            if wait := _seconds_to_wait(request, setting):
                return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return limited_view

    return decorator
