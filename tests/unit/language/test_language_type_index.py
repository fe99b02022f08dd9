"""Rules indexed by event type: each rule runs only for the types its type conditions allow,
without those conditions, and a release fires exactly the rules a full pass would."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from garrison.domain.language import compile_release, compile_rule
from garrison.domain.lifecycle import Lineup
from garrison.domain.rules import EvalContext, Rule, Stage
from garrison.domain.type_index import index_by_type


@pytest.mark.parametrize(
    ("when", "types"),
    [
        ('type == "a" and attr.x > 1', {"a"}),
        ('"a" == type', {"a"}),
        ('type in ["a", "b"] and attr.x > 1', {"a", "b"}),
        ('type in ("a", "b") and (attr.x > 1 and type == "b")', {"b"}),
        ('type == "a" and type == "b"', set()),
        ("attr.x > 1", None),
        ('type == "a" or attr.x > 1', None),
        ('type != "a" and attr.x > 1', None),
        ('not type == "a"', None),
        ("type == attr.kind and attr.x > 1", None),
    ],
)
def test_event_types_come_from_top_level_type_conditions(when: str, types: set[str] | None) -> None:
    compiled = compile_rule(Rule("r", when, "p"))
    assert compiled.event_types == (None if types is None else frozenset(types))
    assert (compiled.fires_typed is None) == (types is None)


def test_the_typed_condition_leaves_the_type_conditions_out(event: Any) -> None:
    compiled = compile_rule(Rule("r", 'type == "a" and attr.x > 1', "p"))
    other_type = EvalContext(event("b", {"x": 5}))
    assert compiled.fires(other_type) is False
    assert compiled.typed(other_type)  # only ever called for type "a" events, by the index
    assert not compiled.typed(EvalContext(event("a", {"x": 0})))
    only_type = compile_rule(Rule("r", 'type == "a"', "p"))
    assert only_type.typed(EvalContext(event("a")))


def test_index_keeps_order_and_puts_untyped_items_everywhere() -> None:
    items = [("x", frozenset({"a"})), ("y", None), ("z", frozenset({"a", "b"})), ("w", frozenset())]
    index = index_by_type(items, lambda item: item[1])
    assert [name for name, _ in index.get("a")] == ["x", "y", "z"]
    assert [name for name, _ in index.get("b")] == ["y", "z"]
    assert [name for name, _ in index.get("c")] == ["y"]


RULES = [
    'type == "a" and attr.x > 1',
    'type in ["a", "b"] and attr.s in ["u", "v"]',
    'type == "b" and (attr.x * 10 >= 25 or startswith(attr.s, ["u", "w"]))',
    "attr.x <= 2",
    'type == "a" and type == "b"',
    'type == "c"',
    'type != "a" and attr.s not in ["u"]',
    'type in ["a", "c"] and attr.x < attr.y and endswith(attr.s, "v")',
    'type == "b" or attr.x == 3',
]
VALUES = st.none() | st.integers(-5, 5) | st.floats(-5, 5) | st.sampled_from(["u", "v", "uv", "w"])


@given(
    types=st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=8),
    attributes=st.lists(st.dictionaries(st.sampled_from(["x", "y", "s"]), VALUES), min_size=8),
)
def test_release_fires_what_a_full_pass_fires(
    event: Any, types: list[str], attributes: list[dict[str, Any]]
) -> None:
    release = compile_release("v", [Rule(f"r{i}", when, "p") for i, when in enumerate(RULES)])
    for event_type, attrs in zip(types, attributes, strict=False):
        ctx = EvalContext(event(event_type, attrs))
        full = tuple(compiled for compiled in release.rules if compiled.fires(ctx))
        assert release.fired(ctx) == full


def test_lineup_runs_each_stage_only_for_its_types(event: Any) -> None:
    rules = [
        Rule("live_a", 'type == "a" and attr.x > 1', "p"),
        Rule("shadow_a", 'type == "a" and attr.x > 0', "p", stage=Stage.SHADOW),
        Rule("live_any", "attr.x > 1", "p"),
        Rule("live_b", 'type == "b" and attr.x > 1', "p"),
        Rule("draft_a", 'type == "a"', "p", stage=Stage.DRAFT),
    ]
    lineup = Lineup(compile_release("v", rules))
    on_a = lineup.run(EvalContext(event("a", {"x": 2})), holdout_percent=0)
    assert [hit.rule for hit in on_a.hits] == ["live_a", "live_any"]
    assert [hit.rule for hit in on_a.shadow_hits] == ["shadow_a"]
    on_b = lineup.run(EvalContext(event("b", {"x": 2})), holdout_percent=0)
    assert [hit.rule for hit in on_b.hits] == ["live_any", "live_b"]
    assert on_b.shadow_hits == ()
    on_c = lineup.run(EvalContext(event("c", {"x": 2})), holdout_percent=0)
    assert [hit.rule for hit in on_c.hits] == ["live_any"]
