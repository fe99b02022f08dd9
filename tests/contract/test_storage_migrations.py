"""Migrations: idempotent, on SQLite and PostgreSQL, with no drift from tables.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, MetaData, String, Table

from garrison.adapters.storage.sql import (
    SqlStore,
    current_revision,
    head_revision,
    migrate,
)
from garrison.adapters.storage.sql.engine import make_engine
from garrison.adapters.storage.sql.tables import metadata


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def migrated_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'deep' / 'er' / 'garrison.db'}"
        assert current_revision(url) is None
        migrate(url)
        yield url
    else:
        yield request.getfixturevalue("postgres_url")


def _drift(url: str, target: MetaData) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, target))
    finally:
        engine.dispose()


def test_migrate_is_idempotent(migrated_url: str) -> None:
    assert head_revision() is not None
    assert current_revision(migrated_url) == head_revision()
    migrate(migrated_url)
    assert current_revision(migrated_url) == head_revision()


def test_migrated_schema_matches_the_tables(migrated_url: str) -> None:
    assert _drift(migrated_url, metadata) == []


def test_drift_would_be_noticed(migrated_url: str) -> None:
    changed = MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(changed)
    Table("intruders", changed, Column("id", String, primary_key=True))
    assert _drift(migrated_url, changed) != []


def test_store_ping_and_dispose(migrated_url: str) -> None:
    store = SqlStore(migrated_url)
    assert store.ping() is True
    store.dispose()
    assert store.ping() is True
    store.dispose()


def test_ping_reports_an_unreachable_database() -> None:
    store = SqlStore("postgresql+psycopg://postgres@127.0.0.1:9/nowhere?connect_timeout=2")
    try:
        assert store.ping() is False
    finally:
        store.dispose()
