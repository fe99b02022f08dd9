"""The wire events the simulator produces: shape, order, determinism."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from garrison.domain.entities import EntityKind
from garrison.domain.errors import InvalidInput
from garrison.simulator import DEFAULT_FILE_START, EventType, Simulation
from garrison.simulator.texts import DISPOSABLE_MAIL

Events = list[dict[str, Any]]

# The contract a rule pack relies on: entity kinds and attribute names per event type.
SHAPES: dict[str, tuple[set[str], set[str]]] = {
    "account.signup": (
        {"account", "email", "ip", "device"},
        {"country", "email_domain", "disposable_email", "tier"},
    ),
    "org.created": ({"org", "account", "ip"}, {"tier"}),
    "project.created": ({"org", "project", "account"}, set()),
    "api_key.created": ({"api_key", "account", "org", "project"}, set()),
    "api.usage": (
        {"api_key", "org", "project", "account", "ip"},
        {"model", "tokens", "requests", "ip_country", "cost_usd"},
    ),
    "payment.attempt": (
        {"account", "org", "payment_method", "ip"},
        {"amount_usd", "card_bin", "card_country", "ip_country", "result", "decline_code"},
    ),
    "payment.chargeback": ({"account", "org", "payment_method"}, {"amount_usd", "reason"}),
    "content.submitted": (
        {"account", "org", "api_key", "content"},
        {"text", "modality", "language", "moderation_score", "category"},
    ),
    "report.filed": ({"account", "content"}, {"reporter", "reason", "text"}),
    "account.login": ({"account", "ip", "device"}, {"country"}),
}


def _dump(events: Events) -> bytes:
    return "\n".join(json.dumps(e, separators=(",", ":")) for e in events).encode()


def _parse(stamp: str) -> datetime:
    assert stamp.endswith("Z")
    return datetime.fromisoformat(stamp)


def test_event_types_match_the_contract() -> None:
    assert {str(t) for t in EventType} == set(SHAPES)


def test_every_event_has_the_wire_shape_of_its_type(run: tuple[Simulation, Events]) -> None:
    _, events = run
    assert {e["type"] for e in events} == set(SHAPES)
    kinds = {str(k) for k in EntityKind}
    for event in events:
        assert set(event) == {"id", "type", "occurred_at", "entities", "attributes"}
        entities, attributes = SHAPES[event["type"]]
        assert set(event["entities"]) == entities, event
        assert set(event["attributes"]) == attributes, event
        assert set(event["entities"]) <= kinds
        assert all(isinstance(v, str) and v for v in event["entities"].values())


def test_attribute_values_have_the_documented_types(run: tuple[Simulation, Events]) -> None:
    _, events = run
    for event in events:
        attrs = event["attributes"]
        match event["type"]:
            case "account.signup":
                assert isinstance(attrs["disposable_email"], bool)
                assert attrs["tier"] in {"free", "pay_as_you_go", "enterprise"}
                assert event["entities"]["email"].endswith("@" + attrs["email_domain"])
                assert attrs["disposable_email"] == (attrs["email_domain"] in DISPOSABLE_MAIL)
            case "api.usage":
                assert isinstance(attrs["tokens"], int) and attrs["tokens"] > 0
                assert isinstance(attrs["requests"], int) and attrs["requests"] >= 1
                assert isinstance(attrs["cost_usd"], float)
            case "payment.attempt":
                assert attrs["result"] in {"approved", "declined"}
                assert (attrs["decline_code"] is None) == (attrs["result"] == "approved")
                assert len(attrs["card_bin"]) == 6 and attrs["card_bin"].isdigit()
            case "content.submitted":
                assert 0.0 <= attrs["moderation_score"] <= 1.0
                categories = {"hate", "harassment", "violence", "self_harm", "sexual", "none"}
                assert attrs["category"] in categories
                assert attrs["modality"] == "text"
            case "report.filed":
                assert attrs["reporter"].startswith("acct_")
                assert attrs["reporter"] != event["entities"]["account"]


def test_timestamps_are_ordered_utc_and_inside_the_run(run: tuple[Simulation, Events]) -> None:
    sim, events = run
    stamps = [_parse(e["occurred_at"]) for e in events]
    assert stamps == sorted(stamps)
    assert stamps[0] >= DEFAULT_FILE_START
    assert stamps[-1] < DEFAULT_FILE_START + timedelta(seconds=sim.duration_s)
    assert all(s.tzinfo == UTC for s in stamps)


def test_ids_are_unique_and_the_volume_follows_the_rate(run: tuple[Simulation, Events]) -> None:
    sim, events = run
    assert len({e["id"] for e in events}) == len(events)
    assert 0.85 * sim.expected_events < len(events) < 1.15 * sim.expected_events
    assert sim.truth.simulation["events"] == len(events)


def test_normal_traffic_dominates_and_looks_benign(run: tuple[Simulation, Events]) -> None:
    sim, events = run
    abusive = sim.truth.abusive()
    benign = [
        e
        for e in events
        if not any(f"{k}:{v}" in abusive for k, v in e["entities"].items())
        and e["type"] != "report.filed"
    ]
    assert len(benign) > 0.85 * len(events)
    content = [e for e in benign if e["type"] == "content.submitted"]
    low = [e for e in content if e["attributes"]["moderation_score"] < 0.3]
    assert len(low) > 0.9 * len(content)
    payments = [e for e in benign if e["type"] == "payment.attempt"]
    approved = [e for e in payments if e["attributes"]["result"] == "approved"]
    assert payments and len(approved) > 0.85 * len(payments)


def test_same_seed_gives_the_same_bytes() -> None:
    def make(seed: int) -> bytes:
        return _dump(list(Simulation(seed, 20.0, 120.0, DEFAULT_FILE_START).events()))

    assert make(3) == make(3)
    assert make(3) != make(4)


def test_replaying_one_simulation_gives_the_same_events() -> None:
    sim = Simulation(5, 20.0, 60.0, DEFAULT_FILE_START)
    assert _dump(list(sim.events())) == _dump(list(sim.events()))


def test_another_start_shifts_time_and_ids() -> None:
    later = DEFAULT_FILE_START + timedelta(days=30)
    first = next(iter(Simulation(3, 20.0, 60.0, DEFAULT_FILE_START).events()))
    moved = next(iter(Simulation(3, 20.0, 60.0, later).events()))
    assert moved["occurred_at"].startswith("2026-01-31")
    assert moved["id"] != first["id"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"rate": 0.0}, "rate"),
        ({"duration_s": -1.0}, "duration"),
        ({"abuse_share": 0.9}, "abuse_share"),
    ],
)
def test_bad_parameters_are_refused(kwargs: dict[str, float], field: str) -> None:
    params: dict[str, Any] = {"seed": 1, "rate": 10.0, "duration_s": 10.0}
    params.update(kwargs)
    with pytest.raises(InvalidInput) as caught:
        Simulation(start=DEFAULT_FILE_START, **params)
    assert caught.value.field == field


def test_no_abuse_share_means_no_abuse() -> None:
    sim = Simulation(2, 20.0, 120.0, DEFAULT_FILE_START, abuse_share=0.0)
    events = list(sim.events())
    assert events
    assert len(sim.truth) == 0
