"""With event schemas, compiling checks fields, types and rules that can never fire."""

from __future__ import annotations

import pytest

from garrison.domain.language import RuleError, build_rule, compile_rule, parse_rule_file
from garrison.domain.rules import Rule
from garrison.rulepacks import load_schemas

SCHEMAS = load_schemas()


def problems(when: str) -> list[RuleError]:
    compiled, errors = build_rule(Rule("r", when, "p"), schemas=SCHEMAS)
    assert (compiled is None) == bool(errors)
    return errors


def only(when: str) -> RuleError:
    found = problems(when)
    assert len(found) == 1, [e.reason for e in found]
    return found[0]


PAY = 'type == "payment.attempt" and '


@pytest.mark.parametrize(
    ("when", "col", "reason"),
    [
        (PAY + "attr.amount > 5", 31, "payment.attempt events have no attribute 'amount' (did you"),
        ("attr.amout_usd > 5", 1, "no event type has an attribute 'amout_usd' (did you mean attr."),
        (PAY + 'attr["reslt"] == "x"', 31, "have no attribute 'reslt' (did you mean attr.result?)"),
        ('type == "payment.atempt"', 9, "unknown event type 'payment.atempt' (did you mean"),
        ('type in ["api.usage", "api.usag"]', 23, "unknown event type 'api.usag'"),
        ('"payment.atempt" == type', 1, "unknown event type 'payment.atempt'"),
        ('type == "account.signup" and entity.payment_method', 30, "no payment_method entity"),
        (PAY + 'attr.amount_usd > "5"', 31, "type error: cannot order number against str"),
        ('attr.disposable_email == "yes"', 1, "type error: compares bool with str: never equal"),
        ("attr.tier == 1", 1, "compares str with number: never equal, so always false"),
        ("attr.tier != 1", 1, "never equal, so always true"),
        ("attr.tokens < None", 1, "ordering with None is always false"),
        ('"x" in attr.tokens', 1, "'in' needs a text, list or object on its right, not number"),
        ('attr.tokens in "abc"', 1, "only text can be found in a text, not number"),
        ("attr.tier + 1 == 2", 1, "'+' works on numbers, or two texts, not str and number"),
        ("attr.tier * 2 == 2", 1, "'*' works on numbers, not str and number"),
        ("-attr.tier < 0", 1, "'-' works on numbers, not str"),
        ("len(attr.amount_usd) > 1", 5, "len() argument 1 must be dict or list or str, not number"),
        ("round(attr.tier) > 1", 7, "round() argument 1 must be number, not str"),
        ("min(attr.tier, 3) > 1", 1, "min() compares values of one kind"),
        ("contains(attr.tier, 1)", 1, "only text can be found in a text"),
        ('score("fraud") > "high"', 1, "cannot order number against str"),
        ('enrich("ip.datacenter") == "yes"', 1, "compares bool with str"),
        ('type == "api.usage" and count("device", "1h") > 2', 31, "api.usage events have no "),
        ('count("ip", "1h", "payment.chargeback") > 1', 7, "payment.chargeback events have no ip"),
        ('distinct("payment_method", "ip", "1h", "api.usage") > 1', 10, "no payment_method: dis"),
        ('total("attr.card_bin", "account", "1h", "payment.attempt") > 1', 7, "adds up numbers"),
        ('count("account", "1h", "payment.atempt") > 1', 24, "unknown event type 'payment.atem"),
        ('type == "api.usage" and has_label("device", "vip")', 35, "has_label() is always False"),
        ('type == "account.signup" and enrich("card.bin_country") == "US"', 37, "always None"),
        ('type == "api.usage" and in_list("tiers", attr.tier)', 42, "no attribute 'tier'"),
        ("False", 1, "the condition is always false: the rule can never fire"),
        ('attr.tier == "free" and 1 == 2', 1, "the rule can never fire"),
        ('type == "api.usage" and (1 > 2 or not True)', 1, "the rule can never fire"),
    ],
)
def test_static_checks_find_the_problem_at_its_place(when: str, col: int, reason: str) -> None:
    error = only(when)

    assert reason in error.reason
    assert (error.line, error.col) == (1, col)


def test_contradictory_type_conditions_can_never_fire() -> None:
    error = only('type == "payment.attempt"\nand attr.amount_usd > 5\nand type == "account.signup"')

    assert (error.line, error.col) == (3, 5)
    assert "can never fire: the event type cannot be 'payment.attempt'" in error.reason


def test_type_in_narrows_to_the_listed_types() -> None:
    when = 'type in ["payment.attempt", "payment.chargeback"] and attr.amount_usd > 5'

    assert problems(when) == []
    assert problems(when.replace("attr.amount_usd > 5", 'attr.reason == "x"')) == []
    error = only('type in ["payment.chargeback"] and attr.result == "x"')
    assert "payment.chargeback events have no attribute 'result'" in error.reason


def test_type_in_a_list_that_excludes_the_equality_can_never_fire() -> None:
    error = only('type in ["api.usage", "org.created"] and type == "payment.attempt"')

    assert "can never fire" in error.reason


@pytest.mark.parametrize(
    "when",
    [
        'type == "payment.attempt" and attr.amount_usd > 5 and attr.result == "declined"',
        'attr.country in ["US", "CA"] or attr.ip_country == "US"',
        "attr.tokens % 2 == 1 and attr.cost_usd / attr.tokens > 0.001",
        'lower(attr.email_domain) == "x" and len(attr.text) > 3',
        'attr.decline_code is None or startswith(attr.decline_code, ["do_not", "stolen"])',
        'count("attr.card_bin", "1h", "payment.attempt") > 3',
        'distinct("account", "device", "1d", "account.signup") >= 3',
        'total("attr.cost_usd", "org", "1h", "api.usage") >= 20',
        'in_list("disposable_email_domains", attr.email_domain)',
        'has_label("account", "trusted") or score("fraud_v2") > 0.9',
        'enrich("ip.country") != attr.country and enrich("ip.datacenter") == True',
        "attr.disposable_email == True and attr.tier == None",
        "attr.moderation_score >= 0.9 and max(attr.moderation_score, 0.5) > 0.4",
        '("high" if attr.amount_usd > 50 else "low") == "high"',
        "60 * 60 == 3600",
    ],
)
def test_well_typed_rules_pass(when: str) -> None:
    assert problems(when) == []


def test_every_problem_of_a_rule_is_collected_in_text_order() -> None:
    found = problems('attr.tier == 1\nand attr.amout > 2\nand lower(attr.tokens) == "x"')

    assert [(e.line, e.col) for e in found] == [(1, 1), (2, 5), (3, 11)]


def test_compile_rule_raises_the_first_problem_and_underlines_it() -> None:
    with pytest.raises(RuleError) as caught:
        compile_rule(Rule("r", "attr.tier + 1 > 2 and attr.x == 1", "p"), schemas=SCHEMAS)

    assert str(caught.value).splitlines()[1:] == [
        "attr.tier + 1 > 2 and attr.x == 1",
        "^" + "~" * 12,
    ]


@pytest.mark.parametrize(
    "when",
    ["attr.tier == 1", "False", 'type == "nope"', 'attr.x + "a" > 1', "attr.a < None"],
)
def test_without_schemas_nothing_new_is_refused(when: str) -> None:
    assert build_rule(Rule("r", when, "p"))[1] == []


def test_structural_errors_still_stop_the_walk_and_keep_earlier_problems() -> None:
    found = problems('attr.amout > 1 and exec("x")')

    assert [e.reason.split(" (")[0] for e in found] == [
        "no event type has an attribute 'amout'",
        "unknown function 'exec'",
    ]


def test_rule_files_check_every_rule_with_schemas() -> None:
    text = (
        '[[rule]]\nname = "a"\npolicy = "p"\nwhen = "attr.tier == 1"\n\n'
        "[[rule]]\nname = \"b\"\npolicy = \"p\"\nwhen = '''\ntype == \"x\"\n'''\n"
    )

    assert len(parse_rule_file(text)) == 2
    with pytest.raises(RuleError) as caught:
        parse_rule_file(text, "f.toml", SCHEMAS)
    assert (caught.value.line, caught.value.col) == (4, 9)
