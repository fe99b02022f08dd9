"""Duration and time parsing, wire timestamps, and the ground-truth document."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from garrison.domain.errors import InvalidInput
from garrison.simulator import GroundTruth, TruthEntry, parse_duration, parse_instant
from garrison.simulator.timing import wire_time


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("5m", 300), ("1h", 3600), ("2d", 172800), ("45", 45), ("1.5h", 5400)],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "5x", "-3s", "0s", "1h30m", "soon"])
def test_bad_durations_name_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_duration(text)
    assert caught.value.field == "duration"


def test_instants_are_utc() -> None:
    assert parse_instant("2026-03-01T10:00:00Z") == datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert parse_instant("2026-03-01T10:00:00") == datetime(2026, 3, 1, 10, tzinfo=UTC)
    paris = parse_instant("2026-03-01T11:00:00+01:00")
    assert paris == datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert paris.tzinfo == UTC
    with pytest.raises(InvalidInput) as caught:
        parse_instant("yesterday")
    assert caught.value.field == "start"


def test_wire_time_is_millisecond_utc_rounded_down() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert wire_time(start, 0) == "2026-01-01T00:00:00.000Z"
    assert wire_time(start, 61.2349) == "2026-01-01T00:01:01.234Z"
    offsets = [0.0004, 0.0009, 0.001, 1.9999, 2.0]
    stamps = [wire_time(start, o) for o in offsets]
    assert stamps == sorted(stamps)
    east = datetime(2026, 1, 1, 5, tzinfo=timezone(timedelta(hours=5))).astimezone(UTC)
    assert wire_time(east, 0) == "2026-01-01T00:00:00.000Z"


def _truth() -> GroundTruth:
    truth = GroundTruth({"seed": 1})
    truth.add(TruthEntry("account:acct_b", "card_testing", "many cards", "card_testing-001"), "CT")
    truth.add(TruthEntry("ip:203.0.113.9", "card_testing", "burst IP", "card_testing-001"), "CT")
    truth.add(TruthEntry("account:acct_a", "trial_farming", "ring", "trial_farming-001"), "TF")
    truth.add(TruthEntry("account:acct_a", "card_testing", "again", "card_testing-002"), "CT")
    return truth


def test_truth_groups_members_and_keeps_the_first_record() -> None:
    truth = _truth()
    assert len(truth) == 3
    assert truth.summary() == {
        "card_testing": {"scenarios": 1, "entities": 2},
        "trial_farming": {"scenarios": 1, "entities": 1},
    }
    assert truth.abusive("trial_farming") == {"account:acct_a"}
    assert [s.members for s in truth.scenarios] == [
        ["account:acct_b", "ip:203.0.113.9"],
        ["account:acct_a"],
    ]


def test_truth_round_trips_through_json() -> None:
    truth = _truth()
    document = truth.to_json()
    assert document["entities"][0] == {
        "entity": "account:acct_b",
        "abuse": "card_testing",
        "reason": "many cards",
        "scenario_id": "card_testing-001",
    }
    again = GroundTruth.from_json(document)
    assert again.dumps() == truth.dumps()


def test_a_foreign_document_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        GroundTruth.from_json({"entities": [{"entity": "account:x"}]})
    assert caught.value.field == "truth"
