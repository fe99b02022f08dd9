"""Which event types a rule can fire for, and its condition without the type conditions.

A rule's top-level `type == "..."` / `type in [...]` conditions (joined by `and`) name the event
types it can fire for. A release indexes its rules by those types, so each rule only runs for
its own types, and then runs without the type conditions, which the index already decided.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from garrison.domain.language.checks import conjuncts, type_condition
from garrison.domain.language.terms import Fn, Term, all_of
from garrison.domain.rules import EvalContext


def event_types(body: ast.expr) -> frozenset[str] | None:
    """The event types `body` can be true for (None: any; empty: none, the conditions clash)."""
    allowed: frozenset[str] | None = None
    for conjunct in conjuncts(body):
        names = type_condition(conjunct)
        if names is not None:
            allowed = names if allowed is None else allowed & names
    return allowed


def without_type_conditions(parts: Sequence[tuple[ast.expr, Term]]) -> Fn:
    """A predicate joining the top-level `and` parts of a condition, type conditions left out:
    truthy when the condition holds, for an event whose type the left-out conditions allow."""
    kept = tuple(term.fn for node, term in parts if type_condition(node) is None)
    if not kept:
        return _always
    return kept[0] if len(kept) == 1 else all_of(kept)


def _always(ctx: EvalContext) -> bool:
    return True
