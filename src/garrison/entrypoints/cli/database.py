"""`garrison migrate`: bring the database schema to the newest revision."""

from __future__ import annotations

import typer

from garrison import bootstrap
from garrison.bootstrap import MEMORY_URL
from garrison.config import Settings
from garrison.entrypoints.cli.environment import load_settings


def schema_revision(settings: Settings) -> str | None:
    """The revision the configured database is at (None for memory storage)."""
    if settings.database_url.startswith(MEMORY_URL):
        return None
    from garrison.adapters.storage.sql import current_revision

    return current_revision(settings.database_url)


def migrate() -> None:
    """Apply every pending schema migration (safe to run again; concurrent runs are serialised)."""
    settings = load_settings()
    bootstrap.migrate(settings)
    revision = schema_revision(settings)
    typer.echo(f"database at revision {revision or '(memory storage, nothing to migrate)'}")
