"""EventLog.by_time: the event log in replay order, a page at a time (for backtests)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from contract_samples import T0, Factory, stored_event

from garrison.services.unit_of_work import StoredEvent


def _store(uow_factory: Factory, stored: list[StoredEvent]) -> None:
    with uow_factory() as uow:
        for item in stored:
            uow.events.add(item)
        uow.commit()


def _ids(page: list[StoredEvent]) -> list[str]:
    return [s.event.id for s in page]


def test_by_time_orders_by_occurred_then_received_then_id(uow_factory: Factory) -> None:
    late, early = T0 + timedelta(minutes=5), T0 + timedelta(minutes=1)
    tie = stored_event("evt_b", when=early)
    _store(
        uow_factory,
        [
            stored_event("evt_late", when=late),
            replace(stored_event("evt_c", when=early), received_at=T0 + timedelta(hours=1)),
            tie,
            stored_event("evt_a", when=early),
            stored_event("evt_before", when=T0 - timedelta(days=1)),
        ],
    )
    with uow_factory() as uow:
        page = uow.events.by_time(T0, None, None, 10)
    assert _ids(page) == ["evt_a", "evt_b", "evt_c", "evt_late"]
    assert page[1] == tie


def test_by_time_pages_after_the_last_event_seen(uow_factory: Factory) -> None:
    stored = [stored_event(f"evt_{n}", when=T0 + timedelta(seconds=n // 2)) for n in range(7)]
    _store(uow_factory, stored)
    seen: list[str] = []
    after = None
    with uow_factory() as uow:
        while True:
            page = uow.events.by_time(T0, None, after, 3)
            seen += _ids(page)
            if len(page) < 3:
                break
            after = page[-1]
    assert seen == [f"evt_{n}" for n in range(7)]


def test_by_time_stops_before_the_end(uow_factory: Factory) -> None:
    _store(uow_factory, [stored_event(f"evt_{n}", when=T0 + timedelta(hours=n)) for n in range(4)])
    with uow_factory() as uow:
        page = uow.events.by_time(T0 + timedelta(hours=1), T0 + timedelta(hours=3), None, 10)
    assert _ids(page) == ["evt_1", "evt_2"]
