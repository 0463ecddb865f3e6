"""gunicorn settings for the site: `gunicorn -c gunicorn.conf.py gard.wsgi` (what `make run` does).

PORT (default 8000) is the port on 127.0.0.1: the app server sits behind a reverse proxy
on the same machine. To listen elsewhere, add --bind on the command line (or in
GUNICORN_CMD_ARGS), which overrides this file. WEB_CONCURRENCY (default 2) is the number of
worker processes, WEB_THREADS (default 4) the threads answering requests in each; each thread holds
one database connection for up to CONN_MAX_AGE.
"""

import os


def _positive_int(name: str, default: str, highest: int) -> int:
    value = os.environ.get(name, default)
    if not value.isdigit() or not 1 <= int(value) <= highest:
        raise RuntimeError(f"{name} must be a whole number from 1 to {highest}, not {value!r}")
    return int(value)


bind = [f"127.0.0.1:{_positive_int('PORT', '8000', 65535)}"]
workers = _positive_int("WEB_CONCURRENCY", "2", 64)
# Threads, so a page answered from the cache is not queued behind a search being rendered in the same
# worker (bench/hostile_load.py: a cached page under a hostile mix, 7-10x its quiet median with
# single-threaded workers, 1.7-2.7x with 4 threads).
worker_class = "gthread"
threads = _positive_int("WEB_THREADS", "4", 64)
# The workers' heartbeat files in memory, not on a disk that may stall (as in containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# A request that takes longer than this has gone wrong: the worker is killed and replaced.
timeout = 30
# On restart or shutdown, requests under way get this long to finish.
graceful_timeout = 30
# Keep-alive from the proxy in front; short, as an idle kept-alive connection holds a thread's place.
keepalive = 5
# MAX_REQUESTS replaces a worker after that many requests (jittered by a tenth), bounding slow
# growth in memory. Practically never by default: a replaced worker starts with an empty
# local-memory cache and a cold database connection, and no growth has been seen.
max_requests = _positive_int("MAX_REQUESTS", "1000000000", 1000000000)
max_requests_jitter = max_requests // 10

# The longest request line gunicorn takes (its most): an address up to this long reaches the site, which answers
# one over its own limit (gard/uri_length.py, 4,096 characters) with its 414 page rather than gunicorn's bare one.
limit_request_line = 8190

# No control socket: its default path is one per user, which two servers on a machine would share.
control_socket_disable = True

# Access log and errors to standard output and error, for the process manager to collect.
accesslog = "-"
errorlog = "-"
loglevel = "info"
