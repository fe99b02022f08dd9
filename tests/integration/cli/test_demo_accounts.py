"""The demo's accounts are created once, kept in a private credentials file, and reused."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from garrison.bootstrap import Container, bootstrap, migrate
from garrison.config import Settings
from garrison.domain.access import Role
from garrison.domain.errors import Conflict
from garrison.entrypoints.cli.demo_accounts import (
    ADMIN_EMAIL,
    REVIEWER_EMAIL,
    ensure_accounts,
    read_credentials,
)


def _container(path: Path) -> Container:
    settings = Settings(database_url=f"sqlite:///{path}", secret_key="demo-test-secret")
    migrate(settings)
    return bootstrap(settings)


@pytest.fixture
def demo_db(tmp_path: Path) -> Iterator[Container]:
    container = _container(tmp_path / "demo.db")
    try:
        yield container
    finally:
        container.close()


def test_accounts_work_and_are_reused(demo_db: Container, tmp_path: Path) -> None:
    credentials = tmp_path / "var" / "demo-credentials.txt"

    first = ensure_accounts(demo_db, credentials)
    second = ensure_accounts(demo_db, credentials)

    assert first == second
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert read_credentials(credentials)["admin_password"] == first.admin_password
    assert demo_db.access.login(ADMIN_EMAIL, first.admin_password).role is Role.ADMIN
    assert demo_db.access.login(REVIEWER_EMAIL, first.reviewer_password).role is Role.REVIEWER
    assert demo_db.access.authenticate_key(first.api_key).role is Role.INGEST


def test_a_fresh_database_gets_the_stored_passwords_again(
    demo_db: Container, tmp_path: Path
) -> None:
    credentials = tmp_path / "demo-credentials.txt"
    first = ensure_accounts(demo_db, credentials)
    other = _container(tmp_path / "other.db")
    try:
        again = ensure_accounts(other, credentials)
        assert other.access.login(ADMIN_EMAIL, first.admin_password).role is Role.ADMIN
    finally:
        other.close()

    assert again.admin_password == first.admin_password
    assert again.api_key != first.api_key, "the old key is unknown to the new database"


def test_lost_credentials_for_existing_users_is_a_clear_error(
    demo_db: Container, tmp_path: Path
) -> None:
    credentials = tmp_path / "demo-credentials.txt"
    ensure_accounts(demo_db, credentials)
    credentials.unlink()

    with pytest.raises(Conflict, match="remove the demo database"):
        ensure_accounts(demo_db, credentials)
