"""The shipped starter rule pack compiles, is well-formed, and fires on the patterns it names."""

from __future__ import annotations

import importlib.resources
from typing import Any

import pytest

from garrison.domain.actions import ActionKind
from garrison.domain.entities import EntityKind
from garrison.domain.language import (
    check_rule_file,
    compile_release,
    format_file,
    parse_rule_file,
    read_rule_file,
    run_rule_file,
)
from garrison.domain.rules import EvalContext, Release
from garrison.domain.signals import Aggregate, FieldRef, VelocitySpec
from garrison.domain.verdicts import Verdict
from garrison.rulepacks import load_schemas, read_pack
from garrison.simulator.drafts import EventType

EVENT_TYPES = {str(event_type) for event_type in EventType}
HOUR, DAY, WEEK = 3600, 86400, 7 * 86400


def starter() -> Release:
    text = importlib.resources.files("garrison.rulepacks").joinpath("starter.toml").read_text()
    return compile_release("starter", parse_rule_file(text, "starter.toml"))


def spec(kind: str, seconds: int, event_type: str) -> VelocitySpec:
    return VelocitySpec(FieldRef.entity(EntityKind(kind)), seconds, event_type)


def distinct(of: str, key: str, seconds: int, event_type: str) -> VelocitySpec:
    return VelocitySpec(
        FieldRef.parse(key), seconds, event_type, Aggregate.DISTINCT, FieldRef.parse(of)
    )


def total(of: str, key: str, seconds: int, event_type: str) -> VelocitySpec:
    return VelocitySpec(FieldRef.parse(key), seconds, event_type, Aggregate.SUM, FieldRef.parse(of))


def test_passes_the_static_checks_against_the_shipped_schemas() -> None:
    check = check_rule_file(read_pack("starter.toml"), "starter.toml", load_schemas())

    assert check.errors == ()
    assert len(check.compiled) == len(starter().rules)


def test_every_example_and_sequence_test_of_the_pack_passes() -> None:
    check = check_rule_file(read_pack("starter.toml"), "starter.toml", load_schemas())

    results = run_rule_file(check.file, check.compiled)

    assert [r.name for r in results if not r.passed] == []
    assert sum(r.kind == "test" for r in results) >= 4
    examples = {r.name.split(" / ")[0] for r in results if r.kind == "example"}
    assert examples == {compiled.rule.name for compiled in starter().rules}


def test_the_pack_is_in_canonical_form() -> None:
    text = read_pack("starter.toml")

    assert format_file(read_rule_file(text)) == text


def test_every_rule_compiles_and_is_documented() -> None:
    release = starter()

    assert 8 <= len(release.rules) <= 15
    for compiled in release.rules:
        rule = compiled.rule
        assert rule.description and rule.owner and rule.policy and rule.tags, rule.name
        assert rule.verdict is not None, rule.name


def test_review_verdicts_enqueue_a_review_with_a_queue() -> None:
    for compiled in starter().rules:
        rule = compiled.rule
        kinds = {action.kind for action in rule.actions}
        if rule.verdict is Verdict.REVIEW:
            assert ActionKind.ENQUEUE_REVIEW in kinds, rule.name
        for action in rule.actions:
            if action.kind is ActionKind.ENQUEUE_REVIEW:
                assert action.params.get("queue") in {"fraud", "content"}, rule.name


def test_velocity_reads_only_known_event_types() -> None:
    for velocity in starter().velocity:
        assert velocity.event_type in EVENT_TYPES


PAYMENT = {"account": "a1", "org": "o1", "payment_method": "pm1", "ip": "203.0.113.9"}
SIGNUP = {"account": "a1", "email": "e1", "ip": "203.0.113.9", "device": "d1"}
USAGE = {"api_key": "k1", "org": "o1", "project": "p1", "account": "a1", "ip": "203.0.113.9"}
CONTENT = {"account": "a1", "org": "o1", "api_key": "k1", "content": "c1"}
DECLINED = {"amount_usd": 1.0, "result": "declined", "card_country": "US", "ip_country": "US"}
RISKY = {"moderation_score": 0.95, "category": "violence", "modality": "text"}
SCENARIOS: list[tuple[str, str, dict[str, Any], dict[str, str], dict[VelocitySpec, int]]] = [
    (
        "card_testing_account",
        "payment.attempt",
        DECLINED,
        PAYMENT,
        {distinct("payment_method", "account", HOUR, "payment.attempt"): 5},
    ),
    (
        "card_testing_ip",
        "payment.attempt",
        DECLINED,
        PAYMENT,
        {spec("ip", HOUR, "payment.attempt"): 12},
    ),
    (
        "stolen_card_geo_mismatch",
        "payment.attempt",
        {"amount_usd": 80.0, "card_country": "BR", "ip_country": "us", "result": "approved"},
        PAYMENT,
        {total("attr.amount_usd", "payment_method", DAY, "payment.attempt"): 320},
    ),
    ("chargeback_review", "payment.chargeback", {"amount_usd": 20.0}, PAYMENT, {}),
    (
        "chargeback_velocity",
        "payment.chargeback",
        {"amount_usd": 20.0},
        PAYMENT,
        {spec("account", WEEK, "payment.chargeback"): 2},
    ),
    (
        "trial_farming_device",
        "account.signup",
        {},
        SIGNUP,
        {distinct("account", "device", DAY, "account.signup"): 3},
    ),
    (
        "trial_farming_ip",
        "account.signup",
        {},
        SIGNUP,
        {distinct("account", "ip", DAY, "account.signup"): 5},
    ),
    (
        "disposable_email_free_tier",
        "account.signup",
        {"disposable_email": True, "tier": "free"},
        SIGNUP,
        {},
    ),
    (
        "api_key_resale_spread",
        "api.usage",
        {"tokens": 900, "requests": 1},
        USAGE,
        {distinct("ip", "api_key", HOUR, "api.usage"): 12},
    ),
    (
        "api_key_resale_countries",
        "api.usage",
        {"tokens": 90_000, "requests": 100, "ip_country": "BR"},
        USAGE,
        {
            distinct("attr.ip_country", "api_key", HOUR, "api.usage"): 5,
            total("attr.tokens", "api_key", HOUR, "api.usage"): 2_000_000,
        },
    ),
    (
        "org_spend_spike",
        "api.usage",
        {"cost_usd": 2.5},
        USAGE,
        {total("attr.cost_usd", "org", HOUR, "api.usage"): 31},
    ),
    ("content_high_risk", "content.submitted", RISKY, CONTENT, {}),
    (
        "content_high_risk_burst",
        "content.submitted",
        RISKY,
        CONTENT,
        {spec("account", HOUR, "content.submitted"): 6},
    ),
    (
        "user_report",
        "report.filed",
        {"reporter": "a2", "reason": "spam"},
        {"account": "a1"},
        {distinct("attr.reporter", "account", DAY, "report.filed"): 3},
    ),
]


@pytest.mark.parametrize(
    ("rule", "type", "attributes", "entities", "velocity"),
    SCENARIOS,
    ids=[scenario[0] for scenario in SCENARIOS],
)
def test_each_rule_fires_on_its_pattern(
    event: Any,
    rule: str,
    type: str,
    attributes: dict[str, Any],
    entities: dict[str, str],
    velocity: dict[VelocitySpec, int],
) -> None:
    hits = starter().evaluate(EvalContext(event(type, attributes, entities), velocity))

    assert rule in {hit.rule for hit in hits}


def test_every_rule_has_a_scenario() -> None:
    assert {compiled.rule.name for compiled in starter().rules} == {s[0] for s in SCENARIOS}


@pytest.mark.parametrize(
    ("type", "attributes", "entities"),
    [
        ("account.signup", {"country": "US", "disposable_email": False, "tier": "free"}, SIGNUP),
        ("org.created", {"tier": "enterprise"}, {"org": "o1", "account": "a1", "ip": "1.1.1.1"}),
        ("project.created", {}, {"org": "o1", "project": "p1", "account": "a1"}),
        ("api_key.created", {}, {"api_key": "k1", "account": "a1", "org": "o1", "project": "p1"}),
        ("api.usage", {"model": "m", "tokens": 500, "requests": 1, "cost_usd": 0.01}, USAGE),
        ("payment.attempt", {**DECLINED, "result": "approved", "amount_usd": 20.0}, PAYMENT),
        ("content.submitted", {**RISKY, "moderation_score": 0.2, "category": "none"}, CONTENT),
        ("account.login", {"country": "US"}, {"account": "a1", "ip": "1.1.1.1", "device": "d1"}),
    ],
)
def test_ordinary_traffic_fires_nothing(
    event: Any, type: str, attributes: dict[str, Any], entities: dict[str, str]
) -> None:
    release = starter()
    ordinary = dict.fromkeys(release.velocity, 1)

    assert release.evaluate(EvalContext(event(type, attributes, entities), ordinary)) == ()
