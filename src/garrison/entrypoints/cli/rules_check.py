"""`garrison rules check | test | fmt`: static checks, inline tests and the canonical form of rule
files, all offline (no database).

- `check PATH...` checks rule files against the event schemas (`--schemas FILE`, else
  GARRISON_SCHEMAS_PATH, else the shipped ones) and prints every error with its place.
- `test PATH...` runs every `[[rule.example]]` and `[[test]]` and says why each passed or failed.
- `fmt PATH... [--check]` rewrites files in their canonical form (`--check`: only report).

Each exits 1 when anything is wrong, so they fit in CI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from garrison.config import Settings
from garrison.domain.language import (
    EventSchemas,
    RuleError,
    RuleFileCheck,
    check_rule_file,
    format_file,
    run_rule_file,
)
from garrison.domain.signals import Needs
from garrison.rulepacks import load_schemas

FAILURE_EXIT = 1

Paths = Annotated[
    list[Path],
    typer.Argument(
        metavar="PATH...",
        help="Rule files (TOML).",
        exists=True,
        dir_okay=False,
        readable=True,
    ),
]
SchemasOption = Annotated[
    Path | None,
    typer.Option(
        "--schemas",
        metavar="FILE",
        help="Event schema file (default: GARRISON_SCHEMAS_PATH, else the shipped schemas).",
        exists=True,
        dir_okay=False,
        readable=True,
    ),
]


def check_rules(paths: Paths, schemas: SchemasOption = None) -> None:
    """Check rule files: syntax, fields, unknown event fields, type errors and rules that can
    never fire. Prints every error found, or one line per file that passes."""
    known = _schemas(schemas)
    failed = False
    for path in paths:
        check = _check(path, known)
        if check is None:
            failed = True
            continue
        typer.echo(f"ok: {path}: {_summary(check)}")
    if failed:
        raise typer.Exit(FAILURE_EXIT)


def run_rule_tests(paths: Paths, schemas: SchemasOption = None) -> None:
    """Run the examples and sequence tests of rule files; print PASS or FAIL with the reason."""
    known = _schemas(schemas)
    passed = failed = 0
    for path in paths:
        check = _check(path, known)
        if check is None:
            failed += 1
            continue
        for result in run_rule_file(check.file, check.compiled):
            mark = "PASS" if result.passed else "FAIL"
            typer.echo(f"{mark} {result.kind} {result.name}: {result.detail}")
            passed += result.passed
            failed += not result.passed
    typer.echo(f"{passed} passed, {failed} failed")
    if failed:
        raise typer.Exit(FAILURE_EXIT)


def format_rules(
    paths: Paths,
    check: Annotated[
        bool, typer.Option("--check", help="Only report files that are not canonical.")
    ] = False,
) -> None:
    """Rewrite rule files in their canonical form: fixed key order, `when` as a ''' block.
    Comments are kept at the top of the file and right above [[rule]] and [[test]] headers."""
    failed = False
    for path in paths:
        text = path.read_text("utf-8")
        found = check_rule_file(text, str(path))
        if found.errors:
            _print_errors(found.errors)
            failed = True
            continue
        canonical = format_file(found.file)
        _warn_dropped_comments(path, text, canonical)
        if canonical == text:
            typer.echo(f"{path} is canonical")
        elif check:
            typer.echo(f"{path} is not canonical: run `garrison rules fmt {path}`", err=True)
            failed = True
        else:
            path.write_text(canonical, "utf-8")
            typer.echo(f"formatted {path}")
    if failed:
        raise typer.Exit(FAILURE_EXIT)


def _schemas(path: Path | None) -> EventSchemas:
    chosen = path or Settings().schemas_path
    try:
        return load_schemas(chosen)
    except RuleError as error:
        _print_errors([error])
        raise typer.Exit(FAILURE_EXIT) from None


def _check(path: Path, schemas: EventSchemas) -> RuleFileCheck | None:
    """The file's check, or None after printing its errors."""
    check = check_rule_file(path.read_text("utf-8"), str(path), schemas)
    if check.errors:
        _print_errors(check.errors)
        count = len(check.errors)
        typer.echo(f"{count} error{'s' if count > 1 else ''} in {path}", err=True)
        return None
    return check


def _print_errors(errors: tuple[RuleError, ...] | list[RuleError]) -> None:
    for error in errors:
        typer.echo(str(error), err=True)


def _summary(check: RuleFileCheck) -> str:
    file, needs = check.file, Needs()
    for compiled in check.compiled:
        needs = needs | compiled.needs
    examples = sum(len(entry.examples) for entry in file.entries)
    return (
        f"{len(file.entries)} rules, {examples} examples, {len(file.tests)} tests; signals: "
        f"{len(needs.velocity)} velocity, {len(needs.lists)} lists, {len(needs.labels)} label "
        f"kinds, {len(needs.models)} models, {len(needs.enrichment)} enrichment fields"
    )


def _warn_dropped_comments(path: Path, before: str, after: str) -> None:
    lost = _comment_lines(before) - _comment_lines(after)
    if lost > 0:
        typer.echo(
            f"warning: {path}: {lost} comment line{'s' if lost > 1 else ''} inside tables "
            "are not kept; put comments right above [[rule]] or [[test]] headers",
            err=True,
        )


def _comment_lines(text: str) -> int:
    return sum(line.lstrip().startswith("#") for line in text.splitlines())
