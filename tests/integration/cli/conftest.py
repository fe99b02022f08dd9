"""CLI tests: each runs the real `garrison` app against its own SQLite file in a temp folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from garrison.bootstrap import Container, bootstrap
from garrison.config import Settings
from garrison.entrypoints.cli.main import app

SECRET = "cli-test-secret-key-with-plenty-of-entropy-0123456789"

Invoke = Callable[..., Result]


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh SQLite path, set as GARRISON_DATABASE_URL; the working folder is the temp folder."""
    path = tmp_path / "garrison.db"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GARRISON_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("GARRISON_SECRET_KEY", SECRET)
    monkeypatch.setenv("GARRISON_LOG_JSON", "true")
    return path


@pytest.fixture
def cli(database: Path) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=stdin)

    return invoke


@pytest.fixture
def migrated(cli: Invoke) -> Invoke:
    result = cli("migrate")
    assert result.exit_code == 0, result.output
    return cli


@pytest.fixture
def container(migrated: Invoke) -> Iterator[Container]:
    """A container on the same database, to check what the commands wrote."""
    built = bootstrap(Settings())
    try:
        yield built
    finally:
        built.close()
