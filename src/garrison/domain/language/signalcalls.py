"""Signal functions: what a rule reads besides the event (velocity, lists, labels, scores and
enrichment). Their arguments are constants, so every signal a rule reads is known at compile
time and recorded in its `Needs`; at run time each is one dictionary lookup.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from garrison.domain.entities import EntityKind
from garrison.domain.language.arguments import entity_kind, text
from garrison.domain.language.enrichment import ENRICHMENT
from garrison.domain.language.schemas import did_you_mean
from garrison.domain.language.terms import Term
from garrison.domain.language.valuetypes import BOOLEAN, NUMBER, Kinds
from garrison.domain.language.velocitycalls import velocity_term
from garrison.domain.rules import EvalContext
from garrison.domain.signals import Aggregate

if TYPE_CHECKING:
    from garrison.domain.language.checks import Scope
    from garrison.domain.language.compile import ExpressionCompiler

Args = dict[str, ast.expr]
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:\-]*")
_NO_LABELS: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class SignalFunction:
    """A signal function: its parameters (the first `required` must be given), what it gives,
    which `Needs` field it adds to, and its documentation."""

    name: str
    params: tuple[str, ...]
    required: int
    returns: Kinds
    reads: str
    doc: str
    example: str
    build: Callable[[ExpressionCompiler, ast.Call, Args, int], Term]

    @property
    def signature(self) -> str:
        shown = [p if i < self.required else f"{p}=None" for i, p in enumerate(self.params)]
        return f"{self.name}({', '.join(shown)})"


def compile_signal(
    compiler: ExpressionCompiler, node: ast.Call, function: SignalFunction, depth: int
) -> Term:
    return function.build(compiler, node, _bind(compiler, node, function), depth)


def _bind(compiler: ExpressionCompiler, node: ast.Call, function: SignalFunction) -> Args:
    """Positional, then keyword arguments by parameter name; a missing optional one is absent."""
    params = function.params
    usage = f"{function.name}() takes ({', '.join(params)})"
    if len(node.args) > len(params):
        raise compiler.error(node, f"{usage}, got {len(node.args)}")
    args = dict(zip(params, node.args, strict=False))
    for keyword in node.keywords:
        if keyword.arg in args:
            raise compiler.error(keyword, f"{function.name}() got {keyword.arg!r} twice")
        if keyword.arg not in params:
            raise compiler.error(keyword, usage)
        args[keyword.arg] = keyword.value
    given = len(node.args) + len(node.keywords)
    if any(name not in args for name in params[: function.required]):
        raise compiler.error(node, f"{usage}, got {given}")
    optional = params[function.required :]
    return {k: v for k, v in args.items() if not (k in optional and _is_none(v))}


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _count(compiler: ExpressionCompiler, node: ast.Call, args: Args, depth: int) -> Term:
    return velocity_term(compiler, node, args, Aggregate.COUNT)


def _distinct(compiler: ExpressionCompiler, node: ast.Call, args: Args, depth: int) -> Term:
    return velocity_term(compiler, node, args, Aggregate.DISTINCT)


def _total(compiler: ExpressionCompiler, node: ast.Call, args: Args, depth: int) -> Term:
    return velocity_term(compiler, node, args, Aggregate.SUM)


def _in_list(compiler: ExpressionCompiler, node: ast.Call, args: Args, depth: int) -> Term:
    name = _name(compiler, args["name"], "name")
    value_node = args["value"]
    value = compiler.term(value_node, depth).fn

    def read(ctx: EvalContext) -> bool:
        matcher = ctx.lists.get(name)
        if matcher is None:
            return False
        found = value(ctx)
        return found is not None and matcher.contains(found)

    compiler.reads.lists.add(name)
    return compiler.signal(f"in_list({name}, {ast.unparse(value_node)})", read, BOOLEAN)


def _has_label(compiler: ExpressionCompiler, node: ast.Call, args: Args, depth: int) -> Term:
    kind = entity_kind(compiler, args["kind"])
    label = _name(compiler, args["label"], "label")
    scope = compiler.scope
    if scope is not None and not scope.schemas.has_entity(scope.visible, kind):
        reason = f"{scope.describe_events()} have no {kind} entity: has_label() is always False"
        compiler.problem(args["kind"], reason)

    def read(ctx: EvalContext) -> bool:
        return label in ctx.labels.get(kind, _NO_LABELS)

    compiler.reads.labels.add(kind)
    return compiler.signal(f"has_label({kind}, {label})", read, BOOLEAN)


def _score(compiler: ExpressionCompiler, node: ast.Call, args: Args, depth: int) -> Term:
    model = _name(compiler, args["model"], "model")

    def read(ctx: EvalContext) -> Any:
        return ctx.scores.get(model)

    compiler.reads.models.add(model)
    return compiler.signal(f"score({model})", read, NUMBER)


def _enrich(compiler: ExpressionCompiler, node: ast.Call, args: Args, depth: int) -> Term:
    name = text(compiler, args["field"], "field")
    field = ENRICHMENT.get(name)
    if field is None:
        hint = did_you_mean(name, ENRICHMENT)
        reason = f"unknown enrichment field {name!r}{hint} (known: {', '.join(ENRICHMENT)})"
        raise compiler.error(args["field"], reason)
    scope = compiler.scope
    if scope is not None and not _carries(scope, field.entity):
        reason = f"{scope.describe_events()} have no {field.entity} entity: {name} is always None"
        compiler.problem(args["field"], reason)

    def read(ctx: EvalContext) -> Any:
        return ctx.enrichment.get(name)

    compiler.reads.enrichment.add(name)
    return compiler.signal(f"enrich({name})", read, field.type.kinds)


def _carries(scope: Scope, kind: EntityKind) -> bool:
    """Whether the events in scope name an entity of this kind (or an attribute so named)."""
    schemas = scope.schemas
    return schemas.has_entity(scope.visible, kind) or (
        schemas.attribute_type(scope.visible, str(kind)) is not None
    )


def _name(compiler: ExpressionCompiler, node: ast.expr, what: str) -> str:
    written = text(compiler, node, what)
    if not _NAME.fullmatch(written):
        reason = f"a {what} is letters, digits and '_', '.', ':' or '-', not {written!r}"
        raise compiler.error(node, reason)
    return written


SIGNAL_FUNCTIONS: dict[str, SignalFunction] = {
    f.name: f
    for f in (
        SignalFunction(
            "count",
            ("key", "window", "event_type"),
            2,
            NUMBER,
            "velocity",
            "events sharing this event's `key` (an entity kind or `attr.NAME`) in the window, "
            "this one included; only events of `event_type` when given. 0 when the event has "
            "no such key.",
            'count("account", "1h", "payment.attempt") >= 5',
            _count,
        ),
        SignalFunction(
            "distinct",
            ("of", "key", "window", "event_type"),
            3,
            NUMBER,
            "velocity",
            "distinct values of `of` among the events sharing this event's `key` in the window "
            "(values compared as text)",
            'distinct("account", "payment_method", "24h") >= 3',
            _distinct,
        ),
        SignalFunction(
            "total",
            ("of", "key", "window", "event_type"),
            3,
            NUMBER,
            "velocity",
            "sum of the numeric attribute `of` (`attr.NAME`) over the events sharing this "
            "event's `key` in the window",
            'total("attr.cost_usd", "org", "1h", "api.usage") > 500',
            _total,
        ),
        SignalFunction(
            "in_list",
            ("name", "value"),
            2,
            BOOLEAN,
            "lists",
            "whether the managed list `name` holds the value (False when the list does not "
            "exist or the value is missing)",
            'in_list("disposable_email_domains", attr.email_domain)',
            _in_list,
        ),
        SignalFunction(
            "has_label",
            ("kind", "label"),
            2,
            BOOLEAN,
            "labels",
            "whether the event's entity of this kind carries the active label",
            'has_label("account", "trusted")',
            _has_label,
        ),
        SignalFunction(
            "score",
            ("model",),
            1,
            NUMBER,
            "models",
            "the model's score for this event (None when it was not scored)",
            'score("fraud_v2") >= 0.9',
            _score,
        ),
        SignalFunction(
            "enrich",
            ("field",),
            1,
            frozenset(),
            "enrichment",
            "an enrichment field of one of the event's entities (None when unknown); the "
            "fields are listed below",
            'enrich("ip.datacenter") == True',
            _enrich,
        ),
    )
}
