"""After an edit the finder's index is rebuilt in a thread while the previous one keeps answering.

``gard.cache.PerGeneration`` with ``background=True``: the first request builds in the request; later, a
moved content generation starts one rebuild in a thread of the process and the old value serves until the
new one replaces it. Threads see only committed rows, so these tests commit (``transactional_db``), and
hold a rebuild with an event where they need to see the old value serving.
"""

import logging
import threading

import pytest
from django.db import connections
from django.db.models import F

import gard.finder.index
import gard.search.spelling
from gard.cache import PerGeneration, bump_content_generation, content_generation, served_stale
from gard.finder.statistics import store_term_statistics
from gard.models import Annotation, ContentGeneration, Disease, Frequency, Phenotype
from tests.factories import make_annotation, make_term

WAIT = 30  # seconds a test waits for a thread before giving up (they take milliseconds)


class Builds:
    """A build function that records the generations it was asked for; ``hold()`` keeps a build from
    returning until ``release()``, ``fail`` makes it raise."""

    def __init__(self):
        self.calls = []
        self.threads = []
        self.started = threading.Event()
        self._released = threading.Event()
        self._released.set()
        self.fail = False

    def hold(self):
        self._released.clear()

    def release(self):
        self._released.set()

    def __call__(self, generation):
        self.calls.append(generation)
        self.threads.append(threading.current_thread())
        self.started.set()
        assert self._released.wait(WAIT)
        if self.fail:
            raise RuntimeError("the database went away")
        return f"built for {generation}"


@pytest.fixture
def builds():
    return Builds()


@pytest.fixture
def values(builds):
    values = PerGeneration(builds, background=True)
    yield values
    builds.release()
    values.clear()


@pytest.mark.django_db(transaction=True)
def test_the_first_request_builds_the_value_in_the_request(values, builds):
    generation = content_generation()
    assert values.current() == f"built for {generation}"
    assert builds.threads == [threading.current_thread()]
    assert not served_stale()


@pytest.mark.django_db(transaction=True)
def test_after_an_edit_the_old_value_serves_while_one_thread_builds_the_new_one(values, builds):
    first = content_generation()
    values.current()
    bump_content_generation()
    builds.hold()

    assert values.current() == f"built for {first}"  # at once: the request does not wait
    assert served_stale()  # so the page rendered with it is not cached
    assert builds.started.wait(WAIT)
    assert values.current() == values.current() == f"built for {first}"  # still building: no second thread
    assert builds.calls == [first, first + 1]
    assert builds.threads[1] is not threading.current_thread()

    builds.release()
    values.wait(WAIT)
    served_stale()
    assert values.current() == f"built for {first + 1}"
    assert not served_stale()
    assert len(builds.calls) == 2


@pytest.mark.django_db(transaction=True)
def test_a_failed_rebuild_is_logged_keeps_the_old_value_and_is_tried_again_later(values, builds, caplog):
    first = content_generation()
    values.current()
    bump_content_generation()
    builds.fail = True
    with caplog.at_level(logging.ERROR, logger="gard.cache"):
        assert values.current() == f"built for {first}"
        values.wait(WAIT)
    assert "the previous value keeps serving" in caplog.text and "the database went away" in caplog.text

    assert values.current() == f"built for {first}"
    values.wait(WAIT)
    assert len(builds.calls) == 2  # not again before retry_after has passed

    values.retry_after = 0
    builds.fail = False
    assert values.current() == f"built for {first}"
    values.wait(WAIT)
    assert values.current() == f"built for {first + 1}"
    assert len(builds.calls) == 3


@pytest.mark.django_db(transaction=True)
def test_the_rebuild_thread_closes_its_database_connection(values):
    closed = []

    def build(generation):
        connection = connections["default"]  # the thread's own
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        close = connection.close  # SQLite in memory, as in tests, ignores close(): record the call instead
        connection.close = lambda: closed.append(connection) or close()
        return generation

    values.build = build
    values.current()
    bump_content_generation()
    values.current()
    values.wait(WAIT)
    assert len(closed) == 1 and closed[0] is not connections["default"]


@pytest.mark.django_db
def test_inside_a_transaction_the_new_value_is_built_in_the_request(values, builds):
    # A thread would not see the caller's uncommitted rows.
    first = content_generation()
    values.current()
    bump_content_generation()
    assert values.current() == f"built for {first + 1}"
    assert set(builds.threads) == {threading.current_thread()}


@pytest.mark.parametrize("step", [5 * PerGeneration.largest_step, -5], ids=["made afresh", "an earlier copy"])
@pytest.mark.django_db(transaction=True)
def test_a_generation_that_jumped_is_built_in_the_request(values, builds, step):
    # A flush or a restore makes the row afresh, numbered from the time; a database copied back has an
    # older number. Either way the old value may name rows that are gone.
    values.current()
    ContentGeneration.objects.update(number=F("number") + step)
    assert values.current() == f"built for {content_generation()}"
    assert set(builds.threads) == {threading.current_thread()}


def test_the_finder_rebuilds_in_the_background_and_search_in_the_request():
    # Search's vocabulary corrects the words a page just gained; it loads in about 40 ms on the full catalogue.
    assert gard.finder.index.INDEX.background
    assert not gard.search.spelling.VOCABULARY.background


@pytest.fixture
def fresh_index():
    gard.finder.index.INDEX.clear()
    yield gard.finder.index.INDEX
    gard.finder.index.INDEX.clear()


def finish():
    """What the import does at its end: the finder's statistics, then a new content generation."""
    store_term_statistics(Phenotype, Annotation)
    bump_content_generation()


def result_names(client, term) -> list[str]:
    response = client.get("/finder/", {"term": term})
    assert response.status_code == 200
    return [name for name in ("Alpha syndrome", "Beta syndrome") if name in response.content.decode()]


@pytest.mark.django_db(transaction=True)
def test_an_edit_reaches_the_finder_when_the_rebuilt_index_replaces_the_old_one(client, fresh_index, monkeypatch):
    root = make_term("HP:0000118", "Phenotypic abnormality")
    seizure = make_term("HP:0001250", "Seizure", parents=[root])
    delay = make_term("HP:0001263", "Global developmental delay", parents=[root])
    for number in range(4):  # other diseases, so that a seizure says something
        make_annotation(Disease.objects.create(name=f"Filler disease {number}"), delay, imported=False)
    make_annotation(Disease.objects.create(name="Alpha syndrome"), seizure, Frequency.FREQUENT, imported=False)
    finish()
    assert result_names(client, "HP:0001250") == ["Alpha syndrome"]

    make_annotation(Disease.objects.create(name="Beta syndrome"), seizure, Frequency.OBLIGATE, imported=False)
    finish()
    released, build = threading.Event(), fresh_index.build
    monkeypatch.setattr(fresh_index, "build", lambda generation: released.wait(WAIT) and build(generation))
    assert result_names(client, "HP:0001250") == ["Alpha syndrome"]  # the previous index, at once

    released.set()
    fresh_index.wait(WAIT)
    # The page answered from the previous index was not cached under the new number.
    assert result_names(client, "HP:0001250") == ["Alpha syndrome", "Beta syndrome"]
