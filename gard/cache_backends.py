"""Django's cache backends, failing open: a cache that cannot be reached is a cache that misses.

Everything the site keeps in the cache can be done without it (the page cache renders the page, the
rate limits let the request through, the last known content generation is kept in memory too), so a
cache error never fails a request. A failed operation returns what a miss or a refused write would
(``get`` its default, ``add`` False, ``incr`` a ``ValueError`` as for a missing key); the error is
logged (``gard.failures``: one line a minute per operation); and for ``RETRY_AFTER`` seconds the
cache is not asked at all, so a frozen server costs one request ``REDIS_TIMEOUT``, not every request.
``check()`` asks the cache regardless and raises, for the readiness check.
"""

import logging
import uuid

import redis
from django.core.cache.backends import locmem
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT

from gard.failures import Outage

logger = logging.getLogger("gard.cache")
# One per process: the site has one cache.
outage = Outage("Cache", logger)
CONSEQUENCE = "pages are rendered without it"


class FailOpen:
    """Put before a backend class: its operations fail open on the errors in ``errors``."""

    # A server that cannot be reached or answered with an error; not a value that cannot be stored.
    errors: tuple[type[BaseException], ...] = (OSError,)

    def _fail_open(self, operation: str, call, fallback):
        if outage.down():
            return fallback
        try:
            result = call()
        except self.errors as error:
            outage.failed(operation, error, CONSEQUENCE)
            return fallback
        outage.answered()
        return result

    def get(self, key, default=None, version=None):
        cache = super()
        return self._fail_open("get", lambda: cache.get(key, default, version), default)

    def get_many(self, keys, version=None):
        cache = super()
        return self._fail_open("get_many", lambda: cache.get_many(keys, version), {})

    def has_key(self, key, version=None):
        cache = super()
        return self._fail_open("has_key", lambda: cache.has_key(key, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        cache = super()
        return self._fail_open("set", lambda: cache.set(key, value, timeout, version), None)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        cache = super()
        return self._fail_open("add", lambda: cache.add(key, value, timeout, version), False)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        cache = super()
        return self._fail_open("set_many", lambda: cache.set_many(data, timeout, version), list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        cache = super()
        return self._fail_open("touch", lambda: cache.touch(key, timeout, version), False)

    def delete(self, key, version=None):
        cache = super()
        return self._fail_open("delete", lambda: cache.delete(key, version), False)

    def delete_many(self, keys, version=None):
        cache = super()
        return self._fail_open("delete_many", lambda: cache.delete_many(keys, version), None)

    def clear(self):
        cache = super()
        return self._fail_open("clear", lambda: cache.clear(), None)

    def incr(self, key, delta=1, version=None):  # decr calls it too
        cache = super()
        missing = object()
        value = self._fail_open("incr", lambda: cache.incr(key, delta, version), missing)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the cache cannot be reached)")
        return value

    def check(self) -> None:
        """Write a key and read it back, whatever happened lately; raise what the cache raised."""
        key, value = f"readiness:{uuid.uuid4().hex}", uuid.uuid4().hex
        super().set(key, value, 10)
        if super().get(key) != value:
            raise OSError("the cache did not return what was written to it")
        super().delete(key)
        outage.answered()


class RedisCache(FailOpen, django_redis.RedisCache):
    errors = (OSError, redis.RedisError)


class LocMemCache(FailOpen, locmem.LocMemCache):
    pass
