"""Function calls in rules: the pure functions of `functions`, and the signal functions.

Pure functions with constant arguments are folded at compile time; with schemas, each argument's
kind is checked against what the function takes.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from garrison.domain.language.checks import argument_problem, membership_problem
from garrison.domain.language.functions import FUNCTIONS, ORDERABLE, Function
from garrison.domain.language.schemas import did_you_mean
from garrison.domain.language.signalcalls import SIGNAL_FUNCTIONS, compile_signal
from garrison.domain.language.terms import Fn, Term, constant_term
from garrison.domain.language.valuetypes import ANY, NONE, Kinds

if TYPE_CHECKING:
    from garrison.domain.language.compile import ExpressionCompiler

KNOWN = (*SIGNAL_FUNCTIONS, *FUNCTIONS)
"""Every function a rule may call, in the order error messages list them."""


def compile_call(compiler: ExpressionCompiler, node: ast.Call, depth: int) -> Term:
    func = node.func
    if isinstance(func, ast.Attribute):
        reason = "methods cannot be called in rules; use a function, like lower(x)"
        raise compiler.error(func.value, reason, end=True)
    if not isinstance(func, ast.Name):
        raise compiler.error(func, "only the rule language's functions may be called")
    if func.id in SIGNAL_FUNCTIONS:
        return compile_signal(compiler, node, SIGNAL_FUNCTIONS[func.id], depth)
    function = FUNCTIONS.get(func.id)
    if function is None:
        hint = did_you_mean(func.id, KNOWN)
        reason = f"unknown function {func.id!r}{hint} (known: {', '.join(KNOWN)})"
        raise compiler.error(func, reason)
    if node.keywords:
        raise compiler.error(node.keywords[0], f"{func.id}() takes no keyword arguments")
    count = len(node.args)
    most = function.max_args
    if count < function.min_args or (most is not None and count > most):
        wanted = _arity(function.min_args, most)
        raise compiler.error(node, f"{func.id}() takes {wanted}, got {count}")
    terms = tuple(compiler.term(arg, depth) for arg in node.args)
    if compiler.scope is not None:
        _check_arguments(compiler, function, node, terms)
    return _apply(function, terms)


def _check_arguments(
    compiler: ExpressionCompiler, function: Function, node: ast.Call, terms: tuple[Term, ...]
) -> None:
    for position, (arg, term) in enumerate(zip(node.args, terms, strict=True)):
        problem = argument_problem(
            function.name, position + 1, function.wanted(position), term.kinds
        )
        if problem:
            compiler.problem(arg, f"type error: {problem}")
    problem = None
    if function.name == "contains":
        problem = membership_problem(terms[1].kinds, terms[0].kinds)
    elif function.returns is None and len(terms) > 1 and not _comparable(terms):
        problem = f"{function.name}() compares values of one kind: numbers, texts or lists"
    if problem:
        compiler.problem(node, f"type error: {problem}")


def _comparable(terms: tuple[Term, ...]) -> bool:
    return any(all(kind in term.kinds for term in terms) for kind in ORDERABLE)


def _apply(function: Function, terms: tuple[Term, ...]) -> Term:
    apply = function.apply
    kinds = _returns(function, terms)
    if all(term.constant for term in terms):
        value = apply(*[term.value for term in terms])
        return constant_term(value)
    fns = tuple(term.fn for term in terms)
    if len(terms) == 2 and terms[1].constant:
        return Term(_with_constant(function, terms[0], terms[1].value), kinds=kinds)
    if len(fns) == 1:
        return Term(_of_one(apply, terms[0]), kinds=kinds)
    if len(fns) == 2:
        first, second = fns
        return Term(lambda ctx: apply(first(ctx), second(ctx)), kinds=kinds)
    return Term(lambda ctx: apply(*[fn(ctx) for fn in fns]), kinds=kinds)


def _of_one(apply: Callable[[Any], Any], term: Term) -> Fn:
    """`f(x)`; `f(attr.name)` reads the attribute in the same closure."""
    name, read = term.reads_attr, term.fn
    if name is not None:
        return lambda ctx: apply(ctx.event.attributes.get(name))
    return lambda ctx: apply(read(ctx))


def _with_constant(function: Function, term: Term, constant: Any) -> Fn:
    """`f(x, constant)`: the constant bound once (and prepared, where the function can)."""
    if function.bind_last is not None:
        return _of_one(function.bind_last(constant), term)
    apply, read = function.apply, term.fn
    return lambda ctx: apply(read(ctx), constant)


def _returns(function: Function, terms: tuple[Term, ...]) -> Kinds:
    if function.returns is not None:
        return function.returns
    if len(terms) == 1:
        return ANY
    return frozenset().union(*(term.kinds for term in terms)) - {NONE}


def _arity(least: int, most: int | None) -> str:
    plural = "argument" if (most or least) == 1 else "arguments"
    if most is None:
        return f"at least {least} {plural}"
    return f"{least} {plural}" if most == least else f"{least} or {most} {plural}"
