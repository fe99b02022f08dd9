"""The naive baseline: each rule evaluated on its own by Python's `eval()`.

A rule's text becomes a plain Python expression over a dict namespace (`attr.x` becomes
`attr["x"]` on a dict that answers None for a missing key), compiled once with `compile()` and
run with `eval()` per rule per event. The functions are the rule language's own, so both sides
compute the same predicates; a TypeError (say `None > 5`) means the rule does not fire, as the
language's None-safe operators decide.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from types import CodeType
from typing import Any

from garrison.domain.language import FUNCTIONS, format_window
from garrison.domain.rules import EvalContext, Rule
from garrison.domain.signals import Aggregate, VelocitySpec

_FIELD = re.compile(r"\b(attr|entity)\.([A-Za-z_]\w*)")


class Fields(dict[str, Any]):
    """A dict that answers None for a missing key, like the rule language's `attr.x`."""

    def __missing__(self, key: str) -> None:
        return None


def to_python(when: str) -> str:
    """The rule text as a plain Python expression over the namespace of `namespace`."""
    return " ".join(_FIELD.sub(r'\1["\2"]', when).split())


class NaiveRules:
    """Rules compiled to code objects and evaluated one by one with `eval()`."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.codes: list[tuple[str, CodeType]] = [
            (rule.name, compile(to_python(rule.when), f"<rule {rule.name}>", "eval"))
            for rule in rules
        ]
        self.globals: dict[str, Any] = {"__builtins__": {}}
        self.globals.update({name: function.apply for name, function in FUNCTIONS.items()})

    def fired(self, namespace: dict[str, Any]) -> list[str]:
        hits = []
        scope = self.globals
        for name, code in self.codes:
            try:
                if eval(code, scope, namespace):
                    hits.append(name)
            except TypeError:
                continue
        return hits


def namespace(ctx: EvalContext) -> dict[str, Any]:
    """The variables one event binds: type, attr, entity, and count() over its velocity values."""
    event = ctx.event
    table = {
        _count_args(spec): value
        for spec, value in ctx.velocity.items()
        if spec.aggregate is Aggregate.COUNT
    }

    def count(kind: str, window: str, event_type: str | None = None) -> float:
        return table.get((kind, window, event_type), 0)

    return {
        "type": event.type,
        "attr": Fields(event.attributes),
        "entity": Fields({str(kind): ident for kind, ident in event.entities.items()}),
        "count": count,
    }


def _count_args(spec: VelocitySpec) -> tuple[str, str, str | None]:
    """The arguments of the `count(...)` call that reads `spec`."""
    return str(spec.key), format_window(spec.window_seconds), spec.event_type
