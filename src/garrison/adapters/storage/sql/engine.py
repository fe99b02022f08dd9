"""Engines for SQLite and PostgreSQL, configured the way the units of work rely on.

SQLite: WAL (checkpointed every ~40 MB), a 10 s busy timeout, foreign keys on, and every
transaction opened with `BEGIN IMMEDIATE`, so writers queue up instead of failing and chained
writes (the audit log, counters) never interleave; a read-only unit (execution option
`garrison_read_only`) opens a plain deferred `BEGIN`, a snapshot that never waits for the writer
in WAL mode. The sqlite3 driver's own transaction handling is switched off (isolation_level
None) and SQLAlchemy emits the BEGIN, as SQLAlchemy's documentation recommends.

PostgreSQL: psycopg 3, READ COMMITTED, pre-pinged pooled connections.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

BUSY_TIMEOUT_MS = 10_000
WAL_AUTOCHECKPOINT_PAGES = 10_000
"""Checkpoint the WAL into the database every ~40 MB rather than SQLite's ~4 MB: the commit
that crosses the mark runs the checkpoint while holding the write lock, and fewer, larger
checkpoints write each hot page (counters, indexes) once instead of once per batch."""
SQLITE_POOL = 40
"""Connections kept per SQLite engine: one per server thread (the web server's threadpool has
40). A connection opened beyond the pool is closed on return, and opening one reads the whole
schema again, so a pool that is too small costs a millisecond per unit under load."""
READ_ONLY = "garrison_read_only"
"""Connection execution option of a unit that only reads (see `Tx`)."""


def parse_url(url: str) -> URL:
    """Read a database URL; a bare `postgresql://` (or `postgres://`) means psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def make_engine(url: str) -> Engine:
    """An engine for `url`; for a SQLite file, its parent folders are created."""
    parsed = parse_url(url)
    if is_sqlite(parsed):
        return _sqlite_engine(parsed)
    return create_engine(
        parsed,
        isolation_level="READ COMMITTED",
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
    )


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    pool: dict[str, Any] = {}
    if database and database != ":memory:" and not database.startswith("file:"):
        pool = {"pool_size": SQLITE_POOL, "max_overflow": SQLITE_POOL // 2}
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
    finally:
        cursor.close()


def _on_sqlite_begin(conn: Connection) -> None:
    read_only = conn.get_execution_options().get(READ_ONLY, False)
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
