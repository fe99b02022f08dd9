"""Unit-of-work semantics: commit, rollback, isolation and serialisation of writers."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
from contract_samples import Backend, Factory, decision, stored_event
from sqlalchemy.exc import StatementError

from garrison.domain.ids import DecisionId, EventId
from garrison.services.unit_of_work import DuplicateKey


def _has_event(factory: Factory, event_id: str) -> bool:
    with factory() as uow:
        return uow.events.get(EventId(event_id)) is not None


def test_leaving_without_commit_rolls_back(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.events.add(stored_event("evt_1"))
        uow.counters.increment(["k"], 1)
        assert uow.events.get(EventId("evt_1")) is not None
    with uow_factory() as uow:
        assert uow.events.get(EventId("evt_1")) is None
        assert uow.counters.sums([("k", 1, 1)]) == [0]


def test_an_error_inside_the_block_rolls_back(uow_factory: Factory) -> None:
    def add_then_fail() -> None:
        with uow_factory() as uow:
            uow.events.add(stored_event("evt_1"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        add_then_fail()
    assert not _has_event(uow_factory, "evt_1")


def test_work_after_commit_needs_another_commit(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.events.add(stored_event("evt_1"))
        uow.commit()
        uow.events.add(stored_event("evt_2"))
        assert uow.events.get(EventId("evt_1")) is not None
    assert _has_event(uow_factory, "evt_1")
    assert not _has_event(uow_factory, "evt_2")


def test_a_duplicate_leaves_the_unit_usable(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.events.add(stored_event("evt_1"))
        uow.commit()
    with uow_factory() as uow:
        uow.decisions.add(decision("dec_1"))
        with pytest.raises(DuplicateKey):
            uow.events.add(stored_event("evt_1"))
        uow.events.add(stored_event("evt_2"))
        uow.commit()
    with uow_factory() as uow:
        assert uow.decisions.get(DecisionId("dec_1")) is not None
        assert uow.events.get(EventId("evt_2")) is not None


def test_a_duplicate_then_exit_leaves_nothing(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.events.add(stored_event("evt_1"))
        uow.commit()

    def add_then_collide() -> None:
        with uow_factory() as uow:
            uow.events.add(stored_event("evt_2"))
            uow.events.add(stored_event("evt_1"))

    with pytest.raises(DuplicateKey):
        add_then_collide()
    assert not _has_event(uow_factory, "evt_2")
    with uow_factory() as uow:
        uow.events.add(stored_event("evt_3"))
        uow.commit()
    assert _has_event(uow_factory, "evt_3")


def test_uncommitted_work_is_invisible_to_other_units(backend: Backend) -> None:
    pool = ThreadPoolExecutor(1)
    with backend.factory() as writer:
        writer.events.add(stored_event("evt_1"))
        seen = pool.submit(_has_event, backend.factory, "evt_1")
        if backend.name == "postgres":
            assert seen.result(timeout=10) is False  # readers do not wait for writers
        else:
            time.sleep(0.2)
    assert seen.result(timeout=15) is False
    pool.shutdown()


def test_committed_work_is_visible_to_the_next_unit(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.events.add(stored_event("evt_1"))
        uow.commit()
        assert _has_event(uow_factory, "evt_1")


def test_memory_and_sqlite_run_one_unit_at_a_time(backend: Backend) -> None:
    if backend.name == "postgres":
        pytest.skip("PostgreSQL units run concurrently (see the SKIP LOCKED test)")

    def count_after_increment() -> int:
        with backend.factory() as uow:
            uow.counters.increment(["k"], 1)
            found = uow.counters.sums([("k", 1, 1)])[0]
            uow.commit()
            return found

    pool = ThreadPoolExecutor(1)
    with backend.factory() as first:
        first.counters.increment(["k"], 1)
        later = pool.submit(count_after_increment)
        time.sleep(0.3)
        assert not later.done()
        first.commit()
    assert later.result(timeout=15) == 2
    pool.shutdown()


def test_sql_refuses_naive_datetimes(backend: Backend) -> None:
    if not backend.is_sql:
        pytest.skip("the memory store keeps whatever it is given")
    naive = stored_event("evt_naive", when=datetime(2026, 1, 1))
    with backend.factory() as uow, pytest.raises(StatementError, match="naive datetime"):
        uow.events.add(naive)
