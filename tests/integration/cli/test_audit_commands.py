"""`garrison audit verify` on an intact chain, an altered record and a removed record."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

Invoke = Callable[..., Result]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def audited(migrated: Invoke) -> Invoke:
    """A database whose audit log holds a few records."""
    for name in ("one", "two", "three"):
        assert migrated("keys", "create", name, "--role", "ingest").exit_code == 0
    created = migrated(
        "users", "create", "eve@example.com", "--role", "admin", "--password-stdin", stdin=PASSWORD
    )
    assert created.exit_code == 0
    return migrated


def _execute(database: Path, sql: str) -> None:
    with sqlite3.connect(database) as connection:
        assert connection.execute(sql).rowcount == 1
    connection.close()


def test_intact_chain_exits_zero(audited: Invoke) -> None:
    result = audited("audit", "verify")

    assert result.exit_code == 0, result.output
    # three keys, one user, and the disposable-domains list seeded at first start
    assert result.stdout.strip() == "audit chain intact: 5 records"


def test_altered_record_is_named(audited: Invoke, database: Path) -> None:
    _execute(database, """UPDATE audit_records SET details = '{"name": "evil"}' WHERE seq = 2""")

    result = audited("audit", "verify")

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: audit chain broken at record 2: contents do not match the stored hash"
    )


def test_removed_record_is_named(audited: Invoke, database: Path) -> None:
    _execute(database, "DELETE FROM audit_records WHERE seq = 3")

    result = audited("audit", "verify")

    assert result.exit_code == 1
    assert result.stderr.strip() == "error: audit chain broken at record 3: record 3 is missing"


def test_removed_tail_is_caught_by_the_head(audited: Invoke, database: Path) -> None:
    _execute(database, "DELETE FROM audit_records WHERE seq = 4")

    result = audited("audit", "verify")

    assert result.exit_code == 1
    assert "audit chain broken at record 4" in result.stderr
