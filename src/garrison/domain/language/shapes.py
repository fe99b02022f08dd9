"""Closures for the shapes rules are mostly made of, each one call deep instead of three.

`attr.x > 5`, `attr.x in [...]`, `count(...) >= 3` and `attr.x * 1000` against a constant are
what analysts write most; the general closures in `terms` call a read, then an operator, then a
comparison. These read the field and apply the operator inline, with the same None-safe
meaning as `operators` (an ordering that cannot be made is False, a sum of non-numbers None).
Python has no way to pass `>` as syntax, so each operator has its own small closure.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from garrison.domain.language import operators as op
from garrison.domain.rules import EvalContext

if TYPE_CHECKING:
    from garrison.domain.language.terms import Term

Fn = Callable[[EvalContext], Any]
_NUMBER = (int, float)


def _field_greater(name: str, value: Any) -> Fn:
    def greater(ctx: EvalContext) -> Any:
        try:
            return ctx.event.attributes.get(name) > value
        except TypeError:
            return False

    return greater


def _field_at_least(name: str, value: Any) -> Fn:
    def at_least(ctx: EvalContext) -> Any:
        try:
            return ctx.event.attributes.get(name) >= value
        except TypeError:
            return False

    return at_least


def _field_less(name: str, value: Any) -> Fn:
    def less(ctx: EvalContext) -> Any:
        try:
            return ctx.event.attributes.get(name) < value
        except TypeError:
            return False

    return less


def _field_at_most(name: str, value: Any) -> Fn:
    def at_most(ctx: EvalContext) -> Any:
        try:
            return ctx.event.attributes.get(name) <= value
        except TypeError:
            return False

    return at_most


def _greater(left: Fn, value: Any) -> Fn:
    def greater(ctx: EvalContext) -> Any:
        try:
            return left(ctx) > value
        except TypeError:
            return False

    return greater


def _at_least(left: Fn, value: Any) -> Fn:
    def at_least(ctx: EvalContext) -> Any:
        try:
            return left(ctx) >= value
        except TypeError:
            return False

    return at_least


def _less(left: Fn, value: Any) -> Fn:
    def less(ctx: EvalContext) -> Any:
        try:
            return left(ctx) < value
        except TypeError:
            return False

    return less


def _at_most(left: Fn, value: Any) -> Fn:
    def at_most(ctx: EvalContext) -> Any:
        try:
            return left(ctx) <= value
        except TypeError:
            return False

    return at_most


_FIELD_ORDERINGS: dict[op.Predicate, Callable[[str, Any], Fn]] = {
    op.GT: _field_greater,
    op.GE: _field_at_least,
    op.LT: _field_less,
    op.LE: _field_at_most,
}
_ORDERINGS: dict[op.Predicate, Callable[[Fn, Any], Fn]] = {
    op.GT: _greater,
    op.GE: _at_least,
    op.LT: _less,
    op.LE: _at_most,
}


def field_ordering(predicate: op.Predicate, name: str, value: Any) -> Fn:
    """`attr.<name> <op> value` for an ordering (`predicate` one of `op.ORDERINGS`)."""
    return _FIELD_ORDERINGS[predicate](name, value)


def ordering(predicate: op.Predicate, left: Fn, value: Any) -> Fn:
    """`<term> <op> value` for an ordering (`predicate` one of `op.ORDERINGS`)."""
    return _ORDERINGS[predicate](left, value)


def field_membership(predicate: op.Predicate, name: str, haystack: Any) -> Fn | None:
    """`attr.<name> in [...]` / `not in` against a constant, reading the attribute inline."""
    if haystack is None:
        return None
    if predicate is op.is_in:

        def member(ctx: EvalContext) -> bool:
            needle = ctx.event.attributes.get(name)
            if needle is None:
                return False
            try:
                return needle in haystack
            except TypeError:
                return False

        return member
    if predicate is op.not_in:

        def not_member(ctx: EvalContext) -> bool:
            needle = ctx.event.attributes.get(name)
            if needle is None:
                return False
            try:
                return needle not in haystack
            except TypeError:
                return False

        return not_member
    return None


_RAW: dict[Callable[[Any, Any], Any], Callable[[Any, Any], Any]] = {
    op.add: operator.add,
    op.sub: operator.sub,
    op.mul: operator.mul,
    op.div: operator.truediv,
    op.mod: operator.mod,
}


def arithmetic_with_number(apply: Callable[[Any, Any], Any], left: Term, number: Any) -> Fn | None:
    """`<term> <op> number`: the term's value must be a number too, or the answer is None."""
    raw = _RAW.get(apply)
    if raw is None or not isinstance(number, _NUMBER):
        return None
    name, read = left.reads_attr, left.fn
    if name is not None:

        def field_arithmetic(ctx: EvalContext) -> Any:
            value = ctx.event.attributes.get(name)
            if not isinstance(value, _NUMBER):
                return None
            try:
                return raw(value, number)
            except (ZeroDivisionError, OverflowError):
                return None

        return field_arithmetic

    def arithmetic(ctx: EvalContext) -> Any:
        value = read(ctx)
        if not isinstance(value, _NUMBER):
            return None
        try:
            return raw(value, number)
        except (ZeroDivisionError, OverflowError):
            return None

    return arithmetic


def ordering_between(predicate: op.Predicate, left: Fn, right: Fn) -> Fn | None:
    """`<term> <op> <term>` for an ordering: False where the values do not order."""
    compare = op.ORDERINGS.get(predicate)
    if compare is None:
        return None

    def ordered(ctx: EvalContext) -> Any:
        try:
            return compare(left(ctx), right(ctx))
        except TypeError:
            return False

    return ordered
