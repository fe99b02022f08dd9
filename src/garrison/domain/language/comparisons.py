"""Arithmetic and comparisons: their closures, constant folding and, with schemas, type checks.

Type errors are comparisons and sums that can only give one answer whatever the event holds: a
text ordered against a number, a bool compared with a text, `in` against a number, `-` on a text.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from garrison.domain.language import operators as op
from garrison.domain.language import shapes
from garrison.domain.language.checks import (
    arithmetic,
    equality_problem,
    membership_problem,
    ordering_problem,
    type_names,
)
from garrison.domain.language.terms import Fn, Term, chain, compare_with, constant_term
from garrison.domain.language.valuetypes import BOOLEAN
from garrison.domain.rules import EvalContext

if TYPE_CHECKING:
    from garrison.domain.language.compile import ExpressionCompiler

_ARITHMETIC: dict[type[ast.operator], tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Add: ("+", op.add),
    ast.Sub: ("-", op.sub),
    ast.Mult: ("*", op.mul),
    ast.Div: ("/", op.div),
    ast.Mod: ("%", op.mod),
}
_SYMBOLS: dict[type[ast.operator], str] = {
    ast.Pow: "**",
    ast.FloorDiv: "//",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
    ast.MatMult: "@",
}
_PREDICATES: dict[type[ast.cmpop], op.Predicate] = {
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
_ORDERINGS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


def compile_binop(compiler: ExpressionCompiler, node: ast.BinOp, depth: int) -> Term:
    known = _ARITHMETIC.get(type(node.op))
    if known is None:
        symbol = _SYMBOLS.get(type(node.op), type(node.op).__name__)
        line, col = compiler.parsed.between(node.left, node.right, symbol)
        reason = f"'{symbol}' is not allowed in rules"
        raise compiler.parsed.source.error(reason, line, col, length=len(symbol))
    symbol, apply = known
    left, right = compiler.term(node.left, depth), compiler.term(node.right, depth)
    kinds, problem = arithmetic(symbol, left.kinds, right.kinds)
    if problem and compiler.scope is not None:
        compiler.problem(node, f"type error: {problem}")
    elif left.constant and right.constant:
        return constant_term(apply(left.value, right.value))
    lf, rf = left.fn, right.fn
    inline = shapes.arithmetic_with_number(apply, left, right.value) if right.constant else None
    if inline is not None:
        return Term(inline, kinds=kinds)
    return Term(lambda ctx: apply(lf(ctx), rf(ctx)), kinds=kinds)


def compile_compare(compiler: ExpressionCompiler, node: ast.Compare, depth: int) -> Term:
    operands = (node.left, *node.comparators)
    for index, cmp in enumerate(node.ops):
        right = operands[index + 1]
        none = isinstance(right, ast.Constant) and right.value is None
        if isinstance(cmp, (ast.Is, ast.IsNot)) and not none:
            line, col = compiler.parsed.between(operands[index], right, "is")
            reason = "'is' only compares with None; use == to compare values"
            raise compiler.parsed.source.error(reason, line, col, length=2)
    terms = tuple(compiler.term(operand, depth) for operand in operands)
    if compiler.scope is not None:
        _check(compiler, node, terms)
    predicates = tuple(_PREDICATES[type(cmp)] for cmp in node.ops)
    fn: Fn
    if len(predicates) == 1:
        fn = compare_with(predicates[0], terms[0], terms[1])
    else:
        fn = chain(predicates, tuple(term.fn for term in terms))
    if all(term.constant for term in terms):
        return constant_term(bool(fn(cast(EvalContext, None))))
    return Term(fn, boolean=True, kinds=BOOLEAN)


def _check(compiler: ExpressionCompiler, node: ast.Compare, terms: tuple[Term, ...]) -> None:
    operands = (node.left, *node.comparators)
    for index, cmp in enumerate(node.ops):
        left_node, right_node = operands[index], operands[index + 1]
        left, right = terms[index], terms[index + 1]
        _check_event_types(compiler, left_node, cmp, right_node)
        problem: str | None = None
        if isinstance(cmp, (ast.Eq, ast.NotEq)):
            problem = equality_problem(isinstance(cmp, ast.Eq), left.kinds, right.kinds)
        elif isinstance(cmp, (ast.In, ast.NotIn)):
            problem = membership_problem(left.kinds, right.kinds)
        elif isinstance(cmp, _ORDERINGS):
            problem = ordering_problem(left.kinds, right.kinds)
        if problem:
            compiler.problem(_pair(left_node, cmp, right_node), f"type error: {problem}")


def _check_event_types(
    compiler: ExpressionCompiler, left: ast.expr, cmp: ast.cmpop, right: ast.expr
) -> None:
    """`type == "x"` and `type in [...]` name declared event types."""
    if isinstance(cmp, (ast.Eq, ast.NotEq)) and _is_type(right):
        left, right = right, left
    if not _is_type(left) or not isinstance(cmp, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)):
        return
    if type_names(right) is None:
        return
    assert compiler.scope is not None
    schemas = compiler.scope.schemas
    elements = right.elts if isinstance(right, (ast.List, ast.Tuple, ast.Set)) else [right]
    for element in elements:
        assert isinstance(element, ast.Constant) and isinstance(element.value, str)
        if element.value not in schemas.events:
            hint = schemas.suggest_type(element.value)
            compiler.problem(element, f"unknown event type {element.value!r}{hint}")


def _is_type(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "type"


def _pair(left: ast.expr, cmp: ast.cmpop, right: ast.expr) -> ast.expr:
    """One comparison of a chain, placed from its left operand to its right one."""
    pair = ast.Compare(left=left, ops=[cmp], comparators=[right])
    pair.lineno, pair.col_offset = left.lineno, left.col_offset
    pair.end_lineno, pair.end_col_offset = right.end_lineno, right.end_col_offset
    return pair
