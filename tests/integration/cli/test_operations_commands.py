"""`garrison migrate` and the clean one-line errors every command shares."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from garrison.adapters.storage.sql import current_revision, head_revision

Invoke = Callable[..., Result]


def _one_error_line(result: Result) -> str:
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def test_migrate_is_idempotent(cli: Invoke, database: Path) -> None:
    first = cli("migrate")
    second = cli("migrate")

    assert first.exit_code == second.exit_code == 0, first.output + second.output
    head = head_revision()
    assert head is not None
    assert first.stdout.strip() == second.stdout.strip() == f"database at revision {head}"
    assert current_revision(f"sqlite:///{database}") == head


def test_command_before_migrate_says_to_migrate(cli: Invoke) -> None:
    result = cli("audit", "verify")

    assert result.exit_code == 1
    assert "run `garrison migrate` first" in _one_error_line(result)


def test_invalid_setting_is_named(cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GARRISON_WORKERS", "many")

    result = cli("migrate")

    assert result.exit_code == 1
    assert "GARRISON_WORKERS" in _one_error_line(result)


def test_database_url_that_cannot_be_parsed(cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GARRISON_DATABASE_URL", "not a url")

    result = cli("migrate")

    assert result.exit_code == 1
    assert "invalid database URL" in _one_error_line(result)


def test_sqlite_file_that_cannot_be_created(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GARRISON_DATABASE_URL", f"sqlite:///{blocker}/garrison.db")

    result = cli("keys", "create", "x", "--role", "ingest")

    assert result.exit_code == 1
    assert str(blocker) in _one_error_line(result)


def test_unknown_command_and_missing_subcommand(cli: Invoke) -> None:
    unknown = cli("frobnicate")
    missing = cli("keys")

    assert unknown.exit_code == missing.exit_code == 2
    assert "No such command" in _one_error_line(unknown)
    assert "garrison keys --help" in _one_error_line(missing)


def test_no_arguments_prints_help(cli: Invoke) -> None:
    result = cli()

    assert result.exit_code == 0
    assert "migrate" in result.stdout and "keys" in result.stdout
