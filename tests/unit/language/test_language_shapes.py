"""The inline closures for common shapes (`attr.x > 5`, `attr.x in [...]`, `attr.x * 10`,
`startswith(attr.s, [...])`) mean exactly what the general operators and functions mean."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from garrison.domain.entities import EntityKind
from garrison.domain.language import FUNCTIONS, compile_rule
from garrison.domain.language import operators as op
from garrison.domain.rules import EvalContext, Rule
from garrison.domain.signals import FieldRef, VelocitySpec

VALUES = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=True)
    | st.sampled_from(["", "ab", "b", "abc", "B"])
    | st.lists(st.integers(0, 2), max_size=2)
    | st.dictionaries(st.sampled_from(["k"]), st.integers(), max_size=1)
)
IP_HOUR = VelocitySpec(FieldRef.entity(EntityKind.IP), 3600, None)
Reference = Callable[[Any, Any], bool]

SHAPES: list[tuple[str, Reference]] = [
    ("attr.a > 1", lambda a, b: op.GT(a, 1)),
    ("attr.a >= 1.5", lambda a, b: op.GE(a, 1.5)),
    ("attr.a < 'b'", lambda a, b: op.LT(a, "b")),
    ("attr.a <= 0", lambda a, b: op.LE(a, 0)),
    ("attr.a < attr.b", lambda a, b: op.LT(a, b)),
    ("attr.a >= attr.b", lambda a, b: op.GE(a, b)),
    ("attr.a in [1, 'ab', None]", lambda a, b: op.is_in(a, frozenset({1, "ab", None}))),
    ("attr.a not in ['ab', 2]", lambda a, b: op.not_in(a, frozenset({"ab", 2}))),
    ("attr.a in 'abc'", lambda a, b: op.is_in(a, "abc")),
    ("attr.a * 10 >= 5", lambda a, b: op.GE(op.mul(a, 10), 5)),
    ("(attr.a + 1) is None", lambda a, b: op.add(a, 1) is None),
    ("(attr.a / 0) is None", lambda a, b: op.div(a, 0) is None),
    ("attr.a % 2 == 1", lambda a, b: op.mod(a, 2) == 1),
    ("attr.b - 1 < attr.a", lambda a, b: op.LT(op.sub(b, 1), a)),
    ("count('ip', '1h') > attr.a", lambda a, b: op.GT(7, a)),
    ("count('ip', '1h') * 2 >= 14", lambda a, b: True),
]
FUNCTION_SHAPES: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("startswith(attr.a, ['a', 'B'])", lambda a, b: _call("startswith", a, ["a", "B"])),
    ("endswith(attr.a, 'b')", lambda a, b: _call("endswith", a, "b")),
    ("startswith(attr.a, [1, 'a'])", lambda a, b: _call("startswith", a, [1, "a"])),
    ("contains(attr.a, 'b')", lambda a, b: _call("contains", a, "b")),
    ("lower(attr.a) == 'ab'", lambda a, b: _call("lower", a) == "ab"),
    ("len(lower(attr.a)) > 1", lambda a, b: op.GT(_call("len", _call("lower", a)), 1)),
]


def _call(name: str, *args: Any) -> Any:
    return FUNCTIONS[name].apply(*args)


COMPILED = [(compile_rule(Rule(f"r{i}", when, "p")), ref) for i, (when, ref) in enumerate(SHAPES)]
CALLS = [(compile_rule(Rule(f"f{i}", f, "p")), ref) for i, (f, ref) in enumerate(FUNCTION_SHAPES)]


@given(a=VALUES, b=VALUES)
def test_inline_shapes_agree_with_the_operators(event: Any, a: Any, b: Any) -> None:
    attributes = {name: value for name, value in (("a", a), ("b", b)) if value is not None}
    ctx = EvalContext(event("t", attributes, {"ip": "1.2.3.4"}), {IP_HOUR: 7})
    for compiled, reference in COMPILED:
        assert compiled.fires(ctx) is bool(reference(a, b)), compiled.rule.when
    for compiled, call in CALLS:
        assert compiled.fires(ctx) is bool(call(a, b)), compiled.rule.when


def test_a_constant_affix_that_is_not_text_never_matches(event: Any) -> None:
    compiled = compile_rule(Rule("r", "startswith(attr.a, [1, 'a']) is None", "p"))
    assert compiled.fires(EvalContext(event("t", {"a": "abc"})))
