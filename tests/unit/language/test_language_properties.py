"""Property tests: whatever the attribute values, evaluation never raises."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from garrison.domain.entities import EntityKind
from garrison.domain.language import RuleError, compile_rule
from garrison.domain.rules import EvalContext, Rule
from garrison.domain.signals import FieldRef, ListMatcher, VelocitySpec

# An explicit alphabet keeps text generation fast on a cold start (no Unicode table build).
TEXT = st.text(alphabet="abAB@.-_ 1é\tß", max_size=8)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
ATTRIBUTES = st.dictionaries(st.sampled_from(["a", "b", "c", "s"]), JSON, max_size=4)
IP_HOUR = VelocitySpec(FieldRef.entity(EntityKind.IP), 3600, None)

CORPUS = [
    "attr.a < attr.b <= attr.c",
    "attr.a > 1 or attr.b >= 2.5 or attr.c < -1",
    "attr.a == attr.b and attr.a != attr.c",
    "attr.a in attr.b or attr.a not in attr.c or attr.a in [1, 'x', None]",
    "attr.a + attr.b - attr.c * 2 / attr.a % attr.b > 0",
    "-attr.a < +attr.b",
    "not attr.a and (attr.b if attr.c else attr.a)",
    "lower(attr.s) == upper(attr.a)",
    "len(attr.a) > len(attr.s)",
    "contains(attr.a, attr.b) or contains(attr.s, 'x')",
    "startswith(attr.s, attr.a) or endswith(attr.a, attr.b)",
    "domain(attr.s) == domain(attr.a)",
    "abs(attr.a) > min(attr.a, attr.b) + max(attr.c)",
    "round(attr.a, attr.b) == round(attr.c)",
    "max(attr.a, attr.b, attr.c) >= min(attr.s)",
    "count('ip', '1h') * attr.a > attr.b",
    "attr['a'] is None or attr.b is not None",
    "entity.ip == attr.s or type == attr.a",
]
COMPILED = [compile_rule(Rule(f"r{i}", when, "p")) for i, when in enumerate(CORPUS)]


def context(event: Any, attributes: dict[str, Any], count: int) -> EvalContext:
    return EvalContext(event("api.usage", attributes, {"ip": "1.2.3.4"}), {IP_HOUR: count})


@given(attributes=ATTRIBUTES, count=st.integers(min_value=0, max_value=10**6))
def test_evaluating_any_attribute_values_never_raises(
    event: Any, attributes: dict[str, Any], count: int
) -> None:
    ctx = context(event, attributes, count)
    for compiled in COMPILED:
        assert isinstance(compiled.fires(ctx), bool)
        assert set(compiled.inputs(ctx)) <= {
            "attr.a",
            "attr.b",
            "attr.c",
            "attr.s",
            "count(ip, 1h)",
            "entity.ip",
        }


LEAVES = st.sampled_from(
    ["attr.a", "attr.b", 'attr["c"]', "attr.s", "type", "entity.ip", "count('ip', '1h')"]
) | st.one_of(
    st.integers(-5, 5).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    TEXT.map(repr),
    st.sampled_from(["True", "False", "None", "[1, 'a', None]", "('x',)", "{2, 3}"]),
)
OPERATORS = st.sampled_from(
    ["and", "or", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "+", "-", "*", "/", "%", "**"]
)
FUNCTIONS = st.sampled_from(
    ["lower", "upper", "len", "contains", "startswith", "endswith", "domain", "abs", "min", "max"]
)


def _grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, OPERATORS, inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["not ", "-", "+"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(FUNCTIONS, st.lists(inner, min_size=1, max_size=2)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
    )


EXPRESSIONS = st.recursive(LEAVES, _grow, max_leaves=12)


@given(when=EXPRESSIONS, attributes=ATTRIBUTES, count=st.integers(min_value=0))
def test_random_expressions_are_refused_or_evaluate_to_a_bool(
    event: Any, when: str, attributes: dict[str, Any], count: int
) -> None:
    try:
        compiled = compile_rule(Rule("r", when, "p"))
    except RuleError:
        return
    ctx = context(event, attributes, count)

    assert isinstance(compiled.fires(ctx), bool)
    assert isinstance(compiled.inputs(ctx), dict)


SIGNAL_CORPUS = [
    "distinct('account', 'ip', '1h') > attr.a or total('attr.a', 'ip', '1h') >= attr.b",
    "count('attr.s', '1h') == attr.c and in_list('l', attr.a) != has_label('ip', 'x')",
    "score('m') > attr.a or enrich('ip.country') == attr.s or enrich('ip.asn') in attr.b",
    "in_list('l', attr.b) and lower(enrich('email.domain')) == attr.s",
]
SIGNAL_RULES = [compile_rule(Rule(f"s{i}", when, "p")) for i, when in enumerate(SIGNAL_CORPUS)]


class _Anything(ListMatcher):
    def contains(self, value: Any) -> bool:
        return bool(value)


@given(attributes=ATTRIBUTES, value=JSON, count=st.integers(min_value=0))
def test_signal_functions_never_raise_whatever_the_values(
    event: Any, attributes: dict[str, Any], value: Any, count: int
) -> None:
    specs = frozenset().union(*(rule.needs.velocity for rule in SIGNAL_RULES))
    ctx = EvalContext(
        event("api.usage", attributes, {"ip": "1.2.3.4"}),
        dict.fromkeys(specs, count),
        {"l": _Anything()},
        {EntityKind.IP: frozenset({"x"})},
        {"m": count},
        {"ip.country": value, "ip.asn": value, "email.domain": value},
    )
    for compiled in SIGNAL_RULES:
        assert isinstance(compiled.fires(ctx), bool)
        assert isinstance(compiled.inputs(ctx), dict)
