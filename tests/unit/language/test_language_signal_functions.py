"""Signal functions: what they read at run time, what they add to Needs, how inputs name them."""

from __future__ import annotations

from typing import Any

import pytest

from garrison.domain.entities import EntityKind
from garrison.domain.events import JsonValue
from garrison.domain.language import RuleError, ValueList, compile_rule
from garrison.domain.rules import EvalContext, Rule
from garrison.domain.signals import Aggregate, FieldRef, ListMatcher, Needs, VelocitySpec

HOUR, DAY = 3600, 86400
CARDS_PER_ACCOUNT = VelocitySpec(
    FieldRef.entity(EntityKind.PAYMENT_METHOD),
    DAY,
    None,
    Aggregate.DISTINCT,
    FieldRef.entity(EntityKind.ACCOUNT),
)
BIN_HOUR = VelocitySpec(FieldRef("attr", "card_bin"), HOUR, "payment.attempt")
SPEND = VelocitySpec(
    FieldRef.entity(EntityKind.ORG), HOUR, "api.usage", Aggregate.SUM, FieldRef("attr", "cost_usd")
)


def compiled(when: str) -> Any:
    return compile_rule(Rule("r", when, "p"))


def test_velocity_functions_build_their_specs() -> None:
    rule = compiled(
        'distinct("account", "payment_method", "24h") >= 3'
        ' and count("attr.card_bin", "1h", "payment.attempt") > 5'
        ' and total("attr.cost_usd", "org", "1h", event_type="api.usage") > 100'
    )

    assert rule.needs == Needs(velocity=frozenset({CARDS_PER_ACCOUNT, BIN_HOUR, SPEND}))


def test_velocity_reads_the_context_and_names_the_signals(event: Any) -> None:
    rule = compiled(
        'distinct("account", "payment_method", "24h") >= 3 and total("attr.cost_usd", "org", "1h",'
        ' "api.usage") > 100 and count("attr.card_bin", "1h", "payment.attempt") > 5'
    )
    ctx = EvalContext(
        event("x", {"card_bin": "411111"}, {"payment_method": "pm1", "org": "o1"}),
        {CARDS_PER_ACCOUNT: 3, SPEND: 120.5, BIN_HOUR: 6},
    )

    assert rule.fires(ctx)
    assert rule.inputs(ctx) == {
        "distinct(account, payment_method, 1d)": 3,
        "sum(attr.cost_usd, org, 1h, api.usage)": 120.5,
        "count(attr.card_bin, 1h, payment.attempt)": 6,
    }


@pytest.mark.parametrize(
    ("entities", "attributes", "expected"),
    [
        ({"payment_method": "pm1"}, {"card_bin": "4111"}, (3, 6)),
        ({}, {"card_bin": "4111"}, (0, 6)),
        ({"payment_method": "pm1"}, {}, (3, 0)),
        ({"payment_method": "pm1"}, {"card_bin": None}, (3, 0)),
    ],
)
def test_velocity_is_zero_when_the_event_lacks_the_key(
    event: Any, entities: dict[str, str], attributes: dict[str, Any], expected: tuple[int, int]
) -> None:
    rule = compiled(
        'distinct("account", "payment_method", "1d") + 0 >= 0'
        ' and count("attr.card_bin", "1h", "payment.attempt") >= 0'
    )
    ctx = EvalContext(event("x", attributes, entities), {CARDS_PER_ACCOUNT: 3, BIN_HOUR: 6})
    inputs = rule.inputs(ctx)

    assert (
        inputs["distinct(account, payment_method, 1d)"],
        inputs["count(attr.card_bin, 1h, payment.attempt)"],
    ) == expected


class Suffixes(ListMatcher):
    def contains(self, value: JsonValue) -> bool:
        return isinstance(value, str) and value.endswith(".example")


def test_in_list_asks_the_list_and_is_false_without_it(event: Any) -> None:
    rule = compiled('in_list("disposable_email_domains", lower(attr.email_domain))')
    signup = event("account.signup", {"email_domain": "Spam.EXAMPLE"})

    assert rule.needs == Needs(lists=frozenset({"disposable_email_domains"}))
    assert rule.fires(EvalContext(signup, lists={"disposable_email_domains": Suffixes()}))
    assert not rule.fires(EvalContext(signup, lists={"other": Suffixes()}))
    assert not rule.fires(
        EvalContext(event("x", {}), lists={"disposable_email_domains": Suffixes()})
    )
    assert rule.inputs(EvalContext(signup)) == {
        "attr.email_domain": "Spam.EXAMPLE",
        "in_list(disposable_email_domains, lower(attr.email_domain))": False,
    }


def test_value_lists_match_exact_values() -> None:
    values = ValueList(["a.com", 3, ["nested"]])

    assert values.contains("a.com") and values.contains(3)
    assert not values.contains("A.com")
    assert not values.contains(["nested"])


def test_has_label_reads_the_labels_of_the_events_entity(event: Any) -> None:
    rule = compiled('not has_label("account", "trusted")')
    ctx = EvalContext(event("x", {}, {"account": "a1"}))
    trusted = {EntityKind.ACCOUNT: frozenset({"trusted", "vip"})}

    assert rule.needs == Needs(labels=frozenset({EntityKind.ACCOUNT}))
    assert rule.fires(ctx)
    assert not rule.fires(EvalContext(ctx.event, labels=trusted))
    assert rule.inputs(EvalContext(ctx.event, labels=trusted)) == {
        "has_label(account, trusted)": True
    }


def test_score_and_enrich_read_their_maps(event: Any) -> None:
    rule = compiled('score("fraud_v2") >= 0.9 and enrich("ip.datacenter") == True')
    ctx = EvalContext(
        event("x"), scores={"fraud_v2": 0.95}, enrichment={"ip.datacenter": True, "x": 1}
    )

    assert rule.needs == Needs(
        models=frozenset({"fraud_v2"}), enrichment=frozenset({"ip.datacenter"})
    )
    assert rule.fires(ctx)
    assert not rule.fires(EvalContext(ctx.event, enrichment={"ip.datacenter": True}))
    assert rule.inputs(ctx) == {"score(fraud_v2)": 0.95, "enrich(ip.datacenter)": True}
    assert compiled('score("m") == None').fires(EvalContext(event("x")))


def test_the_shipped_geo_and_card_fields_are_rule_fields(event: Any) -> None:
    rule = compiled('"AMAZON" in enrich("ip.asn_name") and enrich("card.scheme") == "visa"')
    found = {"ip.asn_name": "AMAZON-02", "card.scheme": "visa"}

    assert rule.needs == Needs(enrichment=frozenset(found))
    assert rule.fires(EvalContext(event("x"), enrichment=found))
    assert not rule.fires(EvalContext(event("x"), enrichment={**found, "card.scheme": "amex"}))


@pytest.mark.parametrize(
    ("when", "col", "reason"),
    [
        ('distinct("account", "1h")', 1, "distinct() takes (of, key, window, event_type), got 2"),
        ('total("account", "org", "1h")', 7, "total() adds up a numeric attribute"),
        ('total("attr.x-y", "org", "1h")', 7, "not an attribute name: 'x-y'"),
        ('count("acount", "1h")', 7, "unknown entity kind 'acount' (did you mean account?)"),
        ('count(key="ip", window="1h", key="ip")', 30, "count() got 'key' twice"),
        ('count("ip", "1h", key="ip")', 19, "count() got 'key' twice"),
        ('count("ip", window="1h", event_type="x", extra=1)', 42, "count() takes (key, window"),
        ('distinct("ip", "account", "45d")', 27, "too long to keep"),
        ("in_list(attr.name, attr.x)", 9, "the name must be a quoted string"),
        ('in_list("bad name", attr.x)', 9, "a name is letters, digits"),
        ('in_list("l")', 1, "in_list() takes (name, value), got 1"),
        ('has_label("user", "x")', 11, "unknown entity kind 'user'"),
        ('has_label("account", 3)', 22, "the label must be a quoted string"),
        ("score()", 1, "score() takes (model), got 0"),
        (
            'enrich("ip.contry")',
            8,
            "unknown enrichment field 'ip.contry' (did you mean ip.country?)",
        ),
        ("enrich == 1", 1, "'enrich' is a function: call it"),
        ("len(score)", 5, "'score' is a function"),
    ],
)
def test_signal_arguments_are_checked(when: str, col: int, reason: str) -> None:
    with pytest.raises(RuleError) as caught:
        compiled(when)

    assert reason in caught.value.reason
    assert (caught.value.line, caught.value.col) == (1, col)


def test_keyword_arguments_name_parameters() -> None:
    rule = compiled('count(key="account", window="7d", event_type="payment.chargeback") >= 2')

    (spec,) = rule.needs.velocity
    assert spec == VelocitySpec(FieldRef.entity(EntityKind.ACCOUNT), 7 * DAY, "payment.chargeback")
