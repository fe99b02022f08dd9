"""Rules reading distinct / total / in_list / has_label fire end to end through IngestService.

The rules are built by hand (lambdas and Needs), so this checks the signals, not the language.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from signal_world import CARDS_1H, SPEND_1H, T0, payment

from garrison.adapters.fakes import ManualClock, SequentialIds
from garrison.adapters.rules_file import StaticReleaseSource
from garrison.adapters.storage.memory import MemoryStore
from garrison.domain.decisions import ScorePolicy
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.lists import ListKind
from garrison.domain.rules import CompiledRule, EvalContext, Release, Rule
from garrison.domain.signals import FieldRef, Needs, VelocitySpec, window_buckets
from garrison.domain.verdicts import Verdict
from garrison.services.entity_labels import EntityLabelService
from garrison.services.ingest import IngestService
from garrison.services.lists import ListService
from garrison.services.signals import Signals


def rule(name: str, fires: Callable[[EvalContext], bool], needs: Needs) -> CompiledRule:
    return CompiledRule(
        Rule(name, "<python>", f"test.{name}", verdict=Verdict.REVIEW), fires, lambda c: {}, needs
    )


RELEASE = Release(
    "signals-1",
    (
        rule(
            "many_cards",
            lambda ctx: ctx.velocity.get(CARDS_1H, 0) >= 3,
            Needs(velocity=frozenset({CARDS_1H})),
        ),
        rule(
            "big_spender",
            lambda ctx: ctx.velocity.get(SPEND_1H, 0) > 100,
            Needs(velocity=frozenset({SPEND_1H})),
        ),
        rule(
            "blocked_card",
            lambda ctx: ctx.lists["blocked_cards"].contains(
                ctx.event.entities.get(EntityKind.PAYMENT_METHOD)
            ),
            Needs(lists=frozenset({"blocked_cards"})),
        ),
        rule(
            "untrusted",
            lambda ctx: "suspected_farm" in ctx.labels.get(EntityKind.ACCOUNT, frozenset()),
            Needs(labels=frozenset({EntityKind.ACCOUNT})),
        ),
    ),
)


class World:
    def __init__(self) -> None:
        self.store, self.clock = MemoryStore(), ManualClock(T0)
        self.lists = ListService(self.store.uow, self.clock)
        self.labels = EntityLabelService(self.store.uow, self.clock)
        self.ingest = IngestService(
            self.store.uow,
            StaticReleaseSource(RELEASE),
            ScorePolicy(),
            self.clock,
            SequentialIds(),
            signals=Signals(),
        )

    def hits(self, *events_: object) -> list[list[str]]:
        return [
            sorted(hit.rule for hit in self.ingest.process(e).decision.hits)  # type: ignore[arg-type]
            for e in events_
        ]


@pytest.fixture
def world() -> World:
    return World()


def test_distinct_cards_fire_on_the_third_card(world: World) -> None:
    found = world.hits(payment(1, card="c1"), payment(2, card="c2"), payment(3, card="c2"))
    assert found == [[], [], []]
    assert world.hits(payment(4, card="c3")) == [["many_cards"]]


def test_total_spend_fires_when_the_event_takes_it_over(world: World) -> None:
    assert world.hits(payment(1, amount_usd=60), payment(2, amount_usd=40)) == [[], []]
    assert world.hits(payment(3, amount_usd=0.5)) == [["big_spender"]]
    assert world.hits(payment(4, account="a2", amount_usd=99)) == [[]]


def test_a_list_change_is_seen_by_the_next_event(world: World) -> None:
    world.lists.create("blocked_cards", ListKind.EXACT, ["c9"], actor="test")
    assert world.hits(payment(1, card="c1")) == [[]]
    world.lists.add_entries("blocked_cards", ["c1"], actor="test")
    assert world.hits(payment(2, card="c1")) == [["blocked_card"]]
    world.lists.remove_entries("blocked_cards", ["c1"], actor="test")
    assert world.hits(payment(3, card="c1")) == [[]]


def test_an_entity_label_fires_until_it_expires(world: World) -> None:
    world.labels.add(EntityRef(EntityKind.ACCOUNT, "a1"), "suspected_farm", actor="t", ttl="1h")
    assert world.hits(payment(1), payment(2, account="a2")) == [["untrusted"], []]
    assert world.hits(payment(3, seconds=3600)) == [[]]


def test_the_release_needs_drive_what_is_recorded(world: World) -> None:
    world.hits(payment(1, card="c1", amount_usd=5, card_bin="1"))
    first, last = window_buckets(T0, 3600)
    with world.store.uow() as uow:
        assert uow.counters.distinct([(CARDS_1H.counter_key("a1"), first, last, None)]) == [1]
        assert uow.counters.totals([(SPEND_1H.counter_key("a1"), first, last)]) == [5.0]
        by_bin = VelocitySpec(FieldRef(FieldRef.ATTR, "card_bin"), 3600)
        assert uow.counters.sums([(by_bin.counter_key("1"), first, last)]) == [0]
