"""What changed between two releases, rule by rule, in the canonical text form that diffs well."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields

from garrison.domain.language.formatting import format_rule_file
from garrison.domain.rules import Rule, Stage

RenderRule = Callable[[Rule], str]
"""The text of one rule to diff: the canonical form, the same for every release."""


def canonical_rule(rule: Rule) -> str:
    return format_rule_file((rule,))


@dataclass(frozen=True, slots=True)
class RuleChange:
    """A rule in both releases that differs: which fields, its stage move, and a unified diff."""

    rule: str
    fields: tuple[str, ...]
    stage_before: Stage
    stage_after: Stage
    diff: str

    @property
    def stage_changed(self) -> bool:
        return self.stage_before is not self.stage_after


@dataclass(frozen=True, slots=True)
class ReleaseDiff:
    before: str
    after: str
    added: tuple[Rule, ...]
    removed: tuple[Rule, ...]
    changed: tuple[RuleChange, ...]

    @property
    def stage_changes(self) -> tuple[RuleChange, ...]:
        return tuple(change for change in self.changed if change.stage_changed)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def diff_rules(
    before: Sequence[Rule],
    after: Sequence[Rule],
    *,
    labels: tuple[str, str] = ("before", "after"),
    render: RenderRule = canonical_rule,
) -> ReleaseDiff:
    """Rules matched by name: added, removed, and changed (in the order of `after`)."""
    old = {rule.name: rule for rule in before}
    new = {rule.name: rule for rule in after}
    changed = [
        _change(old[rule.name], rule, render, labels)
        for rule in after
        if rule.name in old and old[rule.name] != rule
    ]
    return ReleaseDiff(
        labels[0],
        labels[1],
        added=tuple(rule for rule in after if rule.name not in old),
        removed=tuple(rule for rule in before if rule.name not in new),
        changed=tuple(changed),
    )


def _change(old: Rule, new: Rule, render: RenderRule, labels: tuple[str, str]) -> RuleChange:
    names = tuple(f.name for f in fields(Rule) if getattr(old, f.name) != getattr(new, f.name))
    lines = difflib.unified_diff(
        render(old).splitlines(keepends=True),
        render(new).splitlines(keepends=True),
        fromfile=f"{labels[0]}/{old.name}",
        tofile=f"{labels[1]}/{new.name}",
    )
    text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    return RuleChange(new.name, names, old.stage, new.stage, text)
