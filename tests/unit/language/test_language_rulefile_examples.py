"""Rule files: lifecycle fields, inline examples, sequence tests, and collecting every error."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.language import (
    ExampleEvent,
    Expectation,
    RuleError,
    RuleExample,
    SequenceTest,
    check_rule_file,
    read_rule_file,
    run_rule_file,
)
from garrison.domain.rules import Stage
from garrison.domain.verdicts import Verdict
from garrison.rulepacks import load_schemas

SCHEMAS = load_schemas()

DECLINED = (
    '{ type = "payment.attempt", entities = { account = "a1" }, '
    'attributes = { result = "declined" } }'
)
CARD_TESTING = """\
[[rule]]
name = "card_testing"
policy = "fraud.card_testing"
stage = "canary"
canary_percent = 10
verdict = "block"
score = 0.6
max_actions_per_day = 500
when = '''
type == "payment.attempt"
and attr.result == "declined"
and distinct("payment_method", "account", "1h", "payment.attempt") >= 3
and not has_label("account", "trusted")
'''

[[rule.example]]
name = "third card"
event = DECLINED
signals = { 'distinct("payment_method", "account", "1h", "payment.attempt")' = 3 }
expect = "fire"

[[rule.example]]
name = "trusted account"
event = DECLINED
signals = { 'distinct(payment_method, account, 1h, payment.attempt)' = 9 }
labels = { account = ["trusted"] }
expect = "pass"

[[rule]]
name = "listed_domain"
policy = "fraud.trial_abuse"
verdict = "challenge"
when = 'in_list("disposable_email_domains", attr.email_domain)'

[[test]]
name = "listed domain is challenged"
events = [
    { type = "account.signup", occurred_at = 2024-05-01T12:00:00Z, attributes = X_IO },
    { type = "account.signup", attributes = { email_domain = "y.io" } },
]
expect_verdicts = ["challenge", "allow"]
lists = { disposable_email_domains = ["x.io"] }
labels = { "account:a1" = ["trusted"] }
""".replace("DECLINED", DECLINED).replace("X_IO", '{ email_domain = "x.io" }')


def test_reads_lifecycle_fields_examples_and_tests() -> None:
    file = read_rule_file(CARD_TESTING, "f.toml", SCHEMAS)
    first, second = file.entries

    assert (first.rule.stage, first.rule.canary_percent) == (Stage.CANARY, 10)
    assert first.rule.max_actions_per_day == 500
    assert (second.rule.stage, second.rule.max_actions_per_day) == (Stage.LIVE, None)
    assert first.examples[1] == RuleExample(
        "trusted account",
        ExampleEvent("payment.attempt", {EntityKind.ACCOUNT: "a1"}, {"result": "declined"}),
        Expectation.PASS,
        {"distinct(payment_method, account, 1h, payment.attempt)": 9},
        {},
        {EntityKind.ACCOUNT: ("trusted",)},
    )
    (test,) = file.tests
    assert test == SequenceTest(
        "listed domain is challenged",
        (
            ExampleEvent(
                "account.signup",
                attributes={"email_domain": "x.io"},
                occurred_at=datetime(2024, 5, 1, 12, tzinfo=UTC),
            ),
            ExampleEvent("account.signup", attributes={"email_domain": "y.io"}),
        ),
        (Verdict.CHALLENGE, Verdict.ALLOW),
        {"disposable_email_domains": ("x.io",)},
        {EntityRef(EntityKind.ACCOUNT, "a1"): ("trusted",)},
    )


def test_examples_and_tests_run_and_explain_themselves() -> None:
    check = check_rule_file(CARD_TESTING, "f.toml", SCHEMAS)

    results = run_rule_file(check.file, check.compiled)

    assert [(r.kind, r.name, r.passed) for r in results] == [
        ("example", "card_testing / third card", True),
        ("example", "card_testing / trusted account", True),
        ("test", "listed domain is challenged", True),
    ]
    assert results[1].detail == (
        "did not fire (expected to pass); read attr.result='declined', "
        "distinct(payment_method, account, 1h, payment.attempt)=9, "
        "has_label(account, trusted)=True"
    )


def test_failures_say_what_happened_instead() -> None:
    text = CARD_TESTING.replace('expect = "pass"', 'expect = "fire"').replace(
        '["challenge", "allow"]', '["block", "allow"]'
    )
    check = check_rule_file(text, "f.toml", SCHEMAS)

    results = run_rule_file(check.file, check.compiled)

    assert [r.passed for r in results] == [True, False, False]
    assert results[1].detail.startswith("did not fire (expected to fire)")
    assert results[2].detail == (
        "event 1 (account.signup): got challenge, expected block (listed_domain fired)"
    )


def test_sequence_tests_use_only_live_rules() -> None:
    text = CARD_TESTING.replace('stage = "canary"\ncanary_percent = 10\n', "").replace(
        "[[test]]",
        "[[test]]\n# a comment",
    )
    text += (
        '\n[[test]]\nname = "declines"\nevents = [\n'
        + "".join(
            f'  {{ type = "payment.attempt", occurred_at = 2024-05-01T12:0{n}:00Z, entities = '
            f'{{ account = "a1", payment_method = "pm{n}" }}, '
            'attributes = { result = "declined" } },\n'
            for n in range(3)
        )
        + ']\nexpect_verdicts = ["allow", "allow", "block"]\n'
    )
    check = check_rule_file(text, "f.toml", SCHEMAS)
    assert check.errors == ()
    assert [r.passed for r in run_rule_file(check.file, check.compiled)] == [True] * 4

    canary = text.replace('policy = "fraud.card_testing"\n', 'policy = "x"\nstage = "shadow"\n')
    check = check_rule_file(canary, "f.toml", SCHEMAS)
    assert [r.passed for r in run_rule_file(check.file, check.compiled)][-1] is False


def rule(extra: str = "", when: str = "'attr.tier == \"free\"'") -> str:
    return f'[[rule]]\nname = "r"\npolicy = "p"\n{extra}when = {when}\n'


@pytest.mark.parametrize(
    ("text", "line", "col", "reason"),
    [
        (rule('stage = "beta"\n'), 4, 9, "unknown stage 'beta' (known: draft, shadow, canary"),
        (rule('stage = "canary"\n'), 4, 9, "a canary rule needs 'canary_percent'"),
        (rule('stage = "canary"\ncanary_percent = 0\n'), 5, 18, "needs 'canary_percent' above 0"),
        (rule("canary_percent = 101\n"), 4, 18, "must be a whole number from 0 to 100"),
        (rule("canary_percent = 5\n"), 4, 18, "only applies to canary rules (this one is live)"),
        (rule("max_actions_per_day = 0\n"), 4, 23, "'max_actions_per_day' must be a whole number"),
        (rule("max_actions_per_day = 1.5\n"), 4, 23, "'max_actions_per_day' must be a whole"),
        (rule() + "[[rule.example]]\nname = 'x'\nexpect = 'fire'\n", 5, 1, "missing 'event'"),
        (
            rule() + "[[rule.example]]\nname = 'x'\nevent = { type = 'account.signup' }\n",
            5,
            1,
            "missing 'expect'",
        ),
        (
            rule()
            + "[[rule.example]]\nname = 'x'\nexpect = 'fires'\n"
            + "event = { type = 'account.signup' }\n",
            7,
            10,
            '\'expect\' is "fire" or "pass"',
        ),
        (
            rule()
            + "[[rule.example]]\nname = 'x'\nexpect = 'fire'\nevent = { type = 'account.signup' }\n"
            + 'signals = { \'count("ip", "1h")\' = 3 }\n',
            9,
            13,
            "the rule does not read count(ip, 1h)",
        ),
        (
            rule()
            + "[[rule.example]]\nname = 'x'\nexpect = 'fire'\nevent = { type = 'account.signup' }\n"
            + "signals = { 'in_list(\"a\", 1)' = true }\n",
            9,
            13,
            "in_list() values are not set here",
        ),
        (
            rule()
            + "[[rule.example]]\nname = 'x'\nexpect = 'fire'\nevent = { type = 'account.signup' }\n"
            + "lists = { spam = ['a'] }\n",
            9,
            9,
            "no rule here reads the list 'spam'",
        ),
        (
            rule()
            + "[[rule.example]]\nname = 'x'\nexpect = 'fire'\n"
            + "event = { type = 'account.signup', attributes = { tier = 1 } }\n",
            8,
            9,
            "attribute 'tier' of account.signup events is a str, not 1",
        ),
        (
            rule()
            + "[[rule.example]]\nname = 'x'\nexpect = 'fire'\n"
            + "event = { type = 'acount.signup' }\n",
            8,
            18,
            "unknown event type 'acount.signup' (did you mean account.signup?)",
        ),
        (
            rule()
            + "[[rule.example]]\nname = 'x'\nexpect = 'fire'\n"
            + "event = { type = 'account.signup', entities = { acount = 'a' } }\n",
            8,
            9,
            "unknown entity kind 'acount'",
        ),
        (
            rule() + "[[test]]\nname = 't'\nevents = []\nexpect_verdicts = []\n",
            7,
            10,
            "'events' must be a non-empty list",
        ),
        (
            rule()
            + "[[test]]\nname = 't'\nevents = [{ type = 'account.signup' }]\n"
            + "expect_verdicts = ['allow', 'block']\n",
            8,
            19,
            "2 verdicts expected for 1 events",
        ),
        (
            rule()
            + "[[test]]\nname = 't'\nevents = [{ type = 'account.signup', occurred_at = 'x' }]\n"
            + "expect_verdicts = ['allow']\n",
            7,
            52,
            "'occurred_at' 'x' is not an ISO 8601 time",
        ),
        (
            rule()
            + "[[test]]\nname = 't'\n"
            + "events = [{ type = 'account.signup', occurred_at = 2024-01-01T00:00:00 }]\n"
            + "expect_verdicts = ['allow']\n",
            7,
            10,
            "'occurred_at' must be a time with its offset",
        ),
        (
            rule()
            + "[[test]]\nname = 't'\nevents = [{ type = 'account.signup' }]\n"
            + "expect_verdicts = ['maybe']\n",
            8,
            19,
            "'expect_verdicts' must be a list of verdicts",
        ),
        (rule() + "[[test]]\nname = 't'\nwhen = 1\n", 7, 1, "unknown key 'when'"),
        ('title = "x"\n' + rule(), 1, 1, "unknown top-level key 'title'"),
    ],
)
def test_errors_point_at_the_field(text: str, line: int, col: int, reason: str) -> None:
    check = check_rule_file(text, "f.toml", SCHEMAS)

    found = [error for error in check.errors if reason in error.reason]
    assert found, [error.reason for error in check.errors]
    assert (found[0].line, found[0].col) == (line, col)


def test_every_error_of_a_file_is_collected_in_order() -> None:
    text = (
        rule('verdict = "blok"\n', "'attr.tier == 1'")
        + rule(when="'attr.tokens > \"3\" and attr.nope'").replace('"r"', '"s"')
        + rule(when="'attr.tier == \"free\"'")
    )

    check = check_rule_file(text, "f.toml", SCHEMAS)

    assert [(e.line, e.col) for e in check.errors] == [(4, 11), (5, 9), (9, 9), (9, 31), (11, 8)]
    assert [e.reason.split(":")[0] for e in check.errors] == [
        "unknown verdict 'blok' (known",
        "type error",
        "type error",
        "no event type has an attribute 'nope'",
        "duplicate rule name 'r' (first at line 2)",
    ]
    assert [entry.rule.name for entry in check.file.entries] == ["s", "r"]


def test_read_rule_file_raises_the_first_error() -> None:
    with pytest.raises(RuleError, match="unknown stage"):
        read_rule_file(rule('stage = "beta"\n') + rule(when="'nope'"))
