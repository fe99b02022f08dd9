"""Rule files: TOML with one `[[rule]]` table per rule, read into checked `Rule`s.

Every error names the file's line and column: TOML syntax errors where `tomllib` found them,
field errors at the field, and expression errors at their place inside the `when` text.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from garrison.domain.actions import ActionTemplate
from garrison.domain.errors import InvalidInput
from garrison.domain.language.compile import compile_rule
from garrison.domain.language.errors import RuleError, SourceMap
from garrison.domain.rules import Rule
from garrison.domain.verdicts import Verdict

KEYS = ("name", "policy", "when", "description", "owner", "verdict", "score", "tags", "actions")
REQUIRED = ("name", "policy", "when")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_HEADER = re.compile(r"\s*\[\[\s*rule\s*\]\]\s*(#.*)?")
_TOML_AT = re.compile(r"(.*) \(at line (\d+), column (\d+)\)", re.DOTALL)


def parse_rule_file(text: str, path: str = "<rules>") -> tuple[Rule, ...]:
    """Read and check every rule of a rule file; raise `RuleError` at the first problem."""
    file = SourceMap.of_text(text, path)
    tables = _rule_tables(_load(text, file), file)
    spans = _spans(file, len(tables))
    rules: list[Rule] = []
    first_seen: dict[str, int] = {}
    for index, (table, (start, stop)) in enumerate(zip(tables, spans, strict=True)):
        section = _Section(file, start, stop, f"rule[{index}]")
        rule = _read_rule(table, section)
        if rule.name in first_seen:
            reason = f"duplicate rule name {rule.name!r} (first at line {first_seen[rule.name]})"
            raise section.error(reason, "name")
        first_seen[rule.name] = section.find("name")[0]
        rules.append(rule)
    return tuple(rules)


def _spans(file: SourceMap, count: int) -> list[tuple[int, int]]:
    """Each rule's lines, from its `[[rule]]` header to the next; empty where they cannot be
    told apart (inline tables), so errors fall back to the file's first line."""
    headers = [number for number, line in enumerate(file.lines, 1) if _HEADER.fullmatch(line)]
    if len(headers) != count:
        return [(1, 1)] * count
    ends = [*headers[1:], len(file.lines) + 1]
    return list(zip(headers, ends, strict=False))


@dataclass(frozen=True, slots=True)
class _Section:
    """The lines of one `[[rule]]` table: `start` is its header, `stop` the line after it."""

    file: SourceMap
    start: int
    stop: int
    label: str

    def find(self, key: str) -> tuple[int, int, int]:
        """The line, key column and value column of `key = ...` (the header if not found)."""
        quoted = re.escape(key)
        pattern = re.compile(rf"(\s*)(?:{quoted}|\"{quoted}\"|'{quoted}')\s*=\s*")
        for number in range(self.start + 1, self.stop):
            match = pattern.match(self.file.lines[number - 1])
            if match:
                return number, len(match.group(1)) + 1, match.end() + 1
        return self.start, 1, 1

    def locate(self, text: str, key: str) -> tuple[int, int]:
        """Where the quoted string `text` appears in the section, else the value of `key`."""
        for number in range(self.start + 1, self.stop):
            text_line = self.file.lines[number - 1]
            for quote in ('"', "'"):
                found = text_line.find(f"{quote}{text}{quote}")
                if found >= 0:
                    return number, found + 1
        line, _, col = self.find(key)
        return line, col

    def error(self, reason: str, key: str | None = None, *, at_key: bool = False) -> RuleError:
        field = f"{self.label}.{key}" if key else self.label
        if key is None:
            return self.file.error(reason, self.start, 1, field=field)
        line, key_col, value_col = self.find(key)
        return self.file.error(reason, line, key_col if at_key else value_col, field=field)

    def when_source(self) -> SourceMap:
        """Where the `when` text starts: after its opening quotes, or on the next line."""
        line, _, col = self.find("when")
        text, field = self.file.lines[line - 1], f"{self.label}.when"
        for quote in ('"""', "'''", '"', "'"):
            if text.startswith(quote, col - 1):
                after = col - 1 + len(quote)
                if len(quote) == 3 and after == len(text):
                    line, after = line + 1, 0
                return SourceMap(self.file.path, self.file.lines, line, after + 1, field)
        return SourceMap(self.file.path, self.file.lines, line, col, field)


def _load(text: str, file: SourceMap) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_AT.fullmatch(message)
        if match:
            reason, line, col = match.group(1), int(match.group(2)), int(match.group(3))
            raise file.error(f"invalid TOML: {reason}", line, col) from None
        last = max((n for n, line in enumerate(file.lines, 1) if line.strip()), default=1)
        reason = message.removesuffix(" (at end of document)")
        raise file.error(f"invalid TOML: {reason}", last, len(file.lines[last - 1]) + 1) from None


def _rule_tables(data: Mapping[str, Any], file: SourceMap) -> list[dict[str, Any]]:
    for key in data:
        if key != "rule":
            line = _top_level_line(file, key)
            raise file.error(f"unknown top-level key {key!r}: write rules as [[rule]]", line, 1)
    tables = data.get("rule", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        line = _top_level_line(file, "rule")
        raise file.error("write each rule as a [[rule]] table", line, 1)
    return tables


def _top_level_line(file: SourceMap, key: str) -> int:
    pattern = re.compile(rf"\s*(\[+\s*{re.escape(key)}\b|{re.escape(key)}\s*=)")
    return next((n for n, line in enumerate(file.lines, 1) if pattern.match(line)), 1)


def _read_rule(table: Mapping[str, Any], section: _Section) -> Rule:
    for key in table:
        if key not in KEYS:
            reason = f"unknown key {key!r} (known: {', '.join(KEYS)})"
            raise section.error(reason, key, at_key=True)
    for key in REQUIRED:
        if key not in table:
            raise section.error(f"the rule has no {key!r}")
    name = _text(table, "name", section)
    if not _NAME.fullmatch(name):
        raise section.error("a rule name is letters, digits, '_', '.' and '-'", "name")
    rule = Rule(
        name=name,
        when=_text(table, "when", section, allow_empty=True),
        policy=_text(table, "policy", section),
        description=_text(table, "description", section, allow_empty=True),
        owner=_text(table, "owner", section, allow_empty=True),
        verdict=_verdict(table, section),
        score=_score(table, section),
        actions=_actions(table, section),
        tags=_tags(table, section),
    )
    compile_rule(rule, source=section.when_source())
    return rule


def _text(
    table: Mapping[str, Any], key: str, section: _Section, *, allow_empty: bool = False
) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise section.error(f"{key!r} must be a string", key)
    if not allow_empty and not value.strip():
        raise section.error(f"{key!r} must not be empty", key)
    return value


def _verdict(table: Mapping[str, Any], section: _Section) -> Verdict | None:
    value = table.get("verdict")
    if value is None:
        return None
    try:
        return Verdict(value)
    except ValueError:
        known = ", ".join(v.value for v in Verdict)
        raise section.error(f"unknown verdict {value!r} (known: {known})", "verdict") from None


def _score(table: Mapping[str, Any], section: _Section) -> float:
    value = table.get("score", 0.0)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise section.error("'score' must be a finite number", "score")
    return float(value)


def _tags(table: Mapping[str, Any], section: _Section) -> tuple[str, ...]:
    value = table.get("tags", [])
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise section.error("'tags' must be a list of strings", "tags")
    return tuple(value)


def _actions(table: Mapping[str, Any], section: _Section) -> tuple[ActionTemplate, ...]:
    value = table.get("actions", [])
    if not isinstance(value, list):
        raise section.error("'actions' must be a list", "actions")
    templates = []
    for index, item in enumerate(value):
        if not isinstance(item, (str, dict)):
            raise section.error("an action is a kind or a table {kind = ...}", "actions")
        try:
            templates.append(ActionTemplate.parse(item, field_name=f"actions[{index}]"))
        except InvalidInput as exc:
            kind = item if isinstance(item, str) else str(item.get("kind", ""))
            line, col = section.locate(kind, "actions") if kind else section.find("actions")[::2]
            field = f"{section.label}.{exc.field or 'actions'}"
            raise section.file.error(exc.message, line, col, field=field) from None
    return tuple(templates)
