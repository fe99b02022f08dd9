"""Function calls: the pure functions, and the signal functions read from the frame's columns.

Signal arguments are bound as the language binds them (positional, then keyword, optional ones
given as None left out), and each velocity spec is rebuilt the same way; a spec the compiled rule
does not list means the two walks disagree, so the rule is left to the row-by-row path.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

import polars as pl

from garrison.adapters.backtest.functions import PURE, fold
from garrison.adapters.backtest.values import Kind, NotVectorized, Term, Value
from garrison.domain.entities import EntityKind
from garrison.domain.language.durations import parse_window
from garrison.domain.language.functions import FUNCTIONS
from garrison.domain.language.signalcalls import SIGNAL_FUNCTIONS
from garrison.domain.signals import Aggregate, FieldRef, VelocitySpec

if TYPE_CHECKING:
    from garrison.adapters.backtest.expressions import Walker

_AGGREGATES = {"count": Aggregate.COUNT, "distinct": Aggregate.DISTINCT, "total": Aggregate.SUM}


def compile_call(walker: Walker, node: ast.Call) -> Term:
    func = node.func
    if not isinstance(func, ast.Name):
        raise NotVectorized("a call of something else than a function name")
    if func.id in SIGNAL_FUNCTIONS:
        return _signal(walker, func.id, _bind(func.id, node))
    build = PURE.get(func.id)
    if build is None or node.keywords:
        raise NotVectorized(f"the function {func.id!r}")
    args = [walker.term(arg) for arg in node.args]
    folded = fold(FUNCTIONS[func.id].apply, args)
    return folded if folded is not None else build(args)


def _bind(name: str, node: ast.Call) -> dict[str, ast.expr]:
    function = SIGNAL_FUNCTIONS[name]
    params = function.params
    args = dict(zip(params, node.args, strict=False))
    for keyword in node.keywords:
        if keyword.arg is None:
            raise NotVectorized("** arguments")
        args[keyword.arg] = keyword.value
    optional = params[function.required :]
    return {
        key: value
        for key, value in args.items()
        if not (key in optional and isinstance(value, ast.Constant) and value.value is None)
    }


def _text(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    raise NotVectorized("a signal argument that is not a quoted string")


def _field(node: ast.expr) -> FieldRef:
    written = _text(node)
    if written.startswith("attr."):
        return FieldRef(FieldRef.ATTR, written.removeprefix("attr."))
    return FieldRef.entity(EntityKind(written))


def _signal(walker: Walker, name: str, args: dict[str, ast.expr]) -> Term:
    columns = walker.columns
    if name in _AGGREGATES:
        return _velocity(walker, _AGGREGATES[name], args)
    if name == "in_list":
        value = walker.value(args["value"])
        return columns.in_list(_text(args["name"]), value)
    if name == "has_label":
        return columns.has_label(EntityKind(_text(args["kind"])), _text(args["label"]))
    if name == "score":
        return columns.score(_text(args["model"]))
    if name == "enrich":
        return columns.enrich(_text(args["field"]))
    raise NotVectorized(f"the signal function {name!r}")


def _velocity(walker: Walker, aggregate: Aggregate, args: dict[str, ast.expr]) -> Value:
    key = _field(args["key"])
    of = _field(args["of"]) if "of" in args else None
    event_type = _text(args["event_type"]) if "event_type" in args else None
    spec = VelocitySpec(key, parse_window(_text(args["window"])), event_type, aggregate, of)
    if spec not in walker.compiled.needs.velocity:
        raise NotVectorized(f"{spec.label()} is not among the rule's needs")
    column = walker.columns.velocity(spec)
    kind = Kind.FLOAT if aggregate is Aggregate.SUM else Kind.INT
    zero = pl.lit(0.0 if kind is Kind.FLOAT else 0)
    return Value(column.expr.fill_null(zero), kind, column.unsure)
