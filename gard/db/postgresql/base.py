"""PostgreSQL with the time limits of ``gard.db``."""

from contextlib import nullcontext

from django.conf import settings
from django.db import OperationalError
from django.db.backends.postgresql import base

from gard import db


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(self._execute_within_time_limit)

    def get_connection_params(self):
        params = super().get_connection_params()
        if db.serving():
            # Set when the connection opens, so it costs no round trip of its own.
            limit = f"-c statement_timeout={int(db.query_time_limit() * 1000)}"
            params["options"] = f"{params['options']} {limit}" if params.get("options") else limit
        return params

    def _within_time_limit(self, always: bool = False, seconds: float | None = None):
        """The server gets one second more than its own statement timeout to answer at all."""
        if self.connection is None or self.connection.closed or not (always or db.serving()):
            return nullcontext()  # a connection already lost has no socket to watch: the call itself fails
        return db.watchdog(self.connection.pgconn.socket, seconds or db.query_time_limit() + 1)

    def _execute_within_time_limit(self, execute, sql, params, many, context):
        with self._within_time_limit():
            return execute(sql, params, many, context)

    def is_usable(self):
        # Run before the first query of each request on a kept connection: bounded even outside one, and
        # as a new connection would be (a "SELECT 1" takes no time on a server that answers).
        limit = min(settings.DATABASE_CONNECT_TIMEOUT, db.query_time_limit() + 1)
        with self._within_time_limit(always=True, seconds=limit) as watchdog:
            usable = super().is_usable()
        self._health_check_unanswered = not usable and bool(watchdog and watchdog["cut"])
        return usable

    def close_if_health_check_failed(self):
        # A server that did not answer the check would most likely not answer a new connection either:
        # fail now rather than wait for the connection to time out too.
        self._health_check_unanswered = False
        super().close_if_health_check_failed()
        if self._health_check_unanswered:
            raise OperationalError("The database did not answer a health check")

    def _commit(self):
        with self._within_time_limit():
            return super()._commit()

    def _rollback(self):
        with self._within_time_limit():
            return super()._rollback()
