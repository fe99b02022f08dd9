"""Everything outside the whitelist is refused at compile time, at the right line and column."""

from __future__ import annotations

import pytest

from garrison.domain.errors import InvalidInput
from garrison.domain.language import RuleError, compile_rule
from garrison.domain.rules import Rule


def refuse(when: str) -> RuleError:
    with pytest.raises(RuleError) as caught:
        compile_rule(Rule("r", when, "p"))
    return caught.value


@pytest.mark.parametrize(
    ("when", "line", "col", "reason"),
    [
        ('exec("x")', 1, 1, "unknown function 'exec'"),
        ('attr.a == 1 and eval("1")', 1, 17, "unknown function 'eval'"),
        ("__import__('os')", 1, 1, "unknown function '__import__'"),
        ("lambda: 1", 1, 1, "'lambda' is not allowed in rules"),
        ("[x for x in attr.items]", 1, 1, "list comprehensions are not allowed"),
        ("{x for x in attr.items}", 1, 1, "set comprehensions are not allowed"),
        ("{x: 1 for x in attr.items}", 1, 1, "dict comprehensions are not allowed"),
        ("any(x for x in attr.items)", 1, 1, "unknown function 'any'"),
        ("len(x for x in attr.items)", 1, 4, "generator expressions are not allowed"),
        ("(y := 1) == 1", 1, 2, "':=' is not allowed"),
        ('f"{attr.x}" == "1"', 1, 1, "f-strings are not allowed"),
        ("attr.a ** 2 > 1", 1, 8, "'**' is not allowed"),
        ("attr.a // 2 > 1", 1, 8, "'//' is not allowed"),
        ("attr.a & 1", 1, 8, "'&' is not allowed"),
        ("attr.a | 1", 1, 8, "'|' is not allowed"),
        ("attr.a ^ 1", 1, 8, "'^' is not allowed"),
        ("attr.a << 1", 1, 8, "'<<' is not allowed"),
        ("~attr.a", 1, 1, "'~' is not allowed"),
        ('{"a": 1} == attr.a', 1, 1, "dict literals are not allowed"),
        ("attr.a == [attr.b]", 1, 12, "elements must be constants"),
        ("len(*attr.a)", 1, 5, "'*' unpacking is not allowed"),
        ('attr.s[0:2] == "ab"', 1, 7, 'only attr["name"] may be subscripted'),
        ("attr[attr.k] == 1", 1, 6, "takes a quoted field name"),
        ("attr.a.b == 1", 1, 7, "only attr.<name> and entity.<kind>"),
        ("event.type == 1", 1, 6, "only attr.<name> and entity.<kind>"),
        ('attr.s.lower() == "a"', 1, 7, "methods cannot be called"),
        ("os == 1", 1, 1, "unknown name 'os'"),
        ("attr == 1", 1, 1, "'attr' needs a field"),
        ("lower == 1", 1, 1, "'lower' is a function"),
        ("entity.acount == 1", 1, 8, "unknown entity kind 'acount'"),
        ("attr.a is 1", 1, 8, "'is' only compares with None"),
        ("attr.a, 2", 1, 7, "a rule is one expression"),
        ("b'x' == attr.a", 1, 1, "bytes literals are not allowed"),
        ("attr.a == 1j", 1, 11, "complex literals are not allowed"),
        ("... == attr.a", 1, 1, "'...' are not allowed"),
        ("attr.a = 1", 1, 1, "Maybe you meant '=='"),
        ("import os", 1, 1, "invalid syntax"),
        ("attr.a ==", 1, 10, "the expression ends too early"),
        ("(attr.a == 1", 1, 1, "'(' was never closed"),
        ("attr.a == 1) or (attr.b == 2", 1, 12, "unmatched ')'"),
        ("len(attr.a]", 1, 11, "unmatched ']'"),
        ("   ", 1, 1, "the expression is empty"),
        ("lower(attr.a, attr.b)", 1, 1, "lower() takes 1 argument, got 2"),
        ("round()", 1, 1, "round() takes 1 or 2 arguments, got 0"),
        ("min()", 1, 1, "min() takes at least 1 argument, got 0"),
        ("lower(s=attr.a)", 1, 7, "lower() takes no keyword arguments"),
    ],
)
def test_refused_constructs_point_at_the_offending_node(
    when: str, line: int, col: int, reason: str
) -> None:
    error = refuse(when)

    assert reason in error.reason
    assert (error.line, error.col) == (line, col)


@pytest.mark.parametrize(
    ("when", "col", "reason"),
    [
        ('count(attr.kind, "1h")', 7, "the key must be a quoted string"),
        ('count("user", "1h")', 7, "unknown entity kind 'user'"),
        ('count("ip", 3600)', 13, "the window must be a quoted string"),
        ('count("ip", "1 hour")', 13, "is not a number followed by"),
        ('count("ip", "30s")', 13, "shorter than one 60s bucket"),
        ('count("ip", "90s")', 13, "not a whole number of 60s buckets"),
        ('count("ip", "31d")', 13, "too long to keep"),
        ('count("ip", "1h", attr.t)', 19, "the event type must be a quoted string"),
        ('count("ip")', 1, "count() takes (key, window, event_type), got 1"),
        ('count("ip", "1h", "a", "b")', 1, "got 4"),
        ('count("ip", "1h", kind="a")', 19, "count() takes (key, window, event_type)"),
    ],
)
def test_count_arguments_are_checked(when: str, col: int, reason: str) -> None:
    error = refuse(when)

    assert reason in error.reason
    assert (error.line, error.col) == (1, col)


def test_positions_in_multi_line_expressions() -> None:
    when = 'type == "payment.attempt"\n  and attr.result == "declined"\n  and system("ls")'

    error = refuse(when)

    assert (error.line, error.col) == (3, 7)
    assert error.source_line == '  and system("ls")'


def test_columns_count_characters_not_bytes() -> None:
    error = refuse('attr.city == "Zürich" and bad(1)')

    assert (error.line, error.col) == (1, 27)


def test_error_renders_path_position_source_and_caret() -> None:
    error = refuse('attr.amount > 1\nand exec("rm")')

    assert error.path == "<rule r>"
    assert error.message == "<rule r>:2:5: unknown function 'exec' (known: count, " + (
        "distinct, total, in_list, has_label, score, enrich, "
        "lower, upper, len, contains, startswith, endswith, domain, abs, min, max, round)"
    )
    assert str(error).splitlines()[1:] == ['and exec("rm")', "    ^~~~"]


def test_caret_keeps_tabs_aligned() -> None:
    error = refuse("attr.a == 1\n\tand bad()")

    assert str(error).splitlines()[1:] == ["\tand bad()", "\t    ^~~"]


def test_rule_error_is_invalid_input_about_the_condition() -> None:
    error = refuse("nope")

    assert isinstance(error, InvalidInput)
    assert error.field == "when"


def test_brackets_inside_strings_and_comments_are_not_counted() -> None:
    rule = Rule("r", 'attr.s == ")" or attr.s == "[("  # (unbalanced ] in a comment', "p")

    assert compile_rule(rule).velocity == frozenset()


def test_deep_nesting_is_refused_not_crashing() -> None:
    error = refuse(" + ".join(["attr.a"] * 500) + " > 0")

    assert "nested too deeply" in error.reason


def test_many_parentheses_are_refused_not_crashing() -> None:
    error = refuse("(" * 300 + "1" + ")" * 300)

    assert error.line == 1


def test_nul_byte_is_refused() -> None:
    assert refuse("attr.a == 1\x00").line == 1


def test_non_text_condition_is_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        compile_rule(Rule("r", 42, "p"))  # type: ignore[arg-type]
