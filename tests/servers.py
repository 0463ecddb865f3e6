"""Running the site for real in tests: manage.py commands, gunicorn on a free loopback port, Debian's Chromium."""

import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

from django.conf import settings

# Debian's Chromium, driven through Playwright (its own browser download is not used).
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


def manage(env, *command):
    """Run a manage.py command in a subprocess with this environment; fail the test if it fails."""
    subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *command],
        env=env,
        check=True,
        capture_output=True,
        cwd=settings.BASE_DIR,
    )


@contextmanager
def gunicorn(env, ready_path="/healthz/"):
    """gunicorn serving the site with this environment; yields its base URL once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "gard.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
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
