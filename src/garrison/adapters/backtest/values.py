"""Typed Polars columns standing for rule-language values, and the Python truths they keep.

A rule value at run time is None or a Python bool, int, float or str. Here it is a Polars
expression with one *kind* (its dtype), null standing for None. `unsure` marks rows where the
column may not hold the real-time value (an odd attribute, an integer past 2**53, a non-ASCII
text for `lower`): those rows are evaluated again, one by one, with the real-time closure.

Two facts keep the columns exact: integers stay within +-2**53 (else the row is unsure), so an
int converts to a float without loss; and a bool behaves as the int 0 or 1 in every operator and
function of the language, so mixing the two changes no result.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import polars as pl

EXACT_INT = 2**53
"""Integers a float holds exactly: beyond this an integer value makes its row unsure."""


class Kind(StrEnum):
    NULL = "null"
    BOOL = "bool"
    INT = "int"
    FLOAT = "float"
    STR = "str"

    @property
    def numeric(self) -> bool:
        return self in (Kind.BOOL, Kind.INT, Kind.FLOAT)

    @property
    def dtype(self) -> pl.DataType:
        return _DTYPES[self]


_DTYPES: dict[Kind, pl.DataType] = {
    Kind.NULL: pl.Null(),
    Kind.BOOL: pl.Boolean(),
    Kind.INT: pl.Int64(),
    Kind.FLOAT: pl.Float64(),
    Kind.STR: pl.String(),
}


class NotVectorized(Exception):
    """This rule (or part) has no exact column form: evaluate it row by row instead."""


@dataclass(frozen=True, slots=True)
class Value:
    """A rule value as a column. `boolean`: never null, always a bool (comparisons, `not`)."""

    expr: pl.Expr
    kind: Kind
    unsure: pl.Expr | None = None
    boolean: bool = False


@dataclass(frozen=True, slots=True)
class Constant:
    """A literal (folded in Python); collections only appear as `in` haystacks and arguments."""

    value: Any


Term = Value | Constant


def kind_of(value: Any) -> Kind:
    """The kind of a Python constant; NotVectorized for collections and huge integers."""
    if value is None:
        return Kind.NULL
    if isinstance(value, bool):
        return Kind.BOOL
    if isinstance(value, int):
        if abs(value) > EXACT_INT:
            raise NotVectorized("an integer literal beyond 2**53")
        return Kind.INT
    if isinstance(value, float):
        return Kind.FLOAT
    if isinstance(value, str):
        return Kind.STR
    raise NotVectorized(f"a {type(value).__name__} used as a value")


def as_value(term: Term) -> Value:
    if isinstance(term, Value):
        return term
    kind = kind_of(term.value)
    return Value(pl.lit(term.value, dtype=kind.dtype), kind, boolean=kind is Kind.BOOL)


def either(*flags: pl.Expr | None) -> pl.Expr | None:
    """Rows unsure in any of `flags` (None when none can be)."""
    present = [flag for flag in flags if flag is not None]
    if not present:
        return None
    combined = present[0]
    for flag in present[1:]:
        combined = combined | flag
    return combined


def unsure_of(*values: Value) -> pl.Expr | None:
    return either(*(value.unsure for value in values))


def null_value(*sources: Value) -> Value:
    """None on every row (what the language gives for mismatched operands)."""
    return Value(pl.lit(None, dtype=pl.Null()), Kind.NULL, unsure_of(*sources))


def truthy(value: Value) -> pl.Expr:
    """Python's `bool(value)` as a never-null boolean column."""
    expr, kind = value.expr, value.kind
    if value.boolean:
        return expr
    if kind is Kind.NULL:
        return pl.lit(False)
    if kind is Kind.BOOL:
        return expr.fill_null(False)
    if kind is Kind.STR:
        return (expr.str.len_bytes() > 0).fill_null(False)
    return (expr != 0).fill_null(False)


def common_numeric(*kinds: Kind) -> Kind:
    """The kind numbers of these kinds are compared or combined in (bool < int < float)."""
    if Kind.FLOAT in kinds:
        return Kind.FLOAT
    if Kind.INT in kinds:
        return Kind.INT
    return Kind.BOOL


def cast(value: Value, kind: Kind) -> pl.Expr:
    if value.kind is kind:
        return value.expr
    return value.expr.cast(kind.dtype)


def unify(values: list[Value]) -> Kind:
    """One kind several alternatives (`a or b`, `x if c else y`) can share, or NotVectorized."""
    kinds = {value.kind for value in values} - {Kind.NULL}
    if not kinds:
        return Kind.NULL
    if len(kinds) == 1:
        return kinds.pop()
    if all(kind.numeric for kind in kinds):
        return common_numeric(*kinds)
    raise NotVectorized("alternatives of different kinds")


def is_nan(value: Value) -> pl.Expr:
    """Rows holding a float NaN (never for other kinds)."""
    if value.kind is not Kind.FLOAT:
        return pl.lit(False)
    return value.expr.is_nan().fill_null(False)


def int_overflow(expr: pl.Expr) -> pl.Expr:
    """Rows where an integer result left the exact range (its row is evaluated in Python)."""
    return (expr.cast(pl.Float64).abs() >= float(EXACT_INT)).fill_null(False)


def non_ascii(expr: pl.Expr) -> pl.Expr:
    """Rows of a text column with characters beyond ASCII."""
    return (expr.str.len_bytes() != expr.str.len_chars().cast(pl.UInt32)).fill_null(False)
