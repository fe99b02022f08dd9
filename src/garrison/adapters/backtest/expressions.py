"""A rule's expression tree to one Polars expression, node for node as the real-time compiler.

The rule is compiled by the language first (so it is checked and its `Needs` known); this walk
re-reads the same `ast` tree and builds columns instead of closures. Constant sub-expressions are
folded in Python with the language's own operators and functions, so they cannot drift. Whatever
has no exact column form raises `NotVectorized`, and the engine runs that rule row by row with
the real-time closure.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any, Protocol

import polars as pl

from garrison.adapters.backtest import operators as col
from garrison.adapters.backtest.calls import compile_call
from garrison.adapters.backtest.values import (
    Constant,
    Kind,
    NotVectorized,
    Term,
    Value,
    as_value,
    cast,
    either,
    truthy,
    unify,
    unsure_of,
)
from garrison.domain.entities import EntityKind
from garrison.domain.language import operators as op
from garrison.domain.language.errors import SourceMap
from garrison.domain.language.parse import parse_expression
from garrison.domain.rules import CompiledRule
from garrison.domain.signals import VelocitySpec

Binary = Callable[[Value, Value], Value]


class Columns(Protocol):
    """What a rule may read, as columns of the event frame (see `frame.EventFrame`)."""

    def event_type(self) -> Value: ...
    def attr(self, name: str) -> Value: ...
    def entity(self, kind: EntityKind) -> Value: ...
    def velocity(self, spec: VelocitySpec) -> Value:
        """The aggregate of `spec` for each event; null where the event lacks the key."""
        ...

    def in_list(self, name: str, value: Value) -> Value: ...
    def has_label(self, kind: EntityKind, label: str) -> Value: ...
    def score(self, model: str) -> Value: ...
    def enrich(self, field: str) -> Value: ...


_ARITHMETIC: dict[type[ast.operator], tuple[Callable[[Any, Any], Any], Binary]] = {
    ast.Add: (op.add, col.add),
    ast.Sub: (op.sub, col.subtract),
    ast.Mult: (op.mul, col.multiply),
    ast.Div: (op.div, col.divide),
    ast.Mod: (op.mod, col.modulo),
}
_FOLD_COMPARE: dict[type[ast.cmpop], op.Predicate] = {
    ast.Eq: op.EQ,
    ast.NotEq: op.NE,
    ast.Lt: op.LT,
    ast.LtE: op.LE,
    ast.Gt: op.GT,
    ast.GtE: op.GE,
    ast.In: op.is_in,
    ast.NotIn: op.not_in,
    ast.Is: op.is_,
    ast.IsNot: op.is_not,
}
_ORDER_SYMBOL: dict[type[ast.cmpop], str] = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}


def rule_expression(compiled: CompiledRule, columns: Columns) -> tuple[pl.Expr, pl.Expr | None]:
    """(fires, unsure) for `compiled`: fires is a never-null boolean column; unsure marks rows
    to evaluate again with the real-time closure (None: no such rows). NotVectorized if the rule
    has no column form."""
    rule = compiled.rule
    parsed = parse_expression(rule.when, SourceMap.of_text(rule.when, f"<rule {rule.name}>"))
    walker = Walker(columns, compiled)
    term = walker.term(parsed.tree.body)
    value = as_value(term)
    return truthy(value), value.unsure


class Walker:
    """One walk over one rule's tree against one frame's columns."""

    def __init__(self, columns: Columns, compiled: CompiledRule) -> None:
        self.columns = columns
        self.compiled = compiled

    def term(self, node: ast.expr) -> Term:
        handler = _HANDLERS.get(type(node))
        if handler is None:
            raise NotVectorized(f"{type(node).__name__} nodes")
        return handler(self, node)

    def value(self, node: ast.expr) -> Value:
        return as_value(self.term(node))

    def constant(self, node: ast.Constant) -> Term:
        return Constant(node.value)

    def name(self, node: ast.Name) -> Term:
        if node.id == "type":
            return self.columns.event_type()
        raise NotVectorized(f"the name {node.id!r}")

    def attribute(self, node: ast.Attribute) -> Term:
        base = node.value
        if isinstance(base, ast.Name) and base.id == "attr":
            return self.columns.attr(node.attr)
        if isinstance(base, ast.Name) and base.id == "entity":
            return self.columns.entity(EntityKind(node.attr))
        raise NotVectorized("an attribute read")

    def subscript(self, node: ast.Subscript) -> Term:
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return self.columns.attr(key.value)
        raise NotVectorized("a subscript")

    def sequence(self, node: ast.List | ast.Tuple | ast.Set) -> Term:
        values = []
        for element in node.elts:
            term = self.term(element)
            if not isinstance(term, Constant):
                raise NotVectorized("a list with non-constant elements")
            values.append(term.value)
        if isinstance(node, ast.Set):
            return Constant(frozenset(values))
        return Constant(tuple(values) if isinstance(node, ast.Tuple) else values)

    def unaryop(self, node: ast.UnaryOp) -> Term:
        operand = self.term(node.operand)
        if isinstance(node.op, ast.Not):
            if isinstance(operand, Constant):
                return Constant(not operand.value)
            inner = as_value(operand)
            return Value(~truthy(inner), Kind.BOOL, inner.unsure, boolean=True)
        negative = isinstance(node.op, ast.USub)
        if isinstance(operand, Constant):
            return Constant(op.neg(operand.value) if negative else op.pos(operand.value))
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise NotVectorized("a unary operator")
        return col.negate(operand) if negative else col.plus(operand)

    def binop(self, node: ast.BinOp) -> Term:
        pair = _ARITHMETIC.get(type(node.op))
        if pair is None:
            raise NotVectorized("an operator")
        fold, build = pair
        left, right = self.term(node.left), self.term(node.right)
        if isinstance(left, Constant) and isinstance(right, Constant):
            return Constant(fold(left.value, right.value))
        return build(as_value(left), as_value(right))

    def boolop(self, node: ast.BoolOp) -> Term:
        values = [self.value(operand) for operand in node.values]
        conjunction = isinstance(node.op, ast.And)
        if all(value.boolean for value in values):
            combined = values[0].expr
            for value in values[1:]:
                combined = combined & value.expr if conjunction else combined | value.expr
            return Value(combined, Kind.BOOL, unsure_of(*values), boolean=True)
        kind = unify(values)
        result: Any = pl
        for value in values[:-1]:
            stop = ~truthy(value) if conjunction else truthy(value)
            result = result.when(stop).then(cast(value, kind))
        last = cast(values[-1], kind)
        expr = last if result is pl else result.otherwise(last)
        return Value(expr, kind, unsure_of(*values))

    def ifexp(self, node: ast.IfExp) -> Term:
        test = self.term(node.test)
        if isinstance(test, Constant):
            return self.term(node.body if test.value else node.orelse)
        condition = as_value(test)
        body, orelse = self.value(node.body), self.value(node.orelse)
        kind = unify([body, orelse])
        expr = pl.when(truthy(condition)).then(cast(body, kind)).otherwise(cast(orelse, kind))
        return Value(expr, kind, unsure_of(condition, body, orelse))

    def compare(self, node: ast.Compare) -> Term:
        operands = [self.term(operand) for operand in (node.left, *node.comparators)]
        if all(isinstance(operand, Constant) for operand in operands):
            return Constant(_fold_chain(node.ops, operands))
        links = [
            _compare(cmp, operands[index], operands[index + 1])
            for index, cmp in enumerate(node.ops)
        ]
        combined = links[0].expr
        for link in links[1:]:
            combined = combined & link.expr
        return Value(combined, Kind.BOOL, either(*(link.unsure for link in links)), boolean=True)

    def call(self, node: ast.Call) -> Term:
        return compile_call(self, node)


def _fold_chain(ops: list[ast.cmpop], operands: list[Term]) -> bool:
    values = [operand.value for operand in operands if isinstance(operand, Constant)]
    if (
        len(ops) == 1
        and isinstance(values[1], (list, tuple))
        and type(ops[0])
        in (
            ast.In,
            ast.NotIn,
        )
    ):
        values[1] = frozenset(values[1])
    return all(
        _FOLD_COMPARE[type(cmp)](values[index], values[index + 1]) for index, cmp in enumerate(ops)
    )


def _compare(cmp: ast.cmpop, left: Term, right: Term) -> Value:
    if isinstance(cmp, (ast.In, ast.NotIn)):
        return col.membership(as_value(left), right, negate=isinstance(cmp, ast.NotIn))
    a, b = as_value(left), as_value(right)
    if isinstance(cmp, (ast.Is, ast.IsNot)):
        return col.is_none(a, negate=isinstance(cmp, ast.IsNot))
    if isinstance(cmp, ast.Eq):
        return col.equal(a, b)
    if isinstance(cmp, ast.NotEq):
        return col.not_equal(a, b)
    return col.ordering(_ORDER_SYMBOL[type(cmp)], a, b)


_HANDLERS: dict[type[ast.AST], Callable[[Walker, Any], Term]] = {
    ast.Constant: Walker.constant,
    ast.Name: Walker.name,
    ast.Attribute: Walker.attribute,
    ast.Subscript: Walker.subscript,
    ast.BoolOp: Walker.boolop,
    ast.UnaryOp: Walker.unaryop,
    ast.BinOp: Walker.binop,
    ast.Compare: Walker.compare,
    ast.IfExp: Walker.ifexp,
    ast.List: Walker.sequence,
    ast.Tuple: Walker.sequence,
    ast.Set: Walker.sequence,
    ast.Call: Walker.call,
}
