"""Static checks that need event schemas: which event types a rule can see, and type errors.

They run only when `compile_rule` is given schemas. A rule sees the event types its top-level
`type == "..."` / `type in [...]` conditions (joined by `and`) allow, or every declared type.
Checks report *problems* (reasons); the compiler places them and keeps going, so one pass finds
every problem of a rule.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from garrison.domain.language.schemas import EventSchemas
from garrison.domain.language.valuetypes import (
    ANY,
    COLLECTION,
    NONE,
    NUM,
    ORDERED,
    STR,
    TEXT,
    Kinds,
    describe,
)

Problem = tuple[ast.expr, str]


@dataclass(frozen=True, slots=True)
class Scope:
    """The schemas, and the event types this rule can see (None: any declared type)."""

    schemas: EventSchemas
    visible: frozenset[str] | None = None

    def describe_events(self) -> str:
        if self.visible is None:
            return "any event type"
        return ", ".join(sorted(self.visible)) + " events"


def scope_of(body: ast.expr, schemas: EventSchemas) -> tuple[Scope, list[Problem]]:
    """The scope of a rule whose condition is `body`, and a problem where two of its top-level
    type conditions contradict each other (the rule could never fire)."""
    visible: frozenset[str] | None = None
    problems: list[Problem] = []
    for conjunct in conjuncts(body):
        allowed = type_condition(conjunct)
        if allowed is None:
            continue
        if visible is not None and not visible & allowed:
            before = ", ".join(repr(name) for name in sorted(visible))
            reason = f"the rule can never fire: the event type cannot be {before} and also this"
            problems.append((conjunct, reason))
            break
        visible = allowed if visible is None else visible & allowed
    if visible is not None:
        visible = visible & schemas.event_types or None  # unknown types: reported where written
    return Scope(schemas, visible), problems


def conjuncts(body: ast.expr) -> Iterator[ast.expr]:
    if isinstance(body, ast.BoolOp) and isinstance(body.op, ast.And):
        for value in body.values:
            yield from conjuncts(value)
    else:
        yield body


def type_condition(node: ast.expr) -> frozenset[str] | None:
    """The event types `type == "a"`, `"a" == type` or `type in ["a", "b"]` allows."""
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1):
        return None
    left, op, right = node.left, node.ops[0], node.comparators[0]
    if isinstance(op, ast.Eq) and _is_type(right):
        left, right = right, left
    if not _is_type(left):
        return None
    if isinstance(op, ast.Eq):
        return frozenset(type_names(right) or ()) if _is_text(right) else None
    if isinstance(op, ast.In):
        names = type_names(right)
        return frozenset(names) if names is not None else None
    return None


def type_names(node: ast.expr) -> list[str] | None:
    """The quoted names of `"a"` or `["a", "b"]`; None when anything else is written there."""
    elements = node.elts if isinstance(node, (ast.List, ast.Tuple, ast.Set)) else [node]
    names = [e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return names if len(names) == len(elements) else None


def _is_type(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "type"


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def equality_problem(equal: bool, left: Kinds, right: Kinds) -> str | None:
    """`==` / `!=` between values that can never be equal (a str and a number, a bool and a str)."""
    if NONE in left or NONE in right or left & right:
        return None
    outcome = "always false" if equal else "always true"
    return f"compares {describe(left)} with {describe(right)}: never equal, so {outcome}"


def ordering_problem(left: Kinds, right: Kinds) -> str | None:
    if any(a in left and b in right for a, b in ORDERED):
        return None
    if NONE in left or NONE in right:
        return "ordering with None is always false; use `is None` to test for a missing value"
    return f"cannot order {describe(left)} against {describe(right)}: always false"


def membership_problem(needle: Kinds, haystack: Kinds) -> str | None:
    """`in` needs a text, list or object on its right; only text is found in a text."""
    if not haystack & COLLECTION:
        return f"'in' needs a text, list or object on its right, not {describe(haystack)}"
    if haystack & COLLECTION == TEXT and STR not in needle:
        return f"only text can be found in a text, not {describe(needle)}"
    if NONE in needle and needle <= {NONE}:
        return "'None in ...' is always false; use `is None` to test for a missing value"
    return None


def arithmetic(symbol: str, left: Kinds, right: Kinds) -> tuple[Kinds, str | None]:
    """The kinds `left <symbol> right` gives, and a problem when it can only give None."""
    result: set[str] = set()
    if NUM in left and NUM in right:
        result.add(NUM)
    if symbol == "+" and STR in left and STR in right:
        result.add(STR)
    if result:
        return frozenset(result), None
    allowed = "numbers, or two texts" if symbol == "+" else "numbers"
    reason = f"'{symbol}' works on {allowed}, not {describe(left)} and {describe(right)}"
    return ANY, reason


def argument_problem(function: str, position: int, wanted: Kinds, got: Kinds) -> str | None:
    if wanted & got or (NONE in got and got <= {NONE}):
        return None
    return f"{function}() argument {position} must be {describe(wanted)}, not {describe(got)}"


def unary_problem(symbol: str, operand: Kinds) -> str | None:
    if NUM in operand:
        return None
    return f"type error: '{symbol}' works on numbers, not {describe(operand)}"
