"""The steps of a long command as they happen: a bar on a terminal, a line each (with the seconds since the
start) when the output goes to a log or a pipe, so `make run` under a log is never silent for minutes."""

import sys
import time
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def step_progress(command, total: int, verbosity: int, started: float | None = None):
    """Yields ``progress(label)``, to call as each step starts."""
    started = time.monotonic() if started is None else started
    interactive = verbosity > 0 and sys.stdout.isatty()
    with tqdm(total=total, disable=not interactive, unit="step", leave=False) as bar:

        def progress(label: str) -> None:
            bar.update(1)
            bar.set_description(label)
            if verbosity > 0 and not interactive:
                command.stdout.write(f"  {label} ({time.monotonic() - started:.0f} s)")
                command.stdout.flush()

        yield progress
