"""`count`, `distinct` and `total`: velocity aggregates over the events sharing a key.

Each call is one `VelocitySpec`; at run time it reads `ctx.velocity[spec]`, or 0 when the event
has no value for the key (it shares the key with nothing). With schemas, the key and the measured
field must exist on the event types involved, and `total` must add up a numeric attribute.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from garrison.domain.entities import EntityKind
from garrison.domain.language.arguments import field_ref, text, window
from garrison.domain.language.schemas import EventSchemas
from garrison.domain.language.terms import Term
from garrison.domain.language.valuetypes import NUM, NUMBER, describe
from garrison.domain.rules import EvalContext
from garrison.domain.signals import Aggregate, FieldRef, VelocitySpec

if TYPE_CHECKING:
    from garrison.domain.language.compile import ExpressionCompiler

FUNCTION_NAMES = {Aggregate.COUNT: "count", Aggregate.DISTINCT: "distinct", Aggregate.SUM: "total"}


def velocity_term(
    compiler: ExpressionCompiler, node: ast.Call, args: dict[str, ast.expr], aggregate: Aggregate
) -> Term:
    name = FUNCTION_NAMES[aggregate]
    key = field_ref(compiler, args["key"], "key")
    of = field_ref(compiler, args["of"], "of") if "of" in args else None
    if aggregate is Aggregate.SUM and of is not None and of.source != FieldRef.ATTR:
        reason = f'total() adds up a numeric attribute, like "attr.cost_usd", not {str(of)!r}'
        raise compiler.error(args["of"], reason)
    seconds = window(compiler, args["window"])
    event_type = text(compiler, args["event_type"], "event type") if "event_type" in args else None
    spec = VelocitySpec(key, seconds, event_type, aggregate, of)
    spec = compiler.interned.setdefault(spec, spec)
    if compiler.scope is not None:
        _check(compiler, args, spec, name)
    compiler.reads.velocity.add(spec)
    return compiler.signal(spec.label(), reader(spec), NUMBER)


def reader(spec: VelocitySpec) -> Any:
    """The closure reading `spec`: 0 when the event has no value for its key."""
    key = spec.key
    if key.source == FieldRef.ENTITY:
        kind = EntityKind(key.name)

        def read_entity_keyed(ctx: EvalContext) -> float:
            return ctx.velocity.get(spec, 0) if kind in ctx.event.entities else 0

        return read_entity_keyed
    name = key.name

    def read_attribute_keyed(ctx: EvalContext) -> float:
        return ctx.velocity.get(spec, 0) if ctx.event.attributes.get(name) is not None else 0

    return read_attribute_keyed


def _check(
    compiler: ExpressionCompiler, args: dict[str, ast.expr], spec: VelocitySpec, name: str
) -> None:
    scope = compiler.scope
    assert scope is not None
    schemas = scope.schemas
    counted: frozenset[str] | None = None
    if spec.event_type is not None:
        if spec.event_type in schemas.events:
            counted = frozenset({spec.event_type})
        else:
            hint = schemas.suggest_type(spec.event_type)
            compiler.problem(args["event_type"], f"unknown event type {spec.event_type!r}{hint}")
    for param, ref in (("key", spec.key), ("of", spec.of)):
        if ref is not None and counted is not None and not has_field(schemas, counted, ref):
            reason = f"{spec.event_type} events have no {ref}: {name}() is always 0"
            compiler.problem(args[param], reason)
            return
    if not has_field(schemas, scope.visible, spec.key):
        reason = f"{scope.describe_events()} have no {spec.key}: {name}() is always 0"
        compiler.problem(args["key"], reason)
    if spec.aggregate is Aggregate.SUM and spec.of is not None:
        declared = schemas.attribute_type(counted, spec.of.name)
        if declared is not None and NUM not in declared.kinds:
            reason = f"total() adds up numbers, but {spec.of} is {describe(declared.kinds)}"
            compiler.problem(args["of"], reason)


def has_field(schemas: EventSchemas, event_types: frozenset[str] | None, ref: FieldRef) -> bool:
    if ref.source == FieldRef.ENTITY:
        return schemas.has_entity(event_types, EntityKind(ref.name))
    return schemas.attribute_type(event_types, ref.name) is not None
