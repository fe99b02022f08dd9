"""Injected abuse: each pattern looks like itself, and the ground truth matches the events."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

import pytest

from garrison.domain.entities import EntityRef
from garrison.simulator import DEFAULT_FILE_START, SCENARIOS, Simulation

Events = list[dict[str, Any]]
Run = tuple[Simulation, Events]


def _refs(event: dict[str, Any]) -> set[str]:
    return {f"{k}:{v}" for k, v in event["entities"].items()}


def _by_scenario(sim: Simulation, events: Events) -> dict[str, Events]:
    """Events that name a marked entity of each scenario instance."""
    owner = {e.entity: e.scenario_id for e in sim.truth.entries}
    out: dict[str, Events] = defaultdict(list)
    for event in events:
        for scenario_id in {owner[r] for r in _refs(event) if r in owner}:
            out[scenario_id].append(event)
    return out


def _instances(sim: Simulation, abuse: str) -> list[str]:
    return [s.scenario_id for s in sim.truth.scenarios if s.abuse == abuse]


def test_every_pattern_is_in_the_truth(run: Run) -> None:
    sim, _ = run
    assert set(sim.truth.summary()) == set(SCENARIOS)
    for abuse, counts in sim.truth.summary().items():
        assert counts["scenarios"] == sim.plan[abuse]
        assert counts["entities"] >= counts["scenarios"]


def test_every_truth_entity_appears_in_the_events(run: Run) -> None:
    sim, events = run
    seen = set().union(*(_refs(e) for e in events))
    for entry in sim.truth.entries:
        assert entry.entity in seen
        assert str(EntityRef.parse(entry.entity)) == entry.entity
        assert entry.reason
        assert entry.scenario_id.startswith(entry.abuse + "-")


def test_scenarios_group_their_members(run: Run) -> None:
    sim, _ = run
    members = [m for s in sim.truth.scenarios for m in s.members]
    assert len(members) == len(set(members)) == len(sim.truth)
    for record in sim.truth.scenarios:
        assert any(m.startswith("account:") for m in record.members)
        assert record.description


def test_a_few_percent_of_accounts_are_abusive(run: Run) -> None:
    sim, events = run
    accounts = {f"account:{e['entities']['account']}" for e in events if "account" in e["entities"]}
    share = len(sim.truth.abusive() & accounts) / len(accounts)
    assert 0.01 < share < 0.12


def test_card_testing_is_many_small_mostly_declined_attempts_on_distinct_cards(run: Run) -> None:
    sim, events = run
    grouped = _by_scenario(sim, events)
    for scenario_id in _instances(sim, "card_testing"):
        attempts = [e for e in grouped[scenario_id] if e["type"] == "payment.attempt"]
        assert len(attempts) >= 15
        assert all(0.5 <= e["attributes"]["amount_usd"] <= 2.0 for e in attempts)
        cards = {e["entities"]["payment_method"] for e in attempts}
        assert len(cards) == len(attempts)
        assert len({e["entities"]["ip"] for e in attempts}) == 1
        declined = [e for e in attempts if e["attributes"]["result"] == "declined"]
        assert len(declined) > len(attempts) / 2


def test_trial_farming_rings_share_devices_and_ips_with_disposable_email(run: Run) -> None:
    sim, events = run
    grouped = _by_scenario(sim, events)
    for scenario_id in _instances(sim, "trial_farming"):
        signups = [e for e in grouped[scenario_id] if e["type"] == "account.signup"]
        assert len(signups) >= 5
        assert all(e["attributes"]["disposable_email"] for e in signups)
        assert all(e["attributes"]["tier"] == "free" for e in signups)
        assert len({e["entities"]["device"] for e in signups}) <= 2
        assert len({e["entities"]["ip"] for e in signups}) <= 2
        keys = [e for e in grouped[scenario_id] if e["type"] == "api_key.created"]
        assert len(keys) == len(signups)


def test_stolen_cards_are_foreign_and_charged_back_later(run: Run) -> None:
    sim, events = run
    grouped = _by_scenario(sim, events)
    for scenario_id in _instances(sim, "stolen_cards"):
        mine = grouped[scenario_id]
        paid = {
            e["entities"]["payment_method"]: e
            for e in mine
            if e["type"] == "payment.attempt" and e["attributes"]["result"] == "approved"
        }
        assert paid
        for event in paid.values():
            assert event["attributes"]["card_country"] != event["attributes"]["ip_country"]
            assert event["attributes"]["amount_usd"] >= 50
        backs = [e for e in mine if e["type"] == "payment.chargeback"]
        assert {e["entities"]["payment_method"] for e in backs} == set(paid)
        for back in backs:
            assert back["occurred_at"] > paid[back["entities"]["payment_method"]]["occurred_at"]


def test_resold_keys_are_used_from_many_ips_and_countries(run: Run) -> None:
    sim, events = run
    grouped = _by_scenario(sim, events)
    for scenario_id in _instances(sim, "key_resale"):
        usage = [e for e in grouped[scenario_id] if e["type"] == "api.usage"]
        keys = {e["entities"]["api_key"] for e in usage}
        assert 1 <= len(keys) <= 3
        assert all(f"api_key:{key}" in sim.truth for key in keys)
        signups = [e for e in grouped[scenario_id] if e["type"] == "account.signup"]
        assert len(signups) == len(keys) - 1  # the reseller's later accounts
        logins = [e for e in grouped[scenario_id] if e["type"] == "account.login"]
        devices = {e["entities"]["device"] for e in signups + logins}
        assert len(devices) == (1 if signups else 0), "one reseller, one device"
        assert len({e["entities"]["ip"] for e in usage}) >= 8
        assert len({e["attributes"]["ip_country"] for e in usage}) >= 4
        assert sum(e["attributes"]["tokens"] for e in usage) > 500_000


def test_content_bursts_are_high_scored_placeholders_and_get_reported(run: Run) -> None:
    sim, events = run
    grouped = _by_scenario(sim, events)
    for scenario_id in _instances(sim, "content_burst"):
        posted = [e for e in grouped[scenario_id] if e["type"] == "content.submitted"]
        assert len(posted) >= 8
        for event in posted:
            attrs = event["attributes"]
            assert attrs["moderation_score"] >= 0.7
            assert attrs["category"] != "none"
            assert attrs["text"].startswith(f"[synthetic {attrs['category']} sample ")
        reports = [e for e in grouped[scenario_id] if e["type"] == "report.filed"]
        assert reports
        posted_ids = {e["entities"]["content"] for e in posted}
        assert all(r["entities"]["content"] in posted_ids for r in reports)


@pytest.mark.parametrize(("rate", "duration_s"), [(2.0, 5.0), (0.1, 3 * 86400.0)])
def test_scenarios_fit_short_and_long_runs(rate: float, duration_s: float) -> None:
    sim = Simulation(9, rate, duration_s, DEFAULT_FILE_START)
    events = list(sim.events())
    assert set(sim.truth.summary()) == set(SCENARIOS)
    types = {e["type"] for e in events}
    assert "payment.chargeback" in types


def test_squeezed_scenarios_do_not_all_end_on_the_same_instant(run: Run) -> None:
    sim, events = run
    grouped = _by_scenario(sim, events)
    ends = {max(e["occurred_at"] for e in mine) for mine in grouped.values()}
    assert len(ends) == len(grouped)


def test_chargebacks_come_hours_to_days_later_when_the_run_allows() -> None:
    sim = Simulation(4, 0.02, 20 * 86400.0, DEFAULT_FILE_START)  # room for 4-day disputes
    events = list(sim.events())
    paid = {
        (e["entities"]["account"], e["entities"]["payment_method"]): datetime.fromisoformat(
            e["occurred_at"]
        )
        for e in events
        if e["type"] == "payment.attempt" and e["attributes"]["result"] == "approved"
    }
    backs = [e for e in events if e["type"] == "payment.chargeback"]
    assert backs
    for back in backs:
        key = (back["entities"]["account"], back["entities"]["payment_method"])
        delay = datetime.fromisoformat(back["occurred_at"]) - paid[key]
        assert timedelta(hours=6) <= delay <= timedelta(days=4)
