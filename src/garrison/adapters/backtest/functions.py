"""The language's pure functions on columns, with the results of `language.functions`.

Each gives None (null) where the Python function does: None in, or a value of the wrong kind.
Text functions whose Python and Polars results could differ beyond ASCII (case mapping, white
space) mark non-ASCII rows unsure, so those rows are evaluated by the real-time closure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
    is_nan,
    non_ascii,
    null_value,
    unsure_of,
)

_PY_SPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
"""What Python's `str.strip()` removes among ASCII characters."""


def _text_map(value: Value, apply: Callable[[pl.Expr], pl.Expr]) -> Value:
    if value.kind is not Kind.STR:
        return null_value(value)
    return Value(apply(value.expr), Kind.STR, either(value.unsure, non_ascii(value.expr)))


def lower(args: Sequence[Term]) -> Value:
    return _text_map(as_value(args[0]), lambda e: e.str.to_lowercase())


def upper(args: Sequence[Term]) -> Value:
    return _text_map(as_value(args[0]), lambda e: e.str.to_uppercase())


def length(args: Sequence[Term]) -> Value:
    value = as_value(args[0])
    if value.kind is not Kind.STR:
        return null_value(value)
    return Value(value.expr.str.len_chars().cast(pl.Int64), Kind.INT, value.unsure)


def contains(args: Sequence[Term]) -> Value:
    haystack, needle = as_value(args[0]), as_value(args[1])
    if haystack.kind is not Kind.STR or needle.kind is not Kind.STR:
        return null_value(haystack, needle)
    found = haystack.expr.str.contains(needle.expr, literal=True)
    return Value(found, Kind.BOOL, unsure_of(haystack, needle))


def _affix(args: Sequence[Term], *, start: bool) -> Value:
    text, affix = as_value(args[0]), args[1]

    def test(expr: pl.Expr, affix: pl.Expr) -> pl.Expr:
        return expr.str.starts_with(affix) if start else expr.str.ends_with(affix)

    if isinstance(affix, Constant) and isinstance(affix.value, (list, tuple)):
        items = affix.value
        if text.kind is not Kind.STR or not all(isinstance(item, str) for item in items):
            return null_value(text)
        found = pl.lit(False)
        for item in items:
            found = found | test(text.expr, pl.lit(item, dtype=pl.String))
        result = pl.when(text.expr.is_null()).then(None).otherwise(found)
        return Value(result, Kind.BOOL, text.unsure)
    value = as_value(affix)
    if text.kind is not Kind.STR or value.kind is not Kind.STR:
        return null_value(text, value)
    return Value(test(text.expr, value.expr), Kind.BOOL, unsure_of(text, value))


def startswith(args: Sequence[Term]) -> Value:
    return _affix(args, start=True)


def endswith(args: Sequence[Term]) -> Value:
    return _affix(args, start=False)


def domain(args: Sequence[Term]) -> Value:
    value = as_value(args[0])
    if value.kind is not Kind.STR:
        return null_value(value)
    after = value.expr.str.extract(r"@([^@]*)$", 1)
    cleaned = after.str.strip_chars(_PY_SPACE).str.to_lowercase()
    result = pl.when(cleaned.str.len_bytes() > 0).then(cleaned).otherwise(None)
    return Value(result, Kind.STR, either(value.unsure, non_ascii(value.expr)))


def absolute(args: Sequence[Term]) -> Value:
    value = as_value(args[0])
    if not value.kind.numeric:
        return null_value(value)
    kind = common_numeric(value.kind, Kind.INT)
    return Value(cast(value, kind).abs(), kind, value.unsure)


def _extreme(args: Sequence[Term], *, smallest: bool) -> Value:
    if len(args) == 1:
        only = args[0]
        if isinstance(only, Constant) and isinstance(only.value, (list, tuple)):
            raise NotVectorized("min/max of a list")
        return as_value(only)
    values = [as_value(arg) for arg in args]
    if any(value.kind is Kind.NULL for value in values):
        return null_value(*values)
    if all(value.kind.numeric for value in values):
        kind = common_numeric(*(value.kind for value in values), Kind.INT)
    elif all(value.kind is Kind.STR for value in values):
        kind = Kind.STR
    else:
        return null_value(*values)
    exprs = [cast(value, kind) for value in values]
    pick = pl.min_horizontal(exprs) if smallest else pl.max_horizontal(exprs)
    missing = pl.any_horizontal([e.is_null() for e in exprs])
    nan = pl.any_horizontal([is_nan(value) for value in values])
    result = pl.when(missing).then(None).otherwise(pick)
    return Value(result, kind, either(unsure_of(*values), nan))


def smallest(args: Sequence[Term]) -> Value:
    return _extreme(args, smallest=True)


def largest(args: Sequence[Term]) -> Value:
    return _extreme(args, smallest=False)


def rounded(args: Sequence[Term]) -> Value:
    if len(args) == 2 and not (isinstance(args[1], Constant) and args[1].value is None):
        raise NotVectorized("round() with digits")
    value = as_value(args[0])
    if not value.kind.numeric:
        return null_value(value)
    if value.kind is not Kind.FLOAT:
        return Value(cast(value, Kind.INT), Kind.INT, value.unsure)
    finite = value.expr.is_finite().fill_null(False)
    whole = value.expr.round(0, mode="half_to_even")
    result = pl.when(finite).then(whole).otherwise(None)
    big = finite & (whole.abs() > float(EXACT_INT))
    ints = pl.when(big).then(None).otherwise(result).cast(pl.Int64)
    return Value(ints, Kind.INT, either(value.unsure, big))


PURE: dict[str, Callable[[Sequence[Term]], Value]] = {
    "lower": lower,
    "upper": upper,
    "len": length,
    "contains": contains,
    "startswith": startswith,
    "endswith": endswith,
    "domain": domain,
    "abs": absolute,
    "min": smallest,
    "max": largest,
    "round": rounded,
}


def fold(apply: Callable[..., Any], args: Sequence[Term]) -> Constant | None:
    """The call's value when every argument is a constant (as the language folds it)."""
    if all(isinstance(arg, Constant) for arg in args):
        return Constant(apply(*[arg.value for arg in args if isinstance(arg, Constant)]))
    return None
