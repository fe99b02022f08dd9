"""Function calls in rules: the pure functions of `functions`, and `count`, the velocity read."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from garrison.domain.entities import EntityKind
from garrison.domain.errors import InvalidInput
from garrison.domain.language.durations import format_window, parse_window
from garrison.domain.language.functions import FUNCTIONS
from garrison.domain.language.terms import Term
from garrison.domain.rules import EvalContext
from garrison.domain.signals import FieldRef, VelocitySpec

if TYPE_CHECKING:
    from garrison.domain.language.compile import ExpressionCompiler

_EXAMPLES = {"entity kind": '"account"', "window": '"1h"', "event type": '"api.usage"'}


def compile_call(compiler: ExpressionCompiler, node: ast.Call, depth: int) -> Term:
    func = node.func
    if isinstance(func, ast.Attribute):
        reason = "methods cannot be called in rules; use a function, like lower(x)"
        raise compiler.error(func.value, reason, end=True)
    if not isinstance(func, ast.Name):
        raise compiler.error(func, "only the rule language's functions may be called")
    if func.id == "count":
        return _count(compiler, node)
    function = FUNCTIONS.get(func.id)
    if function is None:
        known = ", ".join(["count", *FUNCTIONS])
        raise compiler.error(func, f"unknown function {func.id!r} (known: {known})")
    if node.keywords:
        raise compiler.error(node.keywords[0], f"{func.id}() takes no keyword arguments")
    count = len(node.args)
    most = function.max_args
    if count < function.min_args or (most is not None and count > most):
        wanted = _arity(function.min_args, most)
        raise compiler.error(node, f"{func.id}() takes {wanted}, got {count}")
    fns = tuple(compiler.term(arg, depth).fn for arg in node.args)
    apply = function.apply
    if len(fns) == 1:
        (only,) = fns
        return Term(lambda ctx: apply(only(ctx)))
    if len(fns) == 2:
        first, second = fns
        return Term(lambda ctx: apply(first(ctx), second(ctx)))
    return Term(lambda ctx: apply(*[fn(ctx) for fn in fns]))


def _arity(least: int, most: int | None) -> str:
    plural = "argument" if (most or least) == 1 else "arguments"
    if most is None:
        return f"at least {least} {plural}"
    return f"{least} {plural}" if most == least else f"{least} or {most} {plural}"


def _count(compiler: ExpressionCompiler, node: ast.Call) -> Term:
    """`count(kind, window, event_type=None)`: events naming this event's entity in the window."""
    args: list[ast.expr] = list(node.args)
    for keyword in node.keywords:
        if keyword.arg != "event_type" or len(args) != 2:
            raise compiler.error(keyword, "count() takes (kind, window, event_type)")
        args.append(keyword.value)
    if not 2 <= len(args) <= 3:
        raise compiler.error(node, f"count() takes (kind, window, event_type), got {len(args)}")
    kind_text = _string(compiler, args[0], "entity kind")
    try:
        kind = EntityKind(kind_text)
    except ValueError:
        known = ", ".join(k.value for k in EntityKind)
        reason = f"unknown entity kind {kind_text!r} (known: {known})"
        raise compiler.error(args[0], reason) from None
    seconds, window = _window(compiler, args[1])
    none = len(args) == 2 or (isinstance(args[2], ast.Constant) and args[2].value is None)
    event_type = None if none else _string(compiler, args[2], "event type")
    spec = VelocitySpec(FieldRef.entity(kind), seconds, event_type)

    def read(ctx: EvalContext) -> Any:
        if kind not in ctx.event.entities:
            return 0
        return ctx.velocity.get(spec, 0)

    label = ", ".join([str(kind), window] + ([event_type] if event_type else []))
    compiler.velocity.add(spec)
    compiler.named.setdefault(f"count({label})", read)
    return Term(read)


def _string(compiler: ExpressionCompiler, node: ast.expr, what: str) -> str:
    """A compile-time text argument: `count`'s kind, window and event type."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
        return node.value
    raise compiler.error(node, f"the {what} must be a quoted string, like {_EXAMPLES[what]}")


def _window(compiler: ExpressionCompiler, node: ast.expr) -> tuple[int, str]:
    text = _string(compiler, node, "window")
    try:
        seconds = parse_window(text)
    except InvalidInput as exc:
        raise compiler.error(node, exc.message) from None
    return seconds, format_window(seconds)
