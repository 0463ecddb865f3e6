"""The site as `make run` serves it, for the benchmarks, the audit and the tests that run it for real: gunicorn
with gunicorn.conf.py on a free loopback port, stopped with its workers on exit; and Debian's Chromium."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Debian's Chromium (browsers that tools download are not used), headless, with these flags.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    base: str  # http://127.0.0.1:<port>
    process: subprocess.Popen

    @property
    def running(self) -> bool:
        return self.process.poll() is None


@contextmanager
def gunicorn(env: dict, options=(), log: Path | None = None):
    """Yields the running Server once /healthz/ answers; its errors go to ``log`` (appended) when given."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "gard.wsgi"]
    command += ["--bind", f"127.0.0.1:{port}", *options]
    with open(log, "ab") if log else open(os.devnull, "wb") as errors:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(base + "/healthz/", timeout=5).close()
                    break
                except OSError:
                    if process.poll() is not None:
                        sys.exit(f"gunicorn stopped while starting{f': see {log}' if log else ''}")
                    if time.monotonic() > deadline:
                        sys.exit("gunicorn did not answer within 60 s")
                    time.sleep(0.2)
            yield Server(base, process)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
