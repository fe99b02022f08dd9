"""Rule files: TOML read into checked rules; every error carries the file's line and column."""

from __future__ import annotations

from typing import Any

import pytest

from garrison.domain.actions import ActionKind, ActionTemplate
from garrison.domain.entities import EntityKind
from garrison.domain.errors import InvalidInput
from garrison.domain.language import RuleError, compile_release, parse_rule_file
from garrison.domain.rules import EvalContext, Rule
from garrison.domain.signals import FieldRef, VelocitySpec
from garrison.domain.verdicts import Verdict

GOOD = """\
# two rules
[[rule]]
name = "card_testing_declines"
policy = "fraud.card_testing"
description = "Many declined payment attempts from one account in an hour"
owner = "fraud-team"
verdict = "block"
score = 0.4
tags = ["fraud", "payments"]
actions = ["enqueue_review", {kind = "rate_limit", params = {per_minute = 1}}]
when = '''
type == "payment.attempt"
and attr.result == "declined"
and count("account", "1h", "payment.attempt") >= 5
'''

[[rule]]
name = "report"
policy = "content.user_report"
when = 'type == "report.filed"'
"""


def rule_file(when: str = '"attr.a == 1"', extra: str = "") -> str:
    return f'[[rule]]\nname = "ok"\npolicy = "p"\n{extra}when = {when}\n'


def refuse(text: str) -> RuleError:
    with pytest.raises(RuleError) as caught:
        parse_rule_file(text, "rules/fraud.toml")
    return caught.value


def test_reads_every_field() -> None:
    first, second = parse_rule_file(GOOD)

    assert first == Rule(
        name="card_testing_declines",
        when=(
            'type == "payment.attempt"\nand attr.result == "declined"\n'
            'and count("account", "1h", "payment.attempt") >= 5\n'
        ),
        policy="fraud.card_testing",
        description="Many declined payment attempts from one account in an hour",
        owner="fraud-team",
        verdict=Verdict.BLOCK,
        score=0.4,
        actions=(
            ActionTemplate(ActionKind.ENQUEUE_REVIEW),
            ActionTemplate(ActionKind.RATE_LIMIT, {"per_minute": 1}),
        ),
        tags=("fraud", "payments"),
    )
    assert (second.name, second.verdict, second.score, second.actions) == ("report", None, 0.0, ())


def test_empty_file_has_no_rules() -> None:
    assert parse_rule_file("# nothing yet\n") == ()


def test_expression_error_in_multi_line_when_has_file_position() -> None:
    text = GOOD.replace('and attr.result == "declined"', 'and attr.result == "declined" and x')

    error = refuse(text)

    assert (error.path, error.line, error.col) == ("rules/fraud.toml", 13, 35)
    assert error.field == "rule[0].when"
    assert error.source_line == 'and attr.result == "declined" and x'
    assert error.message.startswith("rules/fraud.toml:13:35: unknown name 'x'")


def test_expression_error_in_one_line_when_is_shifted_by_its_key() -> None:
    error = refuse(rule_file('"attr.a == exec(1)"'))

    assert (error.line, error.col) == (4, 19)
    assert str(error).splitlines()[1:] == ['when = "attr.a == exec(1)"', " " * 18 + "^~~~"]


def test_expression_starting_on_the_quote_line_of_a_triple_quoted_when() -> None:
    error = refuse(rule_file("'''attr.a == 1\n  or nope'''"))

    assert (error.line, error.col) == (5, 6)


def test_syntax_error_in_when_points_into_the_file() -> None:
    error = refuse(rule_file("'''\nattr.a ==\n'''"))

    assert (error.line, error.col) == (5, 10)


def test_toml_syntax_error_keeps_tomllib_position() -> None:
    error = refuse('[[rule]]\nname = "a"\npolicy = oops\n')

    assert (error.line, error.col) == (3, 10)
    assert error.reason.startswith("invalid TOML: ")


def test_toml_error_at_end_of_document() -> None:
    error = refuse("[[rule]]\nname = '''never closed\n")

    assert error.line == 2
    assert "invalid TOML" in error.reason


@pytest.mark.parametrize(
    ("text", "line", "col", "reason"),
    [
        ('[[rule]]\nname = "a"\npolicy = "p"\n', 1, 1, "the rule has no 'when'"),
        ('[[rule]]\npolicy = "p"\nwhen = "1"\n', 1, 1, "the rule has no 'name'"),
        ('[[rule]]\nname = "a"\nwhen = "1"\n', 1, 1, "the rule has no 'policy'"),
        (rule_file(extra='  whne = "x"\n'), 4, 3, "unknown key 'whne'"),
        (rule_file(extra='verdict = "blok"\n'), 4, 11, "unknown verdict 'blok'"),
        (rule_file(extra='score = "high"\n'), 4, 9, "'score' must be a finite number"),
        (rule_file(extra="score = nan\n"), 4, 9, "'score' must be a finite number"),
        (rule_file(extra="score = true\n"), 4, 9, "'score' must be a finite number"),
        (rule_file(extra="tags = [1]\n"), 4, 8, "'tags' must be a list of strings"),
        (rule_file(extra='actions = "ban_account"\n'), 4, 11, "'actions' must be a list"),
        (rule_file(extra="actions = [1]\n"), 4, 11, "an action is a kind"),
        (rule_file(extra='actions = ["warn", "bann"]\n'), 4, 20, "unknown action kind 'bann'"),
        (
            rule_file(extra='actions = [\n  "warn",\n  {kind = "nuke"},\n]\n'),
            6,
            11,
            "unknown action kind 'nuke'",
        ),
        (rule_file(extra="owner = 3\n"), 4, 9, "'owner' must be a string"),
        (rule_file(when='""'), 4, 9, "the expression is empty"),
        ('[[rule]]\nname = "has space"\npolicy = "p"\nwhen = "1"\n', 2, 8, "a rule name is"),
        ('[[rule]]\nname = "a"\npolicy = " "\nwhen = "1"\n', 3, 10, "'policy' must not be empty"),
        ('title = "x"\n[[rule]]\nname = "a"\n', 1, 1, "unknown top-level key 'title'"),
        ('\n[rule]\nname = "a"\n', 2, 1, "write each rule as a [[rule]] table"),
    ],
)
def test_field_errors_point_at_the_field(text: str, line: int, col: int, reason: str) -> None:
    error = refuse(text)

    assert reason in error.reason
    assert (error.line, error.col) == (line, col)


def test_field_errors_name_the_rule_field() -> None:
    error = refuse(rule_file(extra='verdict = "blok"\n'))

    assert error.field == "rule[0].verdict"


def test_duplicate_names_point_at_the_second_one() -> None:
    text = GOOD + '\n[[rule]]\nname = "report"\npolicy = "p"\nwhen = "1 == 1"\n'

    error = refuse(text)

    assert (error.line, error.col) == (23, 8)
    assert error.reason == "duplicate rule name 'report' (first at line 18)"


def test_errors_in_a_later_rule_use_that_rules_lines() -> None:
    text = GOOD + '\n[[rule]]\nname = "third"\npolicy = "p"\nverdict = "maybe"\nwhen = "1"\n'

    error = refuse(text)

    assert (error.line, error.col) == (25, 11)


def test_compile_release_compiles_and_merges_velocity(event: Any) -> None:
    release = compile_release("2024-05-01.1", parse_rule_file(GOOD))
    spec = VelocitySpec(FieldRef.entity(EntityKind.ACCOUNT), 3600, "payment.attempt")
    ctx = EvalContext(
        event("payment.attempt", {"result": "declined"}, {"account": "a1"}), {spec: 6}
    )

    (hit,) = release.evaluate(ctx)

    assert release.version == "2024-05-01.1"
    assert release.velocity == {spec}
    assert hit.rule == "card_testing_declines"
    assert hit.inputs == {"attr.result": "declined", "count(account, 1h, payment.attempt)": 6}


def test_compile_release_rejects_duplicate_names() -> None:
    rule = Rule("same", "1 == 1", "p")

    with pytest.raises(InvalidInput, match="duplicate rule name 'same'"):
        compile_release("v1", [rule, rule])


def test_compile_release_needs_a_version() -> None:
    with pytest.raises(InvalidInput, match="version"):
        compile_release(" ", [])


def test_compile_release_reports_expression_errors() -> None:
    with pytest.raises(RuleError, match="unknown name 'nope'"):
        compile_release("v1", [Rule("bad", "nope", "p")])


def test_inline_rule_tables_still_report_errors() -> None:
    error = refuse('rule = [{name = "a", policy = "p", when = "nope"}]\n')

    assert error.line == 1
    assert "unknown name 'nope'" in error.reason


def test_windows_line_endings_keep_line_numbers() -> None:
    text = rule_file("'''\nattr.a == 1\nand nope\n'''").replace("\n", "\r\n")

    error = refuse(text)

    assert (error.line, error.col) == (6, 5)
