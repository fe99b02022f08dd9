"""Compiling a set of rules into a release."""

from __future__ import annotations

from collections.abc import Sequence

from garrison.domain.errors import InvalidInput
from garrison.domain.language.compile import compile_rule
from garrison.domain.rules import Release, Rule


def compile_release(version: str, rules: Sequence[Rule]) -> Release:
    """Compile every rule into a release; names must be unique within it."""
    if not version.strip():
        raise InvalidInput("a release needs a version", field="version")
    seen: set[str] = set()
    for rule in rules:
        if rule.name in seen:
            raise InvalidInput(f"duplicate rule name {rule.name!r}", field=f"rules.{rule.name}")
        seen.add(rule.name)
    return Release(version, tuple(compile_rule(rule) for rule in rules))
