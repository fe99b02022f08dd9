"""Signals.context: lists (cached, never stale), entity labels, scores; one query per kind."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from signal_world import T0, payment

from garrison.adapters.fakes import ManualClock
from garrison.adapters.storage.memory import MemoryStore
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.events import JsonValue
from garrison.domain.lists import ListKind
from garrison.domain.signals import Needs
from garrison.services.entity_labels import EntityLabelService
from garrison.services.lists import ListService
from garrison.services.signals import ScorerRegistry, Signals, features_of

BLOCKED = Needs(lists=frozenset({"blocked_accounts", "missing"}))


class CountingLists:
    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        self.calls.append(name)
        return getattr(self.inner, name)


def contains(store: MemoryStore, signals: Signals, value: str) -> tuple[bool, bool, list[str]]:
    with store.uow() as uow:
        counting = CountingLists(uow.lists)
        uow.lists = counting
        ctx = signals.context(uow, BLOCKED, payment(1))
        found = ctx.lists["blocked_accounts"].contains(value)
        return found, ctx.lists["missing"].contains(value), counting.calls


def test_lists_are_compiled_once_and_reloaded_when_their_version_changes() -> None:
    store, clock = MemoryStore(), ManualClock(T0)
    lists, signals = ListService(store.uow, clock), Signals()
    lists.create("blocked_accounts", ListKind.EXACT, ["a1"], actor="test")

    assert contains(store, signals, "a1") == (True, False, ["versions", "get"])
    assert contains(store, signals, "a1") == (True, False, ["versions"])

    lists.remove_entries("blocked_accounts", ["a1"], actor="test")
    assert contains(store, signals, "a1")[0] is False, "a committed change is seen at once"

    lists.delete("blocked_accounts", actor="test")
    lists.create("blocked_accounts", ListKind.EXACT, ["a1"], actor="test")
    assert contains(store, signals, "a1")[0] is True, "a list made again is not the old one"


def test_a_list_that_does_not_exist_contains_nothing() -> None:
    store = MemoryStore()
    found, missing, _ = contains(store, Signals(), "a1")
    assert (found, missing) == (False, False)


def test_labels_of_the_needed_kinds_active_at_the_event_time() -> None:
    store, clock = MemoryStore(), ManualClock(T0 - timedelta(days=1))
    labels = EntityLabelService(store.uow, clock)
    account, card = EntityRef(EntityKind.ACCOUNT, "a1"), EntityRef(EntityKind.PAYMENT_METHOD, "c1")
    labels.add(account, "trusted", actor="test")
    labels.add(account, "watch", actor="test", ttl="12h")  # expired by T0
    labels.add(account, "suspected_farm", actor="test", ttl="2d")
    labels.add(card, "stolen", actor="test")
    labels.add(EntityRef(EntityKind.ACCOUNT, "a2"), "other", actor="test")
    needs = Needs(labels=frozenset({EntityKind.ACCOUNT, EntityKind.IP}))
    with store.uow() as uow:
        ctx = Signals().context(uow, needs, payment(1))
    assert dict(ctx.labels) == {EntityKind.ACCOUNT: frozenset({"trusted", "suspected_farm"})}


class FixedScorer:
    def __init__(self, score: float) -> None:
        self.score = score
        self.seen: list[Mapping[str, JsonValue]] = []

    def score_one(self, features: Mapping[str, JsonValue]) -> float:
        self.seen.append(features)
        return self.score


def test_scores_come_from_registered_models_only() -> None:
    fraud = FixedScorer(0.875)
    signals = Signals(scorers=ScorerRegistry({"fraud_v1": fraud}))
    with MemoryStore().uow() as uow:
        ctx = signals.context(
            uow, Needs(models=frozenset({"fraud_v1", "unknown_model"})), payment(1, amount_usd=3)
        )
    assert dict(ctx.scores) == {"fraud_v1": 0.875}
    assert fraud.seen == [features_of(payment(1, amount_usd=3), {})]
    assert fraud.seen[0]["attr.amount_usd"] == 3 and fraud.seen[0]["entity.account"] == "a1"


def test_no_needs_reads_nothing() -> None:
    with MemoryStore().uow() as uow:
        uow.lists = CountingLists(uow.lists)
        ctx = Signals().context(uow, Needs(), payment(1))
        assert uow.lists.calls == []
    assert (ctx.velocity, ctx.lists, ctx.labels, ctx.scores, ctx.enrichment) == ({},) * 5
