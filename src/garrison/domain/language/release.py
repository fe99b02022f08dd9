"""Compiling a set of rules into a release."""

from __future__ import annotations

from collections.abc import Sequence

from garrison.domain.errors import InvalidInput
from garrison.domain.language.compile import Interned, compile_rule
from garrison.domain.language.schemas import EventSchemas
from garrison.domain.rules import Release, Rule


def compile_release(
    version: str, rules: Sequence[Rule], *, schemas: EventSchemas | None = None
) -> Release:
    """Compile every rule into a release; names must be unique within it. With `schemas`, every
    rule gets the static checks of `compile_rule`."""
    if not version.strip():
        raise InvalidInput("a release needs a version", field="version")
    seen: set[str] = set()
    for rule in rules:
        if rule.name in seen:
            raise InvalidInput(f"duplicate rule name {rule.name!r}", field=f"rules.{rule.name}")
        seen.add(rule.name)
    interned: Interned = {}
    compiled = (compile_rule(rule, schemas=schemas, interned=interned) for rule in rules)
    return Release(version, tuple(compiled))
