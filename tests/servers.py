"""Running the site for real in tests: manage.py commands, gunicorn on a free loopback port, Debian's Chromium."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager, suppress
from types import SimpleNamespace

from django.conf import settings

# Debian's Chromium (driven through Playwright: its own browser download is not used); a free port.
from bench.servers import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: F401 (CHROMIUM* for the browser tests)


def manage(env, *command):
    """Run a manage.py command in a subprocess with this environment; fail the test if it fails."""
    subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *command],
        env=env,
        check=True,
        capture_output=True,
        cwd=settings.BASE_DIR,
    )


def production_site(tmp_path, *, documents: bool = False) -> dict:
    """The environment of a site as deployed (DEBUG off, hashed static files collected into tmp_path), on
    its own SQLite file there, or on DATABASE_URL's database where that is set; migrated, and with the
    source documents loaded if asked."""
    env = {
        **os.environ,
        "SQLITE_PATH": str(tmp_path / "site.sqlite3"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "DEBUG": "False",
    }
    manage(env, "migrate", "--noinput")
    if documents:
        manage(env, "load_documents")
    manage(env, "collectstatic", "--noinput")
    return env


@contextmanager
def gunicorn(env, ready_path="/healthz/", log=None):
    """gunicorn serving the site with this environment; yields its base URL once it answers.

    ``log``: a file path for its standard error (its error log and the site's), discarded otherwise."""
    port = free_port()
    stderr = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "gard.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + ready_path, timeout=5).close()
                break
            except OSError:
                assert server.poll() is None, "gunicorn stopped"
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        if log:
            stderr.close()


def start_redis(port: int) -> subprocess.Popen:
    """A Redis server on this loopback port, nothing saved, once it accepts connections."""
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                stop_redis(server)
                raise AssertionError("redis-server did not start") from None
            time.sleep(0.05)


def stop_redis(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGCONT)  # a frozen one must run to stop
    server.kill()
    server.wait(timeout=10)


@contextmanager
def redis_server():
    """A Redis of the test's own on a free loopback port; yields a namespace with its port and its Popen
    (``server``: to stop or freeze with signals, or replace with a new ``start_redis(port)``, stopped at the end)."""
    port = free_port()
    redis = SimpleNamespace(port=port, server=start_redis(port))
    try:
        yield redis
    finally:
        stop_redis(redis.server)


class Relay:
    """A TCP relay on a free loopback port to a server (PostgreSQL), in threads of this process.

    ``cut()`` closes every connection through it and refuses new ones, as a server that went away;
    ``freeze()`` stops passing bytes either way and accepts connections without passing them on, with
    every socket left open, as a server that stopped answering; ``restore()`` passes bytes again
    (connections frozen stay frozen: a client gives up on them)."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.state = "open"
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._listener = None
        self.port = free_port()
        self._listen()

    def _listen(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed by cut() or close()
            with self._lock:
                self._sockets.append(client)
                if self.state == "frozen":
                    continue  # held open, never answered
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.append(server)
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source, sink):
        try:
            while True:
                while self.state == "frozen":
                    time.sleep(0.05)
                data = source.recv(65536)
                if not data:
                    break
                while self.state == "frozen":  # read before the freeze: held back too
                    time.sleep(0.05)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def _close_all(self):
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def cut(self):
        self.state = "cut"
        with suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread in accept(); close() alone does not
        self._listener.close()
        self._close_all()

    def freeze(self):
        self.state = "frozen"

    def restore(self):
        if self.state == "cut":
            self._listen()
        self.state = "open"

    def close(self):
        self.state = "closed"
        with suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._close_all()
