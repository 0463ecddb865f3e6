"""Whole-page caching of the public pages, invalidated by the content generation.

A page is stored in the configured cache (``django.core.cache.cache``: each
process's own memory by default, a shared Redis when one is configured) under
the current ``ContentGeneration.number`` and its full address: scheme, host,
path and query string (pages carry absolute links, canonical and structured
data, built from the request). Every change to public content raises that number in the database
(signals for edits one row at a time, the HPO import once at its end), so the
next request on any app server reads the new number, misses, and renders the
page afresh. Entries under older numbers are never read again and expire.

When the database cannot answer, pages already stored are still served: the last number read is
kept in the process and in the cache (``page_generation``). The cache failing is a miss
(``gard/cache_backends.py``): the page is rendered.

Only anonymous GET and HEAD requests that end in a 200 are cached, and only
responses that depend on nothing but the address: none that set a cookie,
carry a message, write a CSRF token or a CSP nonce into the page, or ask not
to be stored.

Browsers and shared caches revalidate them: such a page carries a weak ETag made of the content
generation, its address and the release of the code (``page_etag``), and ``Cache-Control: public,
max-age=60`` (``PUBLIC_MAX_AGE``); a request whose If-None-Match names the current ETag gets a 304
before the page is read from the cache or rendered. Every other response passing through
(signed-in visitors, a page with a form's CSRF token, a cookie or a message, an error) is sent
``private, no-store`` unless the view said otherwise.
"""

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from functools import cache as memoize
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import InterfaceError, OperationalError, connection
from django.db.models import F
from django.http import HttpResponseNotModified
from django.utils.cache import add_never_cache_headers, get_max_age, patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags

from gard import db
from gard.models import ContentGeneration

logger = logging.getLogger(__name__)

GENERATION_PK = 1
# The number a public page's request read, so what the view reads with it (search's vocabulary) needs no second query.
_request_generation: ContextVar[int | None] = ContextVar("request_generation", default=None)
# Set when PerGeneration served a value built for an older number: that page is not cached.
_served_stale: ContextVar[bool] = ContextVar("served_stale", default=False)
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")
# The last number read from the database: kept by each process, and in the cache for every process.
GENERATION_KEY = "content-generation"
_last_read: dict[str, int | None] = {"number": None}


def _first_number() -> int:
    """Where a new generation row starts: microseconds since the epoch.

    If the row is ever lost (a flush, a restore from a dump without it), it comes back
    with a number higher than any it had before, so no page cached under an old number
    can be served again, even from a cache that outlived the database.
    """
    return time.time_ns() // 1000


def content_generation() -> int:
    """The current number: one query, written as SQL because every public request makes it.

    Creating the row, if it is missing, takes three more, once.
    """
    quote = connection.ops.quote_name
    table, number, pk = ContentGeneration._meta.db_table, "number", ContentGeneration._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(number)} FROM {quote(table)} WHERE {quote(pk)} = %s", [GENERATION_PK])
        row = cursor.fetchone()
    if row is None:
        generation, _ = ContentGeneration.objects.get_or_create(pk=GENERATION_PK, defaults={"number": _first_number()})
        return generation.number
    return row[0]


def page_generation() -> tuple[int, bool]:
    """The number to key a public page by, and whether the database just said so.

    The database's number, kept (in the process, and in the cache when it changes) for when the
    database cannot answer: then the last number known keys the page, so pages stored under it are
    served; the database is not asked again for ``RETRY_AFTER`` seconds. With no number known, the
    database's error is raised.
    """
    if db.outage.down() and (known := _last_known()) is not None:
        return known, False
    try:
        number = content_generation()
    except (OperationalError, InterfaceError) as error:
        known = _last_known()
        if known is None:
            raise
        db.outage.failed("content generation", error, "cached pages are served under the last number known")
        return known, False
    db.outage.answered()
    if _last_read["number"] != number:
        _last_read["number"] = number
        cache.set(GENERATION_KEY, number, None)
    return number, True


def _last_known() -> int | None:
    # Numbers only go up: the higher of this process's and the one another process wrote last.
    return max((n for n in (_last_read["number"], cache.get(GENERATION_KEY)) if n is not None), default=None)


def request_generation() -> int:
    """The number this public page's request already read (``cache_public_page``), else the current one."""
    generation = _request_generation.get()
    return content_generation() if generation is None else generation


class PerGeneration:
    """Something built from the content (the finder's index, search's vocabulary), kept for the life of the
    process and built again when the content generation has moved. ``current()`` reads the generation
    (``request_generation``: no query in a public page's request) and builds at most once per generation
    whatever the number of threads asking.

    With ``background=True``, a value that is out of date keeps serving while one thread of the process
    builds its successor, which then replaces it; the request that noticed pays nothing, and the pages
    it renders with the old value are not cached (``served_stale``). The value is still built in the
    request when there is none yet, when the caller is inside a transaction (a thread would not see its
    writes), and when the number jumped rather than counted up (a flush, a restore, another database:
    the old value may name rows that are gone). A build that fails in the thread is logged, the old
    value keeps serving, and it is tried again ``retry_after`` seconds later.
    """

    # Each edit adds one to the number; a recreated row restarts at the time in microseconds.
    largest_step = 10_000
    retry_after = 10.0

    def __init__(self, build: Callable[[int], object], *, background: bool = False):
        self.build = build
        self.background = background
        self._built = (None, None)  # (generation, value), swapped as one
        self._lock = threading.Lock()
        self._rebuild = None  # the thread building a successor, while it runs
        self._failed_at = None

    @property
    def value(self):
        return self._built[1]

    @property
    def generation(self):
        return self._built[0]

    def current(self):
        generation = request_generation()
        built, value = self._built
        if value is not None and built == generation:
            return value
        if value is not None and self._may_serve_stale(built, generation):
            self._start_rebuild(generation)
            _served_stale.set(True)
            return value
        with self._lock:
            built, value = self._built
            if value is None or built != generation:
                value = self.build(generation)
                self._built = (generation, value)
        return value

    def _may_serve_stale(self, built: int, generation: int) -> bool:
        return (
            self.background
            and not connection.in_atomic_block
            and built is not None
            and 0 < generation - built <= self.largest_step
        )

    def _start_rebuild(self, generation: int) -> None:
        with self._lock:
            if self._rebuild is not None:
                return  # one at a time: the next request after it ends starts another if still behind
            if self._failed_at is not None and time.monotonic() - self._failed_at < self.retry_after:
                return
            self._rebuild = threading.Thread(
                target=self._build_in_background, args=(generation,), name="rebuild-per-generation", daemon=True
            )
            self._rebuild.start()

    def _build_in_background(self, generation: int) -> None:
        try:
            value = self.build(generation)
        except Exception:
            logger.exception("Building for content generation %s failed; the previous value keeps serving", generation)
            with self._lock:
                self._failed_at = time.monotonic()
        else:
            with self._lock:
                self._built, self._failed_at = (generation, value), None
        finally:
            connection.close()  # this thread's own connection
            with self._lock:
                self._rebuild = None

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a rebuild running in the background, if any, to end."""
        thread = self._rebuild
        if thread is not None:
            thread.join(timeout)

    def clear(self) -> None:
        """Forget what was built (a test's database is new)."""
        self.wait()
        self._built, self._failed_at = (None, None), None


def served_stale() -> bool:
    """Whether a value built for an older content generation was used since the last call (which clears it):
    the page rendered with it is not to be cached under the current number."""
    stale = _served_stale.get()
    if stale:
        _served_stale.set(False)
    return stale


def bump_content_generation() -> None:
    """Raise the number, atomically and inside the caller's transaction, after public content changed."""
    generation = ContentGeneration.objects.filter(pk=GENERATION_PK)
    if not generation.update(number=F("number") + 1):
        # No row yet: create it, then raise it anyway, in case a reader created it meanwhile
        # and cached a page from before this change under its number.
        ContentGeneration.objects.get_or_create(pk=GENERATION_PK, defaults={"number": _first_number()})
        generation.update(number=F("number") + 1)


def page_key(request, generation: int) -> str:
    # Hashed: a query string can be long and hold anything; cache keys must be short and plain.
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"page:{generation}:{address}"


def _cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not len(get_messages(request))  # len() reads pending messages without using them up
    )


def _cacheable_response(request, response) -> bool:
    stale = served_stale()  # read (and cleared) whatever else decides
    cache_control = response.get("Cache-Control", "")
    return (
        not stale
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(getattr(request, "session", None), "modified", False)  # the visitor's session changed
        and not len(get_messages(request))  # the view added one
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page holds a CSRF token
        and not getattr(request, "_csp_nonce", None)  # the page holds this response's CSP nonce
        and not any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES)
        and get_max_age(response) != 0
    )


# How long a browser or a shared cache may reuse a public page without asking: an edit shows within it.
PUBLIC_MAX_AGE = 60


@memoize
def release() -> str:
    """What the code that renders pages looks like: a digest of the templates and Python files, so a
    deployment that changes a page's markup changes its ETag though the content generation did not move."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for path in sorted([*(base / "gard").rglob("*.py"), *(base / "templates").rglob("*.html")]):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def page_etag(request, generation: int) -> str:
    """Weak: the same for the page whether it is sent compressed or not (GZipMiddleware keeps weak ETags)."""
    variant = f"{release()}:{generation}:{request.build_absolute_uri()}"
    return f'W/"{hashlib.sha256(variant.encode()).hexdigest()[:32]}"'


def _names_etag(request, etag: str) -> bool:
    # Weak comparison, as If-None-Match asks. "*" is not taken: whether the page exists is not known unrendered.
    asked = parse_etags(request.headers.get("If-None-Match", ""))
    return etag.removeprefix("W/") in (tag.removeprefix("W/") for tag in asked)


def _public(response, etag: str):
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


def _not_modified(etag: str):
    response = _public(HttpResponseNotModified(), etag)
    patch_vary_headers(response, ("Accept-Encoding",))  # as the page itself (GZipMiddleware) would
    return response


def _private(response):
    if not response.has_header("Cache-Control"):
        add_never_cache_headers(response)
    return response


class NeverCacheByDefaultMiddleware:
    """A response that states no cache policy is sent ``private, no-store``: the error pages (404, 414, 429,
    500, 503) and any view outside ``cache_public_page``. Static files carry WhiteNoise's own policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return _private(self.get_response(request))


def cache_public_page(view):
    """Serve a public page from the cache while public content has not changed since it was stored."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if not _cacheable_request(request):
            return _private(view(request, *args, **kwargs))
        generation, current = page_generation()
        etag = page_etag(request, generation)
        if _names_etag(request, etag):
            return _not_modified(etag)
        key = page_key(request, generation)
        response = cache.get(key)
        if response is None:
            # A number that may be behind is not handed on: what the view builds is built for the database's.
            token = _request_generation.set(generation if current else None)
            try:
                response = view(request, *args, **kwargs)
            finally:
                _request_generation.reset(token)
            if not (_cacheable_response(request, response) and current):
                return _private(response)
            max_age = get_max_age(response)
            cache.set(key, response, DEFAULT_TIMEOUT if max_age is None else max_age)
        return _public(response, etag)

    return cached_view
