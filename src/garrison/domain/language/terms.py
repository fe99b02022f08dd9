"""Compiled nodes, and the closures that combine them into `and`, `or` and comparisons."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from garrison.domain.language import operators as op
from garrison.domain.language import shapes
from garrison.domain.language.valuetypes import ANY, Kinds, kinds_of
from garrison.domain.rules import EvalContext

Fn = Callable[[EvalContext], Any]


@dataclass(frozen=True, slots=True)
class Term:
    """A compiled node. `constant` terms carry their `value` so the compiler can fold them."""

    fn: Fn
    constant: bool = False
    value: Any = None
    reads_type: bool = False
    reads_attr: str | None = None
    boolean: bool = False
    kinds: Kinds = ANY
    falsy: bool = False
    """`reads_*` say the term only reads the event type or one attribute, so comparisons can fuse
    the read; `boolean` says it always gives a bool (comparisons, `not`, and/or of those);
    `kinds` is what it may give (for the static checks); `falsy` that it can never be true."""


def constant_term(value: Any) -> Term:
    boolean = isinstance(value, bool)
    return Term(
        lambda ctx: value, True, value, boolean=boolean, kinds=kinds_of(value), falsy=not value
    )


def all_of(fns: tuple[Fn, ...]) -> Fn:
    if len(fns) == 2:
        first, second = fns
        return lambda ctx: first(ctx) and second(ctx)
    if len(fns) == 3:
        one, two, three = fns
        return lambda ctx: one(ctx) and two(ctx) and three(ctx)

    def every(ctx: EvalContext) -> Any:
        value: Any = True
        for fn in fns:
            value = fn(ctx)
            if not value:
                return value
        return value

    return every


def any_of(fns: tuple[Fn, ...]) -> Fn:
    if len(fns) == 2:
        first, second = fns
        return lambda ctx: first(ctx) or second(ctx)
    if len(fns) == 3:
        one, two, three = fns
        return lambda ctx: one(ctx) or two(ctx) or three(ctx)

    def some(ctx: EvalContext) -> Any:
        value: Any = False
        for fn in fns:
            value = fn(ctx)
            if value:
                return value
        return value

    return some


def compare_with(predicate: op.Predicate, left: Term, right: Term) -> Fn:
    lf = left.fn
    if not right.constant:
        rf = right.fn
        between = shapes.ordering_between(predicate, lf, rf)
        if between is not None:
            return between
        return lambda ctx: predicate(lf(ctx), rf(ctx))
    value = right.value
    if predicate in (op.is_in, op.not_in) and isinstance(value, (list, tuple)):
        with suppress(TypeError):  # a list of lists stays a list
            value = frozenset(value)
    if predicate in op.ORDERINGS:
        return _ordered(predicate, left, value)
    if predicate is op.EQ or predicate is op.NE:
        return _equality(predicate is op.EQ, left, value)
    if left.reads_attr is not None:
        member = shapes.field_membership(predicate, left.reads_attr, value)
        if member is not None:
            return member
    return lambda ctx: predicate(lf(ctx), value)


def _equality(equal: bool, left: Term, value: Any) -> Fn:
    """`==` / `!=` against a constant, reading `type` or an attribute in the same closure."""
    field, lf = left.reads_attr, left.fn
    if left.reads_type:
        if equal:
            return lambda ctx: ctx.event.type == value
        return lambda ctx: ctx.event.type != value
    if field is not None:
        if equal:
            return lambda ctx: ctx.event.attributes.get(field) == value
        return lambda ctx: ctx.event.attributes.get(field) != value
    if equal:
        return lambda ctx: lf(ctx) == value
    return lambda ctx: lf(ctx) != value


def _ordered(predicate: op.Predicate, left: Term, value: Any) -> Fn:
    """An ordering against a constant: False where the values do not order (None included)."""
    if left.reads_attr is not None:
        return shapes.field_ordering(predicate, left.reads_attr, value)
    return shapes.ordering(predicate, left.fn, value)


def chain(predicates: tuple[op.Predicate, ...], fns: tuple[Fn, ...]) -> Fn:
    first, rest = fns[0], tuple(zip(predicates, fns[1:], strict=True))

    def chained(ctx: EvalContext) -> bool:
        left = first(ctx)
        for predicate, fn in rest:
            right = fn(ctx)
            if not predicate(left, right):
                return False
            left = right
        return True

    return chained
