"""The first symptom-finder request after an edit: with the index rebuilt in the request, and in the background.

Reads a full catalogue (SQLITE_PATH, or DATABASE_URL); each round raises the content generation, as an
editor's save does, then times one finder page (page cache bypassed: a new address each time) in-process.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gard.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from gard.cache import bump_content_generation  # noqa: E402
from gard.finder.index import INDEX  # noqa: E402

TERMS = ["HP:0001250", "HP:0001263", "HP:0000252", "HP:0001249", "HP:0004322"]
ROUNDS = 5


def first_request_after_an_edit(client, round_number: int) -> float:
    bump_content_generation()
    started = time.perf_counter()
    response = client.get("/finder/", {"term": TERMS, "page": str(round_number + 1)})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return elapsed


def main():
    client = Client()
    started = time.perf_counter()
    client.get("/finder/", {"term": TERMS})
    print(f"first request of the process (builds the index): {time.perf_counter() - started:.2f} s")
    for background in (False, True):
        INDEX.background = background
        times, swaps = [], []
        for round_number in range(ROUNDS):
            times.append(first_request_after_an_edit(client, round_number))
            started = time.perf_counter()
            INDEX.wait()
            swaps.append(time.perf_counter() - started + times[-1])
        label = "in the background" if background else "in the request"
        print(
            f"rebuilt {label}: first request after an edit median {statistics.median(times) * 1000:.0f} ms "
            f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}); new index in place after "
            f"median {statistics.median(swaps):.2f} s"
        )


if __name__ == "__main__":
    main()
