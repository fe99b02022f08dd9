"""Compiling and evaluating rule expressions: operators, functions, velocity and inputs."""

from __future__ import annotations

from typing import Any

import pytest

from garrison.domain.entities import EntityKind
from garrison.domain.language import compile_rule
from garrison.domain.rules import EvalContext, Rule
from garrison.domain.signals import FieldRef, VelocitySpec

CARD_TESTING = """
type == "payment.attempt"
and attr.result == "declined"
and count("account", "1h", "payment.attempt") >= 5
"""
ACCOUNT_HOUR = VelocitySpec(FieldRef.entity(EntityKind.ACCOUNT), 3600, "payment.attempt")


def test_card_testing_example_fires_on_velocity(event: Any) -> None:
    compiled = compile_rule(Rule("card_testing", CARD_TESTING, "fraud.card_testing"))
    declined = event("payment.attempt", {"result": "declined"}, {"account": "a1"})

    assert compiled.fires(EvalContext(declined, {ACCOUNT_HOUR: 5}))
    assert not compiled.fires(EvalContext(declined, {ACCOUNT_HOUR: 4}))
    approved = event("payment.attempt", {"result": "approved"}, {"account": "a1"})
    assert not compiled.fires(EvalContext(approved, {ACCOUNT_HOUR: 50}))
    other_type = event("api.usage", {"result": "declined"}, {"account": "a1"})
    assert not compiled.fires(EvalContext(other_type, {ACCOUNT_HOUR: 50}))


def test_inputs_name_every_value_the_rule_reads(event: Any) -> None:
    when = 'attr.amount_usd < 2 and count("ip", "60m", "account.signup") > 3 and entity.account'
    compiled = compile_rule(Rule("r", when, "p"))
    spec = VelocitySpec(FieldRef.entity(EntityKind.IP), 3600, "account.signup")
    ctx = EvalContext(
        event("x", {"amount_usd": 1.0}, {"ip": "1.2.3.4", "account": "a1"}), {spec: 7}
    )

    assert compiled.inputs(ctx) == {
        "attr.amount_usd": 1.0,
        "count(ip, 1h, account.signup)": 7,
        "entity.account": "a1",
    }


def test_velocity_specs_are_extracted_and_deduplicated() -> None:
    when = (
        'count("ip", "1h") > 1 and count("ip", "60m") > 2'
        ' and count("account", "7d", event_type="payment.chargeback") >= 2'
        ' and count("device", "1d", None) > 0'
    )
    compiled = compile_rule(Rule("r", when, "p"))

    assert compiled.velocity == {
        VelocitySpec(FieldRef.entity(EntityKind.IP), 3600, None),
        VelocitySpec(FieldRef.entity(EntityKind.ACCOUNT), 7 * 86400, "payment.chargeback"),
        VelocitySpec(FieldRef.entity(EntityKind.DEVICE), 86400, None),
    }


def test_count_is_zero_without_the_entity_or_the_signal(fires: Any) -> None:
    spec = VelocitySpec(FieldRef.entity(EntityKind.IP), 3600, None)
    when = 'count("ip", "1h") == 0'

    assert fires(when, entities={"account": "a1"}, velocity={spec: 9})
    assert fires(when, entities={"ip": "1.2.3.4"}, velocity={})
    assert not fires(when, entities={"ip": "1.2.3.4"}, velocity={spec: 9})


def test_rule_without_velocity_reads_none() -> None:
    assert compile_rule(Rule("r", "attr.x == 1", "p")).velocity == frozenset()


@pytest.mark.parametrize(
    ("when", "attributes", "expected"),
    [
        ("attr.a == 1 and attr.b == 2", {"a": 1, "b": 2}, True),
        ("attr.a == 1 and attr.b == 2 and attr.c == 3", {"a": 1, "b": 2, "c": 4}, False),
        ("attr.a == 1 or attr.b == 2", {"a": 0, "b": 2}, True),
        ("attr.a == 1 or attr.b == 2 or attr.c == 3", {}, False),
        ("not attr.flag", {"flag": False}, True),
        ("attr.a != 1", {"a": 2}, True),
        ("attr.a < attr.b <= 3", {"a": 1, "b": 3}, True),
        ("attr.a < attr.b <= 3", {"a": 1, "b": 4}, False),
        ("1 < attr.a < 3 < 4", {"a": 2}, True),
        ("attr.a + attr.b == 5", {"a": 2, "b": 3}, True),
        ("attr.a - attr.b == -1", {"a": 2, "b": 3}, True),
        ("attr.a * 2 == 7.0", {"a": 3.5}, True),
        ("attr.a / 4 == 0.5", {"a": 2}, True),
        ("attr.a % 3 == 1", {"a": 7}, True),
        ("-attr.a == -2", {"a": 2}, True),
        ("+attr.a == 2", {"a": 2}, True),
        (
            'attr.first + " " + attr.last == "Ada Lovelace"',
            {"first": "Ada", "last": "Lovelace"},
            True,
        ),
        ('attr.country in ["US", "CA"]', {"country": "CA"}, True),
        ('attr.country in ("US", "CA")', {"country": "FR"}, False),
        ('attr.country in {"US", "CA"}', {"country": "US"}, True),
        ('attr.country not in ["US", "CA"]', {"country": "FR"}, True),
        ('"vip" in attr.tags', {"tags": ["new", "vip"]}, True),
        ('"spam" in attr.text', {"text": "buy spam now"}, True),
        ("attr.a in [-1, 2]", {"a": -1}, True),
        ('("high" if attr.score > 0.5 else "low") == "high"', {"score": 0.7}, True),
        ('("high" if attr.score > 0.5 else "low") == "high"', {"score": 0.2}, False),
        ('attr["card-bin"] == "411111"', {"card-bin": "411111"}, True),
        ('attr["amount"] == attr.amount', {"amount": 3}, True),
        ("attr.tags == [1, 2]", {"tags": [1, 2]}, True),
        ("60 * 60 == 3600", {}, True),
        ("True", {}, True),
        ("attr.disposable_email == True", {"disposable_email": True}, True),
        ("attr.a > 0.5", {"a": 1}, True),
    ],
)
def test_operators(fires: Any, when: str, attributes: dict[str, Any], expected: bool) -> None:
    assert fires(when, attributes) is expected


def test_type_and_entity_names(fires: Any) -> None:
    assert fires('type == "api.usage"', type="api.usage")
    assert not fires('type == "api.usage"', type="api.usage.v2")
    assert fires('entity.api_key == "k1"', entities={"api_key": "k1"})
    assert fires("entity.api_key == None", entities={"account": "a1"})


@pytest.mark.parametrize(
    ("when", "attributes"),
    [
        ('lower(attr.s) == "abc"', {"s": "AbC"}),
        ('upper(attr.s) == "ABC"', {"s": "abc"}),
        ("len(attr.s) == 3", {"s": "abc"}),
        ("len(attr.s) == 2", {"s": [1, 2]}),
        ("len(attr.s) == 1", {"s": {"k": 1}}),
        ('contains(attr.s, "b")', {"s": "abc"}),
        ('contains(attr.s, "b")', {"s": ["a", "b"]}),
        ('contains(attr.s, "k")', {"s": {"k": 1}}),
        ('startswith(attr.s, "ab")', {"s": "abc"}),
        ('startswith(attr.s, ["x", "ab"])', {"s": "abc"}),
        ('endswith(attr.s, "bc")', {"s": "abc"}),
        ('domain(attr.email) == "mailinator.com"', {"email": "Bob@MailInator.com"}),
        ("abs(attr.n) == 3", {"n": -3}),
        ("min(attr.a, attr.b, 7) == 2", {"a": 5, "b": 2}),
        ("max(attr.a, attr.b) == 5", {"a": 5, "b": 2}),
        ("max(attr.list) == 9", {"list": [1, 9, 3]}),
        ("round(attr.n) == 3", {"n": 2.6}),
        ("round(attr.n, 1) == 2.7", {"n": 2.66}),
    ],
)
def test_functions(fires: Any, when: str, attributes: dict[str, Any]) -> None:
    assert fires(when, attributes)


@pytest.mark.parametrize(
    "when",
    [
        "attr.missing < 1",
        "attr.missing > 1",
        "attr.missing <= 1",
        "attr.missing >= 1",
        "1 < attr.missing",
        "attr.missing < attr.missing",
        "attr.missing in [1, None]",
        "attr.missing not in [1]",
        "1 in attr.missing",
        "1 not in attr.missing",
        "attr.missing == 1",
        "attr.missing + 1 == 1",
        "attr.missing * 2 > 0",
        "-attr.missing < 0",
        'lower(attr.missing) == "x"',
        'contains(attr.missing, "x")',
        'startswith(attr.missing, "x")',
        'domain(attr.missing) == "x"',
        "len(attr.missing) >= 0",
        "abs(attr.missing) >= 0",
        "max(attr.missing, 1) >= 1",
        "round(attr.missing) == 0",
        'count("ip", "1h") > 0',
    ],
)
def test_missing_values_make_comparisons_false(fires: Any, when: str) -> None:
    assert fires(when, {}) is False


@pytest.mark.parametrize(
    "when",
    [
        "attr.missing == None",
        "attr.missing is None",
        "attr.present != None",
        "attr.present is not None",
        "attr.missing != 1",
        "not attr.missing",
        "attr.missing + 1 == None",
        "attr.present / 0 == None",
        "attr.present % 0 == None",
        "attr.text * 3 == None",
        "attr.text % 3 == None",
        "lower(attr.present) == None",
        'domain("no-at-sign") == None',
        "min([]) == None",
        'max(1, "a") == None',
    ],
)
def test_none_is_an_ordinary_value_for_equality(fires: Any, when: str) -> None:
    assert fires(when, {"present": 1, "text": "ab"})


@pytest.mark.parametrize(
    "when",
    [
        "attr.text < 1",
        "attr.text >= 1",
        "attr.obj < attr.obj",
        'attr.n in "abc"',
        "attr.obj in attr.obj",
        "attr.text - 1 > 0",
        "[1] < attr.n",
    ],
)
def test_mismatched_types_make_comparisons_false(fires: Any, when: str) -> None:
    assert fires(when, {"text": "a", "n": 1, "obj": {"k": [1]}}) is False


def test_an_attribute_named_type_is_not_the_event_type(fires: Any) -> None:
    assert fires('attr.type == "card"', {"type": "card"}, type="payment.attempt")
    assert not fires('attr.type == "payment.attempt"', {"type": "card"}, type="payment.attempt")
    assert fires('attr["type"] > "a"', {"type": "card"})


@pytest.mark.parametrize(
    ("when", "attributes"),
    [
        ("attr.a and attr.b", {"a": 1, "b": "x"}),
        ("attr.a or attr.b", {"a": 0, "b": [1]}),
        ("attr.a", {"a": "yes"}),
        ("count('ip', '1h')", {}),
    ],
)
def test_fires_is_a_bool_even_for_non_boolean_expressions(
    when: str, attributes: dict[str, Any], event: Any
) -> None:
    compiled = compile_rule(Rule("r", when, "p"))
    spec = VelocitySpec(FieldRef.entity(EntityKind.IP), 3600, None)

    assert compiled.fires(EvalContext(event("x", attributes, {"ip": "i"}), {spec: 2})) is True
