"""Time limits on the database while a request is being answered, so a sick database server costs a
visitor a few seconds, never the app server's whole worker timeout.

Two database engines, the built-in ones with these limits added (``DATABASES["default"]["ENGINE"]``
names them; README, "When a dependency fails"):

- ``gard.db.postgresql``: the server cancels a statement after ``DATABASE_QUERY_TIMEOUT`` seconds
  (``statement_timeout``, set on connections opened to answer a request); and a watchdog bounds a server
  that stopped answering altogether (a stopped process, a network path that drops everything, where
  the connection stays open and nothing comes back): when a query, commit or health check has waited
  one second longer than that, it shuts the connection's socket, and the waiting call fails with an
  ``OperationalError`` at once. Opening a connection is bounded by libpq's ``connect_timeout``.
- ``gard.db.sqlite3``: a query that runs longer than ``DATABASE_QUERY_TIMEOUT`` is interrupted
  (``OperationalError: interrupted``), checked by a progress handler; waiting for a lock is bounded by
  the busy timeout (``OPTIONS["timeout"]``).

Management commands (imports, migrations, backups) run long statements on purpose: the limits apply
only while a request is being answered (between Django's ``request_started`` and ``request_finished``
signals), and the PostgreSQL health check is always bounded.
"""

import logging
import os
import socket
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import OperationalError

from gard.failures import Outage

# The database's failures as the site sees them: the content generation read (gard/cache.py) and the
# requests answered with the "unavailable" page (gard/health.py).
outage = Outage("Database", logging.getLogger("gard.db"))
# A shorter limit for a block of code (the readiness check), in seconds.
_limit: ContextVar[float | None] = ContextVar("database_time_limit", default=None)
_serving = threading.local()


def _start_serving(**kwargs):
    _serving.active = True


def _stop_serving(**kwargs):
    _serving.active = False


request_started.connect(_start_serving, dispatch_uid="gard.db.start_serving")
request_finished.connect(_stop_serving, dispatch_uid="gard.db.stop_serving")


def serving() -> bool:
    """Whether this thread is answering a request (or running under ``time_limit``)."""
    return getattr(_serving, "active", False) or _limit.get() is not None


def query_time_limit() -> float:
    """The seconds a query may take here: ``DATABASE_QUERY_TIMEOUT``, or the one ``time_limit`` set."""
    limit = _limit.get()
    return settings.DATABASE_QUERY_TIMEOUT if limit is None else limit


@contextmanager
def time_limit(seconds: float):
    """Bound every query of this block to ``seconds``, inside a request or not."""
    token = _limit.set(seconds)
    try:
        yield
    finally:
        _limit.reset(token)


class Watchdog:
    """One thread per process that shuts down the socket of a call still waiting past its deadline.

    Arming costs a dictionary entry (a thread per query would cost more than a cached page); the thread
    looks every ``tick`` seconds while calls are armed, and ends after a quiet ``idle`` seconds.
    """

    tick = 0.1
    idle = 10.0

    def __init__(self):
        self._lock = threading.Lock()
        self._armed: dict[int, dict] = {}
        self._thread: threading.Thread | None = None
        self._last_armed = 0.0

    def arm(self, fileno: int, seconds: float) -> dict:
        watch = {"deadline": time.monotonic() + seconds, "fileno": fileno, "cut": False}
        with self._lock:
            self._armed[id(watch)] = watch
            self._last_armed = watch["deadline"] - seconds
            if self._thread is None or not self._thread.is_alive():  # none yet, or this is a forked worker
                self._thread = threading.Thread(target=self._run, name="database-watchdog", daemon=True)
                self._thread.start()
        return watch

    def disarm(self, watch: dict) -> None:
        with self._lock:
            self._armed.pop(id(watch), None)

    def _run(self):
        while True:
            time.sleep(self.tick)
            now = time.monotonic()
            with self._lock:  # held while cutting, so the call cannot finish and its descriptor close meanwhile
                for key, watch in list(self._armed.items()):
                    if watch["deadline"] <= now:
                        del self._armed[key]
                        watch["cut"] = True
                        _shut_down(watch["fileno"])
                if not self._armed and now - self._last_armed > self.idle:
                    self._thread = None
                    return


def _shut_down(fileno: int) -> None:
    # A duplicate of the descriptor: shutting it down shuts the connection's socket down too (one socket,
    # two descriptors), and closing it leaves the connection's own open.
    try:
        sock = socket.socket(fileno=os.dup(fileno))
    except OSError:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.close()


_watchdog = Watchdog()


@contextmanager
def watchdog(fileno: int, seconds: float):
    """Shut this socket down if the block is still running after ``seconds`` (to a tenth of a second):
    a call waiting on it (a query to a server that stopped answering) then fails at once. Raises
    ``OperationalError`` saying so in place of the error the waiting call got. Yields a dict whose "cut"
    says whether it did (for a block that catches the error itself)."""
    watch = _watchdog.arm(fileno, seconds)
    try:
        yield watch
    except Exception as error:
        if watch["cut"]:
            raise OperationalError(f"The database did not answer within {seconds:g} s") from error
        raise
    finally:
        _watchdog.disarm(watch)


class QueryClock:
    """When the statement now running started, for SQLite's progress handler."""

    def __init__(self):
        self.started = None

    def __call__(self, execute, sql, params, many, context):
        self.started = time.monotonic() if serving() else None
        try:
            return execute(sql, params, many, context)
        finally:
            self.started = None

    def overrun(self) -> int:
        """Non-zero (SQLite stops the statement) once the statement has run longer than its limit."""
        return int(self.started is not None and time.monotonic() - self.started > query_time_limit())
