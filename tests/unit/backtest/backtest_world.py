"""Both engines on the same events: the real ingestion path and the Polars backtest."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from garrison.adapters.backtest import PolarsBacktestEngine
from garrison.adapters.enrichment import OfflineEnricher
from garrison.adapters.fakes import ManualClock, SequentialIds
from garrison.adapters.rules_file import StaticReleaseSource
from garrison.adapters.storage.memory import MemoryStore
from garrison.domain.decisions import ScorePolicy
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event
from garrison.domain.ids import EventId
from garrison.domain.language import compile_release
from garrison.domain.lists import ListKind, ValueList, compile_matcher
from garrison.domain.rules import Release, Rule
from garrison.services.ingest import IngestService
from garrison.services.signals import Signals
from garrison.services.unit_of_work import UnitOfWork

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LISTS: dict[str, tuple[ListKind, tuple[str, ...]]] = {
    "bad_words": (ListKind.EXACT, ("ok", "x", "Déclined")),
    "bad_domains": (ListKind.DOMAIN_SUFFIX, ("mail.test",)),
}
Hits = dict[str, frozenset[str]]


def release_of(conditions: Sequence[str], version: str = "v1") -> Release:
    rules = [Rule(f"r{i}", when, f"test.p{i % 3}") for i, when in enumerate(conditions)]
    return compile_release(version, rules)


def event(
    n: int,
    type_: str = "payment.attempt",
    /,
    *,
    at: datetime = T0,
    entities: Mapping[str, str] | None = None,
    **attributes: Any,
) -> Event:
    refs = {EntityKind(k): v for k, v in (entities or {"account": "a1"}).items()}
    return Event(EventId(f"e{n:05d}"), type_, at, refs, attributes)


def seed_lists(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        for name, (kind, entries) in LISTS.items():
            version = uow.lists.next_version()
            uow.lists.add(ValueList(name, kind, entries, "", version, T0))
        uow.commit()


def realtime_hits(
    events: Sequence[Event],
    release: Release,
    uow_factory: Callable[[], UnitOfWork] | None = None,
) -> Hits:
    """Ingest in replay order (occurred_at, then as given) and read each stored decision."""
    if uow_factory is None:
        uow_factory = MemoryStore().uow
    seed_lists(uow_factory)
    clock = ManualClock(T0 + timedelta(days=400))
    signals = Signals(enrichers=[OfflineEnricher.shipped()])
    service = IngestService(
        uow_factory, StaticReleaseSource(release), ScorePolicy(), clock, SequentialIds(), signals
    )
    for item in sorted(events, key=lambda e: e.occurred_at):
        service.process(item)
    hits: Hits = {}
    with uow_factory() as uow:
        for item in events:
            stored = uow.events.get(item.id)
            assert stored is not None
            decision = uow.decisions.get(stored.decision_id)
            assert decision is not None
            hits[item.id] = frozenset(hit.rule for hit in decision.hits)
    return hits


def backtest_hits(events: Sequence[Event], release: Release) -> Hits:
    lists = {name: compile_matcher(kind, entries) for name, (kind, entries) in LISTS.items()}
    engine = PolarsBacktestEngine(lists, [OfflineEnricher.shipped()])
    frame = engine.load(events, release.rules)
    fired = engine.hits(frame, release.rules).fired
    ids = frame.frame["id"].to_list()
    found: dict[str, set[str]] = {i: set() for i in ids}
    for compiled, column in zip(release.rules, fired, strict=True):
        for row in column.arg_true().to_list():
            found[ids[row]].add(compiled.rule.name)
    return {item.id: frozenset(found[item.id]) for item in events}
