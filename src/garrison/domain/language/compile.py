"""Rule expressions to closures: a whitelist walk over the `ast` tree, never eval or exec.

Each node becomes a small closure over the evaluation context; nested, they evaluate a typical
rule in about a microsecond. Anything the walk does not know is refused with its line and column.
Given event schemas, the walk also checks fields, types and rules that can never fire; those
problems are collected, so one compile reports them all.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from garrison.domain.entities import EntityKind
from garrison.domain.errors import InvalidInput
from garrison.domain.events import JsonValue
from garrison.domain.language import operators as op
from garrison.domain.language.calls import KNOWN, compile_call
from garrison.domain.language.checks import Scope, scope_of, unary_problem
from garrison.domain.language.comparisons import compile_binop, compile_compare
from garrison.domain.language.errors import RuleError, SourceMap
from garrison.domain.language.narrowing import event_types, without_type_conditions
from garrison.domain.language.parse import Parsed, parse_expression
from garrison.domain.language.reads import Reads
from garrison.domain.language.schemas import EventSchemas, did_you_mean
from garrison.domain.language.terms import Fn, Term, all_of, any_of, constant_term
from garrison.domain.language.valuetypes import ANY, BOOLEAN, NUMBER, TEXT, Kinds
from garrison.domain.rules import CompiledRule, EvalContext, Rule
from garrison.domain.signals import VelocitySpec

MAX_DEPTH = 100
Part = tuple[ast.expr, Term]
"""One top-level `and` part of a condition, with its compiled term."""
Interned = dict[VelocitySpec, VelocitySpec]
"""Velocity specs by themselves: equal specs of several rules become one object."""
NAMES = ("type", "attr", "entity")

_REFUSED: dict[type[ast.AST], str] = {
    ast.Lambda: "'lambda' is not allowed in rules",
    ast.ListComp: "list comprehensions are not allowed in rules",
    ast.SetComp: "set comprehensions are not allowed in rules",
    ast.DictComp: "dict comprehensions are not allowed in rules",
    ast.GeneratorExp: "generator expressions are not allowed in rules",
    ast.NamedExpr: "':=' is not allowed in rules",
    ast.JoinedStr: "f-strings are not allowed in rules",
    ast.Dict: "dict literals are not allowed in rules",
    ast.Await: "'await' is not allowed in rules",
    ast.Yield: "'yield' is not allowed in rules",
    ast.YieldFrom: "'yield' is not allowed in rules",
    ast.Starred: "'*' unpacking is not allowed in rules",
    ast.Slice: "slices are not allowed in rules",
}


def compile_rule(
    rule: Rule,
    *,
    source: SourceMap | None = None,
    schemas: EventSchemas | None = None,
    interned: Interned | None = None,
) -> CompiledRule:
    """Check `rule.when` and build it. Errors are `RuleError`s placed in `source` when given;
    with `schemas`, fields, types and never-firing conditions are checked too. The first error
    (in text order) is raised; `build_rule` gives them all. Rules compiled with one `interned`
    table share their equal velocity specs (one object each: the fastest lookup)."""
    compiled, errors = build_rule(rule, source=source, schemas=schemas, interned=interned)
    if errors:
        raise errors[0]
    assert compiled is not None
    return compiled


def build_rule(
    rule: Rule,
    *,
    source: SourceMap | None = None,
    schemas: EventSchemas | None = None,
    interned: Interned | None = None,
) -> tuple[CompiledRule | None, list[RuleError]]:
    """The compiled rule (None when it cannot be built) and every error found, in text order."""
    if not isinstance(rule.when, str):
        raise InvalidInput("a rule's condition must be text", field="when")
    source = source or SourceMap.of_text(rule.when, f"<rule {rule.name}>", field="when")
    try:
        parsed = parse_expression(rule.when, source)
    except RuleError as error:
        return None, [error]
    body = parsed.tree.body
    scope, contradictions = scope_of(body, schemas) if schemas is not None else (None, [])
    compiler = ExpressionCompiler(parsed, scope, interned)
    for node, reason in contradictions:
        compiler.problem(node, reason)
    try:
        term, parts = compiler.condition(body)
    except RuleError as error:
        return None, sorted([*compiler.problems, error], key=lambda e: e.position)
    if scope is not None and term.falsy and not contradictions:
        compiler.problem(body, "the condition is always false: the rule can never fire")
    if compiler.problems:
        return None, sorted(compiler.problems, key=lambda e: e.position)
    return _compiled(rule, body, term, parts, compiler), []


def _compiled(
    rule: Rule, body: ast.expr, term: Term, parts: list[Part], compiler: ExpressionCompiler
) -> CompiledRule:
    root, named = term.fn, tuple(compiler.named.items())

    def truthy(ctx: EvalContext) -> bool:
        return bool(root(ctx))

    fires = root if term.boolean else truthy

    def inputs(ctx: EvalContext) -> dict[str, JsonValue]:
        return {name: read(ctx) for name, read in named}

    types = event_types(body)
    typed = without_type_conditions(parts) if types is not None else None
    return CompiledRule(rule, fires, inputs, compiler.reads.needs(), types, typed)


def _event_type(ctx: EvalContext) -> str:
    return ctx.event.type


class ExpressionCompiler:
    """One walk over one expression; collects the named inputs, the signals it reads and, with a
    `scope` (schemas given), the problems the static checks find."""

    def __init__(
        self, parsed: Parsed, scope: Scope | None = None, interned: Interned | None = None
    ) -> None:
        self.parsed = parsed
        self.scope = scope
        self.interned: Interned = {} if interned is None else interned
        self.named: dict[str, Fn] = {}
        self.reads = Reads()
        self.problems: list[RuleError] = []

    def error(self, node: ast.expr | ast.keyword, reason: str, *, end: bool = False) -> RuleError:
        return self.parsed.error(node, reason, end=end)

    def problem(self, node: ast.expr, reason: str) -> None:
        """A static-check finding: recorded, and the walk goes on."""
        self.problems.append(self.parsed.error(node, reason))

    def signal(self, label: str, read: Fn, kinds: Kinds) -> Term:
        """A term reading a signal, named `label` among the rule's inputs."""
        read = self.named.setdefault(label, read)
        return Term(read, kinds=kinds, boolean=kinds == BOOLEAN)

    def condition(self, body: ast.expr) -> tuple[Term, list[Part]]:
        """The term of a rule's whole condition, and its top-level `and` parts with theirs."""
        if isinstance(body, ast.BoolOp) and isinstance(body.op, ast.And):
            parts = [(value, self.term(value, 1)) for value in body.values]
            return _joined(body.op, tuple(term for _, term in parts)), parts
        term = self.term(body, 0)
        return term, [(body, term)]

    def term(self, node: ast.expr, depth: int) -> Term:
        if depth > MAX_DEPTH:
            raise self.error(node, "the expression is nested too deeply")
        handler = _HANDLERS.get(type(node))
        if handler is None:
            reason = _REFUSED.get(type(node), f"{type(node).__name__} is not allowed in rules")
            raise self.error(node, reason)
        return handler(self, node, depth + 1)

    def constant(self, node: ast.Constant, depth: int) -> Term:
        value = node.value
        if value is None or isinstance(value, (bool, int, float, str)):
            return constant_term(value)
        kind = "'...'" if value is Ellipsis else f"{type(value).__name__} literals"
        raise self.error(node, f"{kind} are not allowed in rules")

    def name(self, node: ast.Name, depth: int) -> Term:
        if node.id == "type":
            return Term(_event_type, reads_type=True, kinds=TEXT)
        if node.id in ("attr", "entity"):
            raise self.error(node, f"'{node.id}' needs a field, like {node.id}.name")
        if node.id in KNOWN:
            raise self.error(node, f"'{node.id}' is a function: call it, like {node.id}(...)")
        hint = did_you_mean(node.id, NAMES)
        raise self.error(node, f"unknown name {node.id!r}{hint} (known: {', '.join(NAMES)})")

    def attribute(self, node: ast.Attribute, depth: int) -> Term:
        base = node.value
        if isinstance(base, ast.Name) and base.id == "attr":
            return self.attr(node.attr, node)
        if isinstance(base, ast.Name) and base.id == "entity":
            return self.entity(node)
        raise self.error(base, "only attr.<name> and entity.<kind> may be read with '.'", end=True)

    def subscript(self, node: ast.Subscript, depth: int) -> Term:
        base, key = node.value, node.slice
        if not (isinstance(base, ast.Name) and base.id == "attr"):
            raise self.error(base, 'only attr["name"] may be subscripted', end=True)
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            raise self.error(key, 'attr[...] takes a quoted field name, like attr["amount"]')
        return self.attr(key.value, node)

    def attr(self, name: str, node: ast.expr) -> Term:
        def read(ctx: EvalContext) -> Any:
            return ctx.event.attributes.get(name)

        label = f"attr.{name}" if name.isidentifier() else f"attr[{name!r}]"
        self.named.setdefault(label, read)
        return Term(read, reads_attr=name, kinds=self._attribute_kinds(name, node))

    def _attribute_kinds(self, name: str, node: ast.expr) -> Kinds:
        scope = self.scope
        if scope is None:
            return ANY
        declared = scope.schemas.attribute_type(scope.visible, name)
        if declared is not None:
            return declared.kinds
        hint = scope.schemas.suggest_attribute(scope.visible, name)
        if scope.visible is None:
            self.problem(node, f"no event type has an attribute {name!r}{hint}")
        else:
            self.problem(node, f"{scope.describe_events()} have no attribute {name!r}{hint}")
        return ANY

    def entity(self, node: ast.Attribute) -> Term:
        try:
            kind = EntityKind(node.attr)
        except ValueError:
            line, col = self.parsed.position(node, end=True)
            known = ", ".join(k.value for k in EntityKind)
            hint = did_you_mean(node.attr, EntityKind)
            reason = f"unknown entity kind {node.attr!r}{hint} (known: {known})"
            at = col - len(node.attr)
            raise self.parsed.source.error(reason, line, at, length=len(node.attr)) from None
        scope = self.scope
        if scope is not None and not scope.schemas.has_entity(scope.visible, kind):
            self.problem(node, f"{scope.describe_events()} have no {kind} entity: always None")

        def read(ctx: EvalContext) -> str | None:
            return ctx.event.entities.get(kind)

        self.named.setdefault(f"entity.{kind}", read)
        return Term(read, kinds=TEXT)

    def boolop(self, node: ast.BoolOp, depth: int) -> Term:
        return _joined(node.op, tuple(self.term(value, depth) for value in node.values))

    def unaryop(self, node: ast.UnaryOp, depth: int) -> Term:
        if isinstance(node.op, ast.Invert):
            raise self.error(node, "'~' is not allowed in rules")
        operand = self.term(node.operand, depth)
        if isinstance(node.op, ast.Not):
            if operand.constant:
                return constant_term(not operand.value)
            inner = operand.fn
            return Term(lambda ctx: not inner(ctx), boolean=True, kinds=BOOLEAN)
        symbol, apply = ("-", op.neg) if isinstance(node.op, ast.USub) else ("+", op.pos)
        problem = unary_problem(symbol, operand.kinds) if self.scope is not None else None
        if problem:
            self.problem(node, problem)
        if operand.constant:
            return constant_term(apply(operand.value))
        value = operand.fn
        return Term(lambda ctx: apply(value(ctx)), kinds=NUMBER)

    def binop(self, node: ast.BinOp, depth: int) -> Term:
        return compile_binop(self, node, depth)

    def compare(self, node: ast.Compare, depth: int) -> Term:
        return compile_compare(self, node, depth)

    def ifexp(self, node: ast.IfExp, depth: int) -> Term:
        test = self.term(node.test, depth).fn
        body, orelse = self.term(node.body, depth), self.term(node.orelse, depth)
        yes, no = body.fn, orelse.fn
        kinds, falsy = body.kinds | orelse.kinds, body.falsy and orelse.falsy
        return Term(lambda ctx: yes(ctx) if test(ctx) else no(ctx), kinds=kinds, falsy=falsy)

    def sequence(self, node: ast.List | ast.Tuple | ast.Set, depth: int) -> Term:
        values = []
        for element in node.elts:
            term = self.term(element, depth)
            if not term.constant:
                raise self.error(element, "list, tuple and set elements must be constants")
            values.append(term.value)
        if isinstance(node, ast.Set):
            return constant_term(frozenset(values))
        return constant_term(tuple(values) if isinstance(node, ast.Tuple) else values)

    def call(self, node: ast.Call, depth: int) -> Term:
        return compile_call(self, node, depth)


def _joined(op: ast.boolop, terms: tuple[Term, ...]) -> Term:
    """`and` / `or` of compiled terms."""
    fns = tuple(term.fn for term in terms)
    boolean = all(term.boolean for term in terms)
    kinds = frozenset().union(*(term.kinds for term in terms))
    if isinstance(op, ast.And):
        falsy = any(term.falsy for term in terms)
        return Term(all_of(fns), boolean=boolean, kinds=kinds, falsy=falsy)
    falsy = all(term.falsy for term in terms)
    return Term(any_of(fns), boolean=boolean, kinds=kinds, falsy=falsy)


_HANDLERS: dict[type[ast.AST], Callable[[ExpressionCompiler, Any, int], Term]] = {
    ast.Constant: ExpressionCompiler.constant,
    ast.Name: ExpressionCompiler.name,
    ast.Attribute: ExpressionCompiler.attribute,
    ast.Subscript: ExpressionCompiler.subscript,
    ast.BoolOp: ExpressionCompiler.boolop,
    ast.UnaryOp: ExpressionCompiler.unaryop,
    ast.BinOp: ExpressionCompiler.binop,
    ast.Compare: ExpressionCompiler.compare,
    ast.IfExp: ExpressionCompiler.ifexp,
    ast.List: ExpressionCompiler.sequence,
    ast.Tuple: ExpressionCompiler.sequence,
    ast.Set: ExpressionCompiler.sequence,
    ast.Call: ExpressionCompiler.call,
}
