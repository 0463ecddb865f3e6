"""What the site remembers of a dependency (the cache, the database) that stopped answering.

After a failure the dependency is left alone for ``RETRY_AFTER`` seconds (the site renders without
the cache, or serves cached pages without asking the database for the content generation), so a
frozen server costs one request its timeout, not every request. Failures are logged at most once a
minute per kind, with the number left out since the last line; the first success after a failure
is logged too.
"""

import logging
import threading
import time

from django.conf import settings

# One line per kind of failure per this many seconds.
LOG_EVERY = 60.0


class Outage:
    def __init__(self, name: str, logger: logging.Logger):
        self.name = name
        self.logger = logger
        self._lock = threading.Lock()
        self._retry_at = 0.0
        self._failing = False
        self._logged_at: dict[str, float] = {}
        self._suppressed: dict[str, int] = {}

    def down(self) -> bool:
        """Whether the dependency failed less than ``RETRY_AFTER`` seconds ago: don't ask it yet."""
        return time.monotonic() < self._retry_at

    def failed(self, kind: str, error: BaseException, consequence: str) -> None:
        """Record a failure of this kind (an operation's name): log it, unless one was logged lately."""
        now = time.monotonic()
        with self._lock:
            self._retry_at = now + settings.RETRY_AFTER
            self._failing = True
            logged_at = self._logged_at.get(kind)
            if logged_at is not None and now - logged_at < LOG_EVERY:
                self._suppressed[kind] = self._suppressed.get(kind, 0) + 1
                return
            self._logged_at[kind] = now
            suppressed = self._suppressed.pop(kind, 0)
        self.logger.error(
            "%s failed (%s: %s: %s); %s; asked again in %g s%s",
            self.name,
            kind,
            type(error).__name__,
            " ".join(str(error).split()),  # one line: a database's messages run over several
            consequence,
            settings.RETRY_AFTER,
            f" ({suppressed} more like it since the last line)" if suppressed else "",
        )

    def answered(self) -> None:
        """Record a success: after a failure, say the dependency is back."""
        if not self._failing:
            return
        with self._lock:
            if not self._failing:
                return
            self._failing, self._retry_at = False, 0.0
            suppressed = sum(self._suppressed.values())
            self._logged_at.clear()
            self._suppressed.clear()
        self.logger.warning(
            "%s answers again%s",
            self.name,
            f" ({suppressed} more {'failure' if suppressed == 1 else 'failures'} since the last line)"
            if suppressed
            else "",
        )
