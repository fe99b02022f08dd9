"""Rule files: TOML with one `[[rule]]` table per rule (and its `[[rule.example]]`s), and
`[[test]]` sequence tests, read into checked rules.

Every error names the file's line and column: TOML syntax errors where `tomllib` found them,
field errors at the field, and expression errors at their place inside the `when` text.
`check_rule_file` collects every error it can find in one pass; `read_rule_file` and
`parse_rule_file` raise the first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from garrison.domain.language.compile import build_rule
from garrison.domain.language.errors import RuleError, SourceMap
from garrison.domain.language.examples import read_examples, read_tests
from garrison.domain.language.filemodel import RuleEntry, RuleExample, RuleFile
from garrison.domain.language.rulefields import read_rule
from garrison.domain.language.schemas import EventSchemas
from garrison.domain.language.tomlsource import (
    Layout,
    Section,
    file_header,
    lead_comment,
    load_toml,
    top_level_line,
)
from garrison.domain.rules import CompiledRule, Rule
from garrison.domain.signals import Needs

TOP_LEVEL = ("rule", "test")


@dataclass(frozen=True, slots=True)
class RuleFileCheck:
    """Everything `check_rule_file` found: the file as far as it could be read, the rules that
    compiled, and every error in text order."""

    file: RuleFile
    compiled: tuple[CompiledRule, ...]
    errors: tuple[RuleError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_rule_file(
    text: str, path: str = "<rules>", schemas: EventSchemas | None = None
) -> tuple[Rule, ...]:
    """Read and check every rule of a rule file; raise `RuleError` at the first problem."""
    return read_rule_file(text, path, schemas).rules


def read_rule_file(
    text: str, path: str = "<rules>", schemas: EventSchemas | None = None
) -> RuleFile:
    """The rules, examples, tests and comments of a rule file; `RuleError` at the first problem."""
    check = check_rule_file(text, path, schemas)
    if check.errors:
        raise check.errors[0]
    return check.file


def check_rule_file(
    text: str, path: str = "<rules>", schemas: EventSchemas | None = None
) -> RuleFileCheck:
    """Check a whole rule file and collect every error found (with `schemas`, the static checks
    of `compile_rule` too). Examples and tests are read, not run."""
    file = SourceMap.of_text(text, path)
    try:
        data = load_toml(text, file)
    except RuleError as error:
        return RuleFileCheck(RuleFile(), (), (error,))
    errors: list[RuleError] = []
    rule_tables = _tables(data, "rule", file, errors)
    test_tables = _tables(data, "test", file, errors)
    for key in data:
        if key not in TOP_LEVEL:
            reason = f"unknown top-level key {key!r}: write rules as [[rule]] and tests as [[test]]"
            errors.append(file.error(reason, top_level_line(file, key), 1))
    layout = Layout.of(file)
    entries, compiled = _read_rules(rule_tables, layout, schemas, errors)
    needs = Needs()
    for rule in compiled:
        needs = needs | rule.needs
    places = layout.sections("test", "test", len(test_tables))
    tests = read_tests(test_tables, places, needs, schemas, errors)
    result = RuleFile(tuple(entries), tuple(tests), file_header(file))
    ordered = sorted(errors, key=lambda error: error.position)
    return RuleFileCheck(result, tuple(compiled), tuple(ordered))


def _tables(
    data: Mapping[str, Any], key: str, file: SourceMap, errors: list[RuleError]
) -> list[dict[str, Any]]:
    tables = data.get(key, [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        errors.append(
            file.error(f"write each {key} as a [[{key}]] table", top_level_line(file, key), 1)
        )
        return []
    return tables


def _read_rules(
    tables: list[dict[str, Any]],
    layout: Layout,
    schemas: EventSchemas | None,
    errors: list[RuleError],
) -> tuple[list[RuleEntry], list[CompiledRule]]:
    entries: list[RuleEntry] = []
    compiled: list[CompiledRule] = []
    first_seen: dict[str, int] = {}
    outer = layout.spans("rule", len(tables), nested=True)
    for index, (table, span) in enumerate(zip(tables, outer, strict=True)):
        start, stop = span
        own = layout.spans("rule", 1, span)[0] if start != stop else span
        section = Section(layout.file, own[0], own[1], f"rule[{index}]")
        _check_name(table.get("name"), section, first_seen, errors)
        rule = read_rule(table, section, errors)
        if rule is None:
            when = table.get("when")
            if isinstance(when, str):  # the condition's errors too, in the same pass
                stand_in = Rule("_", when, "_")
                errors.extend(
                    build_rule(stand_in, source=section.source_of("when", "when"), schemas=schemas)[
                        1
                    ]
                )
            continue
        built, problems = build_rule(
            rule, source=section.source_of("when", "when"), schemas=schemas
        )
        errors.extend(problems)
        examples: tuple[RuleExample, ...] = ()
        if built is not None:
            compiled.append(built)
            examples = _examples(
                table.get("example", []), layout, section, span, built, schemas, errors
            )
        comment = lead_comment(layout.file, start) if start != stop else ""
        entries.append(RuleEntry(rule, examples, comment))
    return entries, compiled


def _check_name(
    name: Any, section: Section, first_seen: dict[str, int], errors: list[RuleError]
) -> None:
    if not isinstance(name, str):
        return
    if name in first_seen:
        reason = f"duplicate rule name {name!r} (first at line {first_seen[name]})"
        errors.append(section.error(reason, "name"))
    first_seen.setdefault(name, section.find("name")[0])


def _examples(
    tables: Any,
    layout: Layout,
    section: Section,
    span: tuple[int, int],
    compiled: CompiledRule,
    schemas: EventSchemas | None,
    errors: list[RuleError],
) -> tuple[RuleExample, ...]:
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        errors.append(section.error("write each example as a [[rule.example]] table", "example"))
        return ()
    places = layout.sections("rule.example", f"{section.label}.example", len(tables), span)
    return read_examples(tables, places, compiled, schemas, errors)
