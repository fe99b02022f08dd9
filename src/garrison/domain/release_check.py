"""Checking a proposed rule file, and compiling a stored release.

A proposed file is refused with every problem found (each at file:line:col), and with every
example or sequence test of its own that fails, before anything is stored; a stored release
compiles under its version label.
"""

from __future__ import annotations

from dataclasses import dataclass

from garrison.domain.errors import InvalidInput
from garrison.domain.language import (
    EventSchemas,
    RuleError,
    check_rule_file,
    compile_release,
    parse_rule_file,
    run_rule_file,
)
from garrison.domain.releases import StoredRelease
from garrison.domain.rules import Release, Rule


@dataclass(frozen=True, slots=True)
class RuleProblem:
    """One reason a rule file was refused, at `path:line:col` (1-based; no place for a failed
    example or test, which is named in the message)."""

    path: str
    line: int | None
    col: int | None
    message: str
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.line}:{self.col}:" if self.line is not None else ""
        return f"{self.path}:{where} {self.message}"

    @classmethod
    def of(cls, error: RuleError) -> RuleProblem:
        return cls(error.path, error.line, error.col, error.reason, error.field)


class ReleaseRefused(InvalidInput):
    """A proposed rule file does not check; nothing was stored. `problems` lists every error."""

    code = "invalid_rules"

    def __init__(self, problems: tuple[RuleProblem, ...]) -> None:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first}{more}", field=first.field)
        self.problems = problems


def check_rules(
    text: str, path: str, *, schemas: EventSchemas | None = None, run_tests: bool = False
) -> tuple[Rule, ...]:
    """The rules of a rule file once every check passed; `ReleaseRefused` listing every error.

    With `schemas`, rules are checked against the event schemas too; with `run_tests`, the
    file's examples and sequence tests must pass.
    """
    check = check_rule_file(text, path, schemas)
    if check.errors:
        raise ReleaseRefused(tuple(RuleProblem.of(error) for error in check.errors))
    if run_tests:
        failed = [r for r in run_rule_file(check.file, check.compiled) if not r.passed]
        if failed:
            raise ReleaseRefused(
                tuple(
                    RuleProblem(path, None, None, f"{r.kind} {r.name!r} failed: {r.detail}")
                    for r in failed
                )
            )
    return check.file.rules


def rules_of(release: StoredRelease) -> tuple[Rule, ...]:
    """The rules of a stored release (it was checked when proposed)."""
    return parse_rule_file(release.text, release.path)


def compile_stored(release: StoredRelease) -> Release:
    """The compiled rules of a stored release, named by its `label`."""
    return compile_release(release.label, rules_of(release))
