"""Group commit: calls that overlap in time share one run; a lone call runs alone at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from service_world import World, make_event

from garrison.domain.errors import Conflict
from garrison.services.ingest import IngestResult
from garrison.services.ingest_group import GroupCommit


class Runs:
    """A `run` that records its groups; the first group waits until `release` is set."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.groups: list[list[str]] = []
        self.started = threading.Event()
        self.release = threading.Event()
        self.fail_on = fail_on

    def __call__(self, items: Sequence[str]) -> list[str]:
        self.groups.append(list(items))
        if len(self.groups) == 1:
            self.started.set()
            assert self.release.wait(10)
        if self.fail_on in items:
            raise ValueError(f"cannot run {self.fail_on}")
        return [item.upper() for item in items]


def _wait_for(queue_size: int, group: GroupCommit[str, str]) -> None:
    deadline = time.monotonic() + 10
    while len(group._queue) < queue_size:  # the calls are queued behind the first
        assert time.monotonic() < deadline
        time.sleep(0.005)


def test_a_lone_call_runs_alone_and_later_calls_share_the_next_run() -> None:
    runs = Runs()
    group = GroupCommit(runs, max_batch=3)
    pool = ThreadPoolExecutor(6)
    first = pool.submit(group.submit, "a")
    assert runs.started.wait(10)
    later = []
    for item in "bcde":
        later.append(pool.submit(group.submit, item))
        _wait_for(len(later), group)
    runs.release.set()
    assert first.result(10) == "A"
    assert [f.result(10) for f in later] == ["B", "C", "D", "E"]
    pool.shutdown()
    assert runs.groups == [["a"], ["b", "c", "d"], ["e"]]
    assert group.submit("f") == "F" and runs.groups[-1] == ["f"]


def test_a_failure_reaches_every_call_of_its_group_and_no_other() -> None:
    runs = Runs(fail_on="c")
    group = GroupCommit(runs, max_batch=2)
    pool = ThreadPoolExecutor(4)
    first = pool.submit(group.submit, "a")
    assert runs.started.wait(10)
    later = []
    for item in "bcd":
        later.append(pool.submit(group.submit, item))
        _wait_for(len(later), group)
    runs.release.set()
    assert first.result(10) == "A"
    outcomes: list[Any] = []
    for future in later:
        try:
            outcomes.append(future.result(10))
        except ValueError as error:
            outcomes.append(str(error))
    pool.shutdown()
    assert runs.groups == [["a"], ["b", "c"], ["d"]]
    assert outcomes == ["cannot run c", "cannot run c", "D"]


def test_concurrent_ingest_calls_share_units_and_keep_their_own_outcomes(world: World) -> None:
    opened: list[int] = []
    make, gate = world.store.uow, threading.Event()

    def slow_first_unit() -> Any:
        opened.append(1)
        if len(opened) == 1:
            assert gate.wait(10)
        return make()

    world.ingest._uow = slow_first_unit  # type: ignore[method-assign]
    events = [make_event(n) for n in range(1, 6)] + [make_event(3, amount_usd=9.0)]
    pool = ThreadPoolExecutor(len(events))
    first = pool.submit(world.ingest.process, events[0])
    _wait_until(lambda: len(opened) == 1)
    rest = []
    for event in events[1:]:  # one at a time, so they queue in this order
        rest.append(pool.submit(world.ingest.process, event))
        _wait_until(lambda: len(world.ingest._group._queue) == len(rest))
    gate.set()
    assert isinstance(first.result(10), IngestResult)
    outcomes = [_outcome(future) for future in rest]
    pool.shutdown()
    assert len(opened) == 2  # the first alone, then everything that queued behind it
    assert [type(o).__name__ for o in outcomes] == ["IngestResult"] * 4 + ["Conflict"]
    assert sorted(o.decision.event_id for o in outcomes if isinstance(o, IngestResult)) == [
        f"evt_{n}" for n in range(2, 6)
    ]
    with world.store.uow() as uow:
        assert len(uow.state.decisions) == 5


def _wait_until(condition: Any) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.005)


def _outcome(future: Any) -> IngestResult | Conflict:
    try:
        result: IngestResult = future.result(10)
        return result
    except Conflict as conflict:
        return conflict


@pytest.mark.parametrize("calls", [1, 3])
def test_one_call_at_a_time_never_waits(world: World, calls: int) -> None:
    for n in range(calls):
        assert not world.ingest.process(make_event(n)).replayed
    assert not world.ingest._group._busy
