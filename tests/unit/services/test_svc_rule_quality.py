"""Rule precision from review labels over the last 30 days of decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from garrison.adapters.fakes import ManualClock
from garrison.adapters.storage.memory import MemoryStore
from garrison.domain.decisions import Decision
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.events import Event
from garrison.domain.ids import DecisionId, EventId, LabelId
from garrison.domain.labels import Label, LabelValue, Provenance
from garrison.domain.rules import RuleHit
from garrison.domain.verdicts import Verdict
from garrison.services.rule_quality import RuleQuality
from garrison.services.unit_of_work import StoredEvent

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def hit(rule: str, policy: str = "fraud.card") -> RuleHit:
    return RuleHit(rule, policy, Verdict.REVIEW, 0.0, "", {})


def decided(store: MemoryStore, n: int, account: str, ago: timedelta, *hits: RuleHit) -> None:
    event = Event(
        EventId(f"evt_{n}"), "payment.attempt", NOW - ago, {EntityKind.ACCOUNT: account}, {}
    )
    decision = Decision(
        DecisionId(f"dec_{n}"),
        event.id,
        Verdict.REVIEW,
        0.0,
        tuple(hits),
        "1",
        "p1",
        event.occurred_at,
    )
    with store.uow() as uow:
        uow.events.add(StoredEvent(event, f"fp{n}", decision.id, event.occurred_at))
        uow.decisions.add(decision)
        uow.commit()


def label(
    store: MemoryStore,
    account: str,
    value: LabelValue,
    *,
    provenance: Provenance = Provenance.REVIEW,
    policy: str | None = None,
    age: timedelta = timedelta(hours=1),
) -> None:
    subject = EntityRef(EntityKind.ACCOUNT, account)
    made = Label(
        LabelId(f"lbl_{account}_{value}_{age}"),
        subject,
        policy,
        value,
        provenance,
        "rev",
        NOW - age,
    )
    with store.uow() as uow:
        uow.labels.add(made)
        uow.commit()


def test_precision_counts_labelled_subjects_with_a_wilson_interval() -> None:
    store = MemoryStore()
    for n, account in enumerate(["a1", "a2", "a3", "a4"]):
        decided(store, n, account, timedelta(days=1), hit("card_testing"))
    decided(store, 9, "a1", timedelta(hours=2), hit("card_testing"), hit("geo"))
    label(store, "a1", LabelValue.VIOLATING)
    label(store, "a2", LabelValue.VIOLATING)
    label(store, "a3", LabelValue.NOT_VIOLATING)
    label(store, "a4", LabelValue.VIOLATING, provenance=Provenance.IMPORT)

    sheet = RuleQuality(store.uow, ManualClock(NOW)).sheet()

    card = sheet.rules["card_testing"]
    assert card.subjects == 4
    assert (card.precision.successes, card.precision.n) == (2, 3)
    assert card.precision.interval is not None
    assert 0.2 < card.precision.interval.low < 2 / 3 < card.precision.interval.high < 1
    assert (sheet.of("geo").successes, sheet.of("geo").n) == (1, 1)
    assert sheet.of("never_hit").value is None
    assert sheet.events == 5 and not sheet.capped


def test_newest_covering_label_counts_and_old_decisions_do_not() -> None:
    store = MemoryStore()
    decided(store, 1, "a1", timedelta(days=2), hit("r", "fraud.card"))
    decided(store, 2, "a2", timedelta(days=31), hit("r", "fraud.card"))
    label(store, "a1", LabelValue.VIOLATING, age=timedelta(days=1))
    label(store, "a1", LabelValue.NOT_VIOLATING, policy="fraud", age=timedelta(hours=1))
    label(store, "a1", LabelValue.VIOLATING, policy="spam", age=timedelta(minutes=1))
    label(store, "a2", LabelValue.VIOLATING)

    sheet = RuleQuality(store.uow, ManualClock(NOW)).sheet()

    assert sheet.rules["r"].subjects == 1
    assert (sheet.of("r").successes, sheet.of("r").n) == (0, 1)


@pytest.mark.parametrize(("cap", "capped"), [(2, True), (10, False)])
def test_reading_stops_at_the_cap(cap: int, capped: bool) -> None:
    store = MemoryStore()
    for n in range(3):
        decided(store, n, f"a{n}", timedelta(hours=n + 1), hit("r"))

    sheet = RuleQuality(store.uow, ManualClock(NOW), max_events=cap).sheet()

    assert sheet.capped is capped
    assert sheet.events == min(cap, 3)
