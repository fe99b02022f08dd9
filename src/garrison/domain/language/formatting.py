"""The canonical text of a rule file: fixed key order, one layout, so rule files diff well.

Rule keys are written in the order of `rulefields.KEYS`; empty optional fields are left out; the
condition is a `'''` block holding `canonical_when(when)`. Comments are kept where `read_rule_file`
keeps them: the file's first comment block and the lines right above each `[[rule]]` and
`[[test]]`. For every `RuleFile` f, `read_rule_file(format_rule_file(...f)) == f` once its
conditions are canonical, and formatting a formatted file changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from garrison.domain.actions import ActionTemplate
from garrison.domain.language import tomlwrite as toml
from garrison.domain.language.filemodel import (
    ExampleEvent,
    RuleEntry,
    RuleExample,
    RuleFile,
    SequenceTest,
)
from garrison.domain.rules import Rule

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def canonical_when(when: str) -> str:
    """The condition as the canonical form writes it: no blank lines around, one final newline."""
    return when.replace("\r\n", "\n").strip() + "\n"


def format_rule_file(
    rules: Sequence[Rule | RuleEntry], tests: Sequence[SequenceTest] = (), *, header: str = ""
) -> str:
    """The canonical text of these rules (with their examples) and sequence tests."""
    blocks = [_comment(header)] if header.strip() else []
    for item in rules:
        entry = item if isinstance(item, RuleEntry) else RuleEntry(item)
        blocks.append(_rule_block(entry))
        blocks.extend(_example_block(example) for example in entry.examples)
    blocks.extend(_test_block(test) for test in tests)
    return "\n\n".join(blocks) + "\n" if blocks else ""


def format_file(file: RuleFile) -> str:
    return format_rule_file(file.entries, file.tests, header=file.header)


def _comment(text: str) -> str:
    """Comment lines, each starting with `#`; control characters (not allowed in TOML) become
    spaces."""
    lines = [_CONTROL.sub(" ", line).strip() for line in text.strip().split("\n")]
    return "\n".join(line if line.startswith("#") else f"# {line}".rstrip() for line in lines)


def _lines(comment: str, header: str, pairs: Iterable[tuple[str, str]]) -> str:
    head = [_comment(comment)] if comment.strip() else []
    return "\n".join([*head, header, *(f"{name} = {text}" for name, text in pairs)])


def _rule_block(entry: RuleEntry) -> str:
    rule = entry.rule
    pairs = [("name", toml.string(rule.name))]
    pairs += [(key, toml.string(text)) for key, text in _optional_texts(rule)]
    pairs += [("policy", toml.string(rule.policy)), ("stage", toml.string(rule.stage))]
    if rule.canary_percent:
        pairs.append(("canary_percent", str(rule.canary_percent)))
    if rule.verdict is not None:
        pairs.append(("verdict", toml.string(rule.verdict)))
    pairs.append(("score", toml.value(rule.score)))
    if rule.max_actions_per_day is not None:
        pairs.append(("max_actions_per_day", str(rule.max_actions_per_day)))
    if rule.tags:
        pairs.append(("tags", toml.value(list(rule.tags))))
    if rule.actions:
        pairs.append(("actions", _actions(rule.actions)))
    pairs.append(("when", toml.multiline(canonical_when(rule.when))))
    return _lines(entry.comment, "[[rule]]", pairs)


def _optional_texts(rule: Rule) -> list[tuple[str, str]]:
    return [
        (key, text)
        for key, text in (("description", rule.description), ("owner", rule.owner))
        if text
    ]


def _actions(actions: Sequence[ActionTemplate]) -> str:
    items = [_action(action) for action in actions]
    if len(items) == 1:
        return f"[{items[0]}]"
    return "[\n" + "".join(f"    {item},\n" for item in items) + "]"


def _action(action: ActionTemplate) -> str:
    if not action.params and action.target is None:
        return toml.string(action.kind)
    fields: dict[str, object] = {"kind": str(action.kind)}
    if action.params:
        fields["params"] = dict(action.params)
    if action.target is not None:
        fields["target"] = str(action.target)
    return toml.table(fields)


def _event(event: ExampleEvent) -> str:
    fields: dict[str, object] = {"type": event.type}
    if event.occurred_at is not None:
        fields["occurred_at"] = event.occurred_at
    if event.entities:
        fields["entities"] = {str(kind): ident for kind, ident in event.entities.items()}
    if event.attributes:
        fields["attributes"] = dict(event.attributes)
    if event.signals:
        fields["signals"] = dict(event.signals)
    return toml.table(fields)


def _example_block(example: RuleExample) -> str:
    pairs = [("name", toml.string(example.name)), ("event", _event(example.event))]
    if example.signals:
        pairs.append(("signals", toml.table(example.signals)))
    if example.lists:
        pairs.append(("lists", toml.table(example.lists)))
    if example.labels:
        labels = {str(kind): list(names) for kind, names in example.labels.items()}
        pairs.append(("labels", toml.table(labels)))
    pairs.append(("expect", toml.string(example.expect)))
    return _lines("", "[[rule.example]]", pairs)


def _test_block(test: SequenceTest) -> str:
    events = "[\n" + "".join(f"    {_event(event)},\n" for event in test.events) + "]"
    pairs = [("name", toml.string(test.name)), ("events", events)]
    pairs.append(("expect_verdicts", toml.value([str(v) for v in test.expect_verdicts])))
    if test.lists:
        pairs.append(("lists", toml.table(test.lists)))
    if test.labels:
        labels = {str(ref): list(names) for ref, names in test.labels.items()}
        pairs.append(("labels", toml.table(labels)))
    return _lines(test.comment, "[[test]]", pairs)
