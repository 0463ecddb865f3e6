"""SQLite with the time limit of ``gard.db``: a statement running too long is interrupted."""

from django.db.backends.sqlite3 import base

from gard import db

# SQLite calls the handler every this many virtual-machine instructions (well under a millisecond).
PROGRESS_STEPS = 10_000


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.query_clock = db.QueryClock()
        self.execute_wrappers.append(self.query_clock)

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        connection.set_progress_handler(self.query_clock.overrun, PROGRESS_STEPS)
        return connection
