"""The backtest use case: hits per rule and day, overlap with live rules, verdicts, P/R."""

from __future__ import annotations

from datetime import timedelta

import pytest
from backtest_world import T0, event, release_of

from garrison.adapters.backtest import PolarsBacktestEngine
from garrison.adapters.storage.memory import MemoryStore
from garrison.adapters.storage.memory_events import events_by_time
from garrison.domain.decisions import ScorePolicy
from garrison.domain.ids import DecisionId
from garrison.domain.verdicts import Verdict
from garrison.services.backtest import (
    BacktestService,
    GroundLabel,
    GroundLabels,
    report_json,
    stored_events,
)
from garrison.services.unit_of_work import StoredEvent

RULES = """
[[rule]]
name = "big_payment"
policy = "fraud.big"
verdict = "block"
when = 'type == "payment.attempt" and attr.amount > 100'

[[rule]]
name = "many_payments"
policy = "fraud.velocity"
score = 0.6
when = 'count("account", "1h", "payment.attempt") >= 2'
"""


def _events() -> list:
    day = timedelta(days=1)
    return [
        event(1, at=T0, entities={"account": "a1"}, amount=500),
        event(2, at=T0 + timedelta(minutes=1), entities={"account": "a1"}, amount=5),
        event(3, at=T0 + day, entities={"account": "a2"}, amount=150),
        event(4, at=T0 + day, entities={"account": "a3"}, amount=1),
        event(5, "api.usage", at=T0 + day, entities={"ip": "10.0.0.1"}),
    ]


def _service() -> BacktestService:
    return BacktestService(PolarsBacktestEngine(), ScorePolicy())


def test_hits_per_rule_and_day() -> None:
    report = _service().run(RULES, _events())
    big, many = report.rules
    assert (big.name, big.hits, dict(big.per_day)) == (
        "big_payment",
        2,
        {"2026-03-01": 1, "2026-03-02": 1},
    )
    assert (many.hits, dict(many.per_day), many.subjects) == (1, {"2026-03-01": 1}, 1)
    assert big.examples == ("e00001", "e00003")
    assert report.events == 5
    assert report.days == {"2026-03-01": 2, "2026-03-02": 3}
    assert report.subjects_seen == 4  # three accounts and one ip


def test_verdicts_are_combined_as_decide_does() -> None:
    report = _service().run(RULES, _events())
    assert report.verdicts == {
        Verdict.ALLOW: 2,
        Verdict.REVIEW: 1,  # many_payments alone: score 0.6
        Verdict.CHALLENGE: 0,
        Verdict.BLOCK: 2,
    }


def test_overlap_and_new_subjects_against_the_live_rules() -> None:
    live = release_of(["attr.amount > 400"], version="live-1")
    report = _service().run(RULES, _events(), live=live)
    big, many = report.rules
    assert big.overlap_events == 1  # e1 is also hit by the live rule
    assert big.new_subjects == 1  # a2; a1 was caught live
    assert many.new_subjects == 0
    assert (report.caught, report.new_subjects, report.live_caught) == (2, 1, 1)
    assert report.live_verdicts is not None
    assert report.live_verdicts[Verdict.ALLOW] == 5


def test_precision_and_recall_with_policy_labels() -> None:
    labels = GroundLabels(
        (
            GroundLabel("account:a1", True),
            GroundLabel("account:a2", False),
            GroundLabel("account:a3", True, policy="fraud.velocity"),
        )
    )
    report = _service().run(RULES, _events(), labels=labels)
    big, many = report.rules
    assert big.quality is not None and many.quality is not None
    assert (big.quality.caught_positive, big.quality.caught_negative, big.quality.missed) == (
        1,
        1,
        0,
    )
    assert (many.quality.caught_positive, many.quality.missed) == (1, 1)  # a3 was missed
    assert report.quality is not None
    assert report.quality.recall.value == pytest.approx(0.5)


def test_a_closed_world_makes_every_other_subject_negative() -> None:
    labels = GroundLabels((GroundLabel("account:a2", True),), closed_world=True)
    report = _service().run(RULES, _events(), labels=labels)
    assert report.quality is not None
    assert report.quality.caught_negative == 1  # a1
    assert report.quality.precision.value == pytest.approx(0.5)
    assert report.quality.recall.value == 1.0


def test_report_json_carries_intervals() -> None:
    labels = GroundLabels((GroundLabel("account:a1", True),), closed_world=True)
    data = report_json(_service().run(RULES, _events(), labels=labels))
    rule = data["rules"][0]
    assert rule["name"] == "big_payment"
    precision = rule["quality"]["precision"]
    assert precision["value"] == 0.5
    assert 0 < precision["low"] < 0.5 < precision["high"] < 1
    assert data["verdicts"]["block"] == 2


def test_repeated_ids_count_once() -> None:
    events = _events()
    report = _service().run(RULES, [*events, events[0]])
    assert (report.events, report.duplicates) == (5, 1)


def test_stored_events_pages_in_replay_order() -> None:
    store = MemoryStore()
    events = _events()
    with store.uow() as uow:
        for item in reversed(events):
            uow.events.add(StoredEvent(item, item.fingerprint(), DecisionId("d"), T0))
        uow.commit()
    read = list(stored_events(store.uow, T0 + timedelta(seconds=30), batch=2))
    assert [e.id for e in read] == ["e00002", "e00003", "e00004", "e00005"]
    stored = [StoredEvent(e, "", DecisionId("d"), T0) for e in events]
    page = events_by_time(stored, T0, T0 + timedelta(hours=1), None, 10)
    assert [s.event.id for s in page] == ["e00001", "e00002"]
