"""Schema migrations, run in code: Alembic with its scripts shipped inside the package.

No `alembic.ini` is needed: the Alembic config is built here, pointing at
`garrison/adapters/storage/migrations`. Concurrent `migrate` calls are safe: SQLite serialises
them with `BEGIN IMMEDIATE`, PostgreSQL with an advisory lock, and an up-to-date schema is left
as it is.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from garrison.adapters.storage.sql.engine import make_engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
MIGRATE_LOCK_KEY = 0x6A5_0001
"""The PostgreSQL advisory lock held while migrating."""


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for Garrison's migrations, bound to `connection` if given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def migrate(url: str) -> None:
    """Bring the database at `url` to the newest schema (a fresh SQLite file is created)."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATE_LOCK_KEY})
            command.upgrade(alembic_config(conn), "heads")
    finally:
        engine.dispose()


def current_revision(url: str) -> str | None:
    """The schema revision the database at `url` is at; None before the first migration."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def head_revision() -> str | None:
    """The newest revision the shipped migrations know."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
