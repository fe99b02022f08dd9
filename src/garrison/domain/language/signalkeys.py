"""Signal values written by label in examples: `'count("account", "1h")' = 6`.

A label is either a call, written as in a rule, or the name the rule's inputs show
(`count(account, 1h)`). Either way it resolves to the signal it stands for, so an example sets
exactly what a rule reads.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from garrison.domain.errors import InvalidInput
from garrison.domain.events import JsonValue
from garrison.domain.language.compile import ExpressionCompiler
from garrison.domain.language.enrichment import ENRICHMENT
from garrison.domain.language.errors import RuleError, SourceMap
from garrison.domain.language.parse import parse_expression
from garrison.domain.signals import Needs, VelocitySpec

VALUED = ("count", "distinct", "total", "score", "enrich")
"""The signal functions whose values an example gives (lists and labels have their own keys)."""


@dataclass(frozen=True, slots=True, order=True)
class SignalKey:
    """One signal value: a velocity aggregate, a model's score or an enrichment field."""

    reads: str
    velocity: VelocitySpec | None = None
    name: str = ""

    def label(self) -> str:
        if self.velocity is not None:
            return self.velocity.label()
        return f"score({self.name})" if self.reads == "models" else f"enrich({self.name})"

    def read_by(self, needs: Needs) -> bool:
        if self.velocity is not None:
            return self.velocity in needs.velocity
        return self.name in (needs.models if self.reads == "models" else needs.enrichment)

    def check_value(self, value: Any) -> str | None:
        """Why `value` cannot be this signal's value (None when it can)."""
        if self.reads == "enrichment":
            wanted = ENRICHMENT[self.name].type
            return None if wanted.accepts(value) else f"{self.label()} is a {wanted}"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"{self.label()} is a number"
        return None


def known_keys(needs: Needs) -> dict[str, SignalKey]:
    """Every signal value `needs` reads, by the label the rule's inputs show."""
    keys = [SignalKey("velocity", spec) for spec in needs.velocity]
    keys += [SignalKey("models", name=model) for model in needs.models]
    keys += [SignalKey("enrichment", name=field) for field in needs.enrichment]
    return {key.label(): key for key in keys}


def signal_key(text: str, needs: Needs) -> SignalKey:
    """The signal `text` names; `InvalidInput` says why it names none."""
    known = known_keys(needs)
    if text in known:
        return known[text]
    source = SourceMap.of_text(text, "<signal>")
    try:
        parsed = parse_expression(text, source)
    except RuleError:
        raise InvalidInput(f"{text!r} is not a signal: {_usage()}") from None
    body = parsed.tree.body
    if not (isinstance(body, ast.Call) and isinstance(body.func, ast.Name)):
        raise InvalidInput(f"{text!r} is not a signal: {_usage()}")
    if body.func.id not in VALUED:
        raise InvalidInput(f"{body.func.id}() values are not set here: {_usage()}")
    compiler = ExpressionCompiler(parsed)
    try:
        compiler.term(body, 0)
    except RuleError as error:
        raise InvalidInput(f"{text!r} is not a signal: {error.reason}") from None
    found = known_keys(compiler.reads.needs())
    (key,) = found.values()
    return key


def resolve_signals(
    signals: dict[str, JsonValue], needs: Needs
) -> tuple[dict[VelocitySpec, float], dict[str, float], dict[str, JsonValue]]:
    """Velocity, scores and enrichment from signal values by label (labels already checked)."""
    velocity: dict[VelocitySpec, float] = {}
    scores: dict[str, float] = {}
    enrichment: dict[str, JsonValue] = {}
    for text, value in signals.items():
        key = signal_key(text, needs)
        if key.velocity is not None:
            velocity[key.velocity] = value
        elif key.reads == "models":
            scores[key.name] = value
        else:
            enrichment[key.name] = value
    return velocity, scores, enrichment


def _usage() -> str:
    return 'write a call like count("account", "1h") or score("fraud_v2")'
