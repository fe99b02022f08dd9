"""The rule language's operators on columns, with the exact results of `language.operators`.

- `==` / `!=`: Python equality, None equal to None, NaN equal to nothing, 1 == 1.0 == True.
- orderings: False with None, NaN, or values that do not order (text against a number).
- `in` / `not in`: False when either side is None or the test would raise.
- arithmetic: numbers (and `+` on two texts); None otherwise, and for a zero divisor.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

import polars as pl

from garrison.adapters.backtest.values import (
    EXACT_INT,
    Constant,
    Kind,
    NotVectorized,
    Term,
    Value,
    as_value,
    cast,
    common_numeric,
    either,
    int_overflow,
    is_nan,
    null_value,
    unsure_of,
)

Compare = Callable[[pl.Expr, pl.Expr], pl.Expr]
ORDERINGS: dict[str, Compare] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _boolean(expr: pl.Expr, *sources: Value) -> Value:
    return Value(expr, Kind.BOOL, unsure_of(*sources), boolean=True)


def equal(left: Value, right: Value) -> Value:
    if left.kind is Kind.NULL or right.kind is Kind.NULL:
        both = left.expr.is_null() & right.expr.is_null()
        return _boolean(both, left, right)
    if left.kind.numeric and right.kind.numeric:
        kind = common_numeric(left.kind, right.kind)
        same = cast(left, kind).eq_missing(cast(right, kind))
        if kind is Kind.FLOAT:
            same = same & ~is_nan(left) & ~is_nan(right)
        return _boolean(same, left, right)
    if left.kind is Kind.STR and right.kind is Kind.STR:
        return _boolean(left.expr.eq_missing(right.expr), left, right)
    return _boolean(left.expr.is_null() & right.expr.is_null(), left, right)


def not_equal(left: Value, right: Value) -> Value:
    same = equal(left, right)
    return Value(~same.expr, Kind.BOOL, same.unsure, boolean=True)


def ordering(symbol: str, left: Value, right: Value) -> Value:
    compare = ORDERINGS[symbol]
    if left.kind.numeric and right.kind.numeric:
        kind = common_numeric(left.kind, right.kind)
        result = compare(cast(left, kind), cast(right, kind)).fill_null(False)
        if kind is Kind.FLOAT:
            result = result & ~is_nan(left) & ~is_nan(right)
        return _boolean(result, left, right)
    if left.kind is Kind.STR and right.kind is Kind.STR:
        return _boolean(compare(left.expr, right.expr).fill_null(False), left, right)
    return _boolean(pl.lit(False), left, right)


def is_none(value: Value, *, negate: bool) -> Value:
    missing = value.expr.is_null()
    return _boolean(~missing if negate else missing, value)


def membership(needle: Value, haystack: Term, *, negate: bool) -> Value:
    """`needle in haystack` (or `not in`), False wherever Python's test is False or raises."""
    if isinstance(haystack, Constant) and isinstance(haystack.value, (list, tuple, frozenset)):
        return _in_collection(needle, tuple(haystack.value), negate=negate)
    hay = as_value(haystack)
    if needle.kind is Kind.STR and hay.kind is Kind.STR:
        found = hay.expr.str.contains(needle.expr, literal=True)
        valid = needle.expr.is_not_null() & hay.expr.is_not_null()
        result = valid & (~found if negate else found).fill_null(False)
        return _boolean(result, needle, hay)
    return _boolean(pl.lit(False), needle, hay)


def _in_collection(needle: Value, items: tuple[Any, ...], *, negate: bool) -> Value:
    present = needle.expr.is_not_null()
    if needle.kind is Kind.NULL:
        return _boolean(pl.lit(False), needle)
    found = _found(needle, items)
    if negate:
        return _boolean(present & ~found, needle)
    return _boolean(found, needle)


def _found(needle: Value, items: tuple[Any, ...]) -> pl.Expr:
    if needle.kind is Kind.STR:
        texts = sorted({item for item in items if isinstance(item, str)})
        if not texts:
            return pl.lit(False)
        return needle.expr.is_in(pl.Series(texts, dtype=pl.String).implode()).fill_null(False)
    numbers = [item for item in items if isinstance(item, (bool, int, float))]
    numbers = [n for n in numbers if not (isinstance(n, float) and math.isnan(n))]
    if not numbers:
        return pl.lit(False)
    if any(isinstance(n, int) and abs(n) > EXACT_INT for n in numbers):
        raise NotVectorized("an integer beyond 2**53 in a list")
    kinds = [Kind.FLOAT if isinstance(n, float) else Kind.INT for n in numbers]
    kind = common_numeric(needle.kind, *kinds)
    wanted = pl.Series(sorted({float(n) if kind is Kind.FLOAT else int(n) for n in numbers}))
    found = cast(needle, kind).is_in(wanted.cast(kind.dtype).implode()).fill_null(False)
    return found & ~is_nan(needle)


def add(left: Value, right: Value) -> Value:
    if left.kind is Kind.STR and right.kind is Kind.STR:
        return Value(left.expr + right.expr, Kind.STR, unsure_of(left, right))
    return _numeric(left, right, operator.add)


def subtract(left: Value, right: Value) -> Value:
    return _numeric(left, right, operator.sub)


def multiply(left: Value, right: Value) -> Value:
    return _numeric(left, right, operator.mul)


def _numeric(left: Value, right: Value, apply: Compare) -> Value:
    if not (left.kind.numeric and right.kind.numeric):
        return null_value(left, right)
    kind = common_numeric(left.kind, right.kind, Kind.INT)
    a, b = cast(left, kind), cast(right, kind)
    if kind is Kind.FLOAT:
        return Value(apply(a, b), kind, unsure_of(left, right))
    approx = apply(a.cast(pl.Float64), b.cast(pl.Float64))
    overflow = int_overflow(approx)
    return Value(apply(a, b), kind, either(unsure_of(left, right), overflow))


def divide(left: Value, right: Value) -> Value:
    if not (left.kind.numeric and right.kind.numeric):
        return null_value(left, right)
    a, b = cast(left, Kind.FLOAT), cast(right, Kind.FLOAT)
    result = pl.when(b == 0).then(None).otherwise(a / b)
    return Value(result, Kind.FLOAT, unsure_of(left, right))


def modulo(left: Value, right: Value) -> Value:
    """Python's floor modulo. Integers are exact in Int64; float operands are exact when both
    are whole numbers (done in Int64), and unsure otherwise."""
    if not (left.kind.numeric and right.kind.numeric):
        return null_value(left, right)
    kind = common_numeric(left.kind, right.kind, Kind.INT)
    if kind is Kind.INT:
        a, b = cast(left, kind), cast(right, kind)
        result = pl.when(b == 0).then(None).otherwise(a % b)
        return Value(result, kind, unsure_of(left, right))
    a, b = cast(left, Kind.FLOAT), cast(right, Kind.FLOAT)
    whole = _whole(a) & _whole(b)
    ints = a.cast(pl.Int64, strict=False) % b.cast(pl.Int64, strict=False)
    result = pl.when(b == 0).then(None).otherwise(ints.cast(pl.Float64))
    odd = (a.is_not_null() & b.is_not_null() & (b != 0) & ~whole).fill_null(False)
    return Value(result, Kind.FLOAT, either(unsure_of(left, right), odd))


def _whole(expr: pl.Expr) -> pl.Expr:
    finite = expr.is_finite()
    return finite & (expr.abs() <= float(EXACT_INT)) & (expr.floor() == expr)


def negate(value: Value) -> Value:
    if not value.kind.numeric:
        return null_value(value)
    kind = common_numeric(value.kind, Kind.INT)
    return Value(-cast(value, kind), kind, value.unsure)


def plus(value: Value) -> Value:
    if not value.kind.numeric:
        return null_value(value)
    kind = common_numeric(value.kind, Kind.INT)
    return Value(cast(value, kind), kind, value.unsure)
