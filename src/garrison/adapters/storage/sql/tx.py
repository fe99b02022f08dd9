"""One unit of work's connection and transaction, shared by its repositories.

Inserts that may collide use `INSERT ... ON CONFLICT DO NOTHING RETURNING`: a collision raises
DuplicateKey without aborting the transaction, so a unit behaves like the in-memory reference
(the failed insert leaves nothing behind; earlier work in the unit is kept until commit or exit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, Executable, RowMapping, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.sql.expression import ClauseElement

from garrison.adapters.storage.sql.driver import Driver, Prepared, Sql
from garrison.adapters.storage.sql.engine import READ_ONLY
from garrison.adapters.storage.sql.writelock import WriteLock
from garrison.services.unit_of_work import DuplicateKey

Insert = postgresql.Insert | sqlite.Insert


class Tx:
    """A connection with its open transaction; `open` at enter, `close` at exit."""

    def __init__(
        self, engine: Engine, write_lock: WriteLock | None = None, *, read_only: bool = False
    ) -> None:
        self._engine = engine
        self._write_lock = None if read_only else write_lock
        self.read_only = read_only
        self._locked = False
        self._conn: Connection | None = None
        self._driver: Driver | None = None
        self.dialect = engine.dialect.name
        self.before_commit: list[Callable[[], None]] = []
        """Writes a repository held back, run just before each commit (see `counters`)."""
        self.on_close: list[Callable[[], None]] = []
        """What a repository forgets when the unit ends (whatever it held back is rolled back)."""
        self.audit_locked = False

    @property
    def sqlite_file(self) -> str | None:
        """The database file of a SQLite engine; None in memory and on other databases."""
        database = self._engine.url.database or ""
        if self.dialect != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
            return None
        return database

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("the unit of work is used outside its `with` block")
        return self._conn

    def open(self) -> None:
        """Take the write lock (SQLite, see `writelock`), then a connection and a transaction."""
        if self._write_lock is not None:
            self._write_lock.acquire()
            self._locked = True
        try:
            conn = self._engine.connect()
            if self.read_only:
                conn.execution_options(**{READ_ONLY: True})
            try:
                conn.begin()
            except SQLAlchemyError:
                conn.close()
                raise
        except BaseException:
            self._unlock()
            raise
        self._conn = conn

    @property
    def driver(self) -> Driver:
        """The connection's DBAPI side, for fixed SQL text (see `driver`), in the unit's
        transaction (begun again if the unit committed and goes on)."""
        conn = self.conn
        if not conn.in_transaction():
            conn.begin()
        driver = self._driver
        if driver is None:
            driver = self._driver = Driver(conn, self.dialect)
        return driver

    def commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        try:
            for flush in self.before_commit:
                flush()
            self.conn.commit()
        except IntegrityError as exc:
            raise DuplicateKey(str(exc.orig)) from exc
        finally:
            self.audit_locked = False

    def close(self) -> None:
        """Roll back whatever was not committed and hand the connection back to the pool."""
        conn, self._conn = self._conn, None
        driver, self._driver = self._driver, None
        self.audit_locked = False
        try:
            for forget in self.on_close:
                forget()
            if driver is not None:
                driver.close()
            if conn is not None:
                conn.close()
        finally:
            self._unlock()

    def _unlock(self) -> None:
        if self._locked and self._write_lock is not None:
            self._locked = False
            self._write_lock.release()

    def rows(self, stmt: Executable) -> list[RowMapping]:
        return list(self.conn.execute(stmt).mappings())

    def row(self, stmt: Executable, params: Mapping[str, Any] | None = None) -> RowMapping | None:
        return self.conn.execute(stmt, params).mappings().first()

    def scalar(self, stmt: Executable) -> Any:
        return self.conn.execute(stmt).scalar()

    def insert(self, table: Table) -> Insert:
        """The dialect's own INSERT, which knows ON CONFLICT."""
        if self.dialect == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    def insert_new(self, table: Table, rows: Sequence[Mapping[str, Any]], *, what: str) -> None:
        """Insert all `rows` or none: raise DuplicateKey if any collides with a stored row (or
        another of `rows`).

        Each row is its own `ON CONFLICT DO NOTHING RETURNING` insert, except several rows on
        SQLite: the unit holds the write lock, so one look for their keys and one insert of all
        of them do the same.
        """
        if not rows:
            return
        keys = table.primary_key.columns.values()
        if len(rows) > 1 and len(keys) == 1 and self.dialect == "sqlite":
            self._insert_all_new(table, keys[0].name, rows, what)
            return
        key = keys[0]
        prepared, driver = _insert_new(table), self.driver
        inserted = [found[0][0] for row in rows if (found := driver.insert(prepared, row))]
        if len(inserted) < len(rows):
            if inserted:
                self.conn.execute(table.delete().where(key.in_(inserted)))
            raise DuplicateKey(what)

    def _insert_all_new(
        self, table: Table, key: str, rows: Sequence[Mapping[str, Any]], what: str
    ) -> None:
        wanted = [row[key] for row in rows]
        if len(set(wanted)) < len(wanted):
            raise DuplicateKey(what)
        driver = self.driver
        for start in range(0, len(wanted), KEYS_PER_QUERY):
            chunk = wanted[start : start + KEYS_PER_QUERY]
            if driver.fetch(_stored_keys(table.name, key, len(chunk)), chunk):
                raise DuplicateKey(what)
        driver.insert_many(_plain_insert(table), rows)

    def upsert(self, table: Table, row: Mapping[str, Any]) -> None:
        """Insert `row`, or overwrite the stored row with the same primary key (a statement
        compiled once per table and set of columns, see `driver`)."""
        self.driver.insert(_upsert(table, tuple(row)), row)

    @contextmanager
    def guarded(self, what: str) -> Iterator[None]:
        """Run writes in a savepoint; a unique collision undoes them and raises DuplicateKey."""
        try:
            with self.conn.begin_nested():
                yield
        except IntegrityError as exc:
            raise DuplicateKey(what) from exc


_INSERTS_NEW: dict[str, Prepared] = {}


def _insert_new(table: Table) -> Prepared:
    """`INSERT ... ON CONFLICT DO NOTHING RETURNING <key>` into `table`, compiled once per
    dialect (see `driver`): building a statement per row costs more than running it."""
    prepared = _INSERTS_NEW.get(table.name)
    if prepared is None:
        key = table.primary_key.columns.values()[0]

        def build(dialect: str) -> ClauseElement:
            insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
            return insert.on_conflict_do_nothing().returning(key)

        prepared = _INSERTS_NEW[table.name] = Prepared(build)
    return prepared


_UPSERTS: dict[tuple[str, tuple[str, ...]], Prepared] = {}


def _upsert(table: Table, columns: tuple[str, ...]) -> Prepared:
    prepared = _UPSERTS.get((table.name, columns))
    if prepared is None:
        keys = [c.name for c in table.primary_key.columns]

        def build(dialect: str) -> ClauseElement:
            insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
            changes = {name: insert.excluded[name] for name in columns if name not in keys}
            return insert.on_conflict_do_update(index_elements=keys, set_=changes)

        prepared = _UPSERTS[(table.name, columns)] = Prepared(build)
    return prepared


_PLAIN_INSERTS: dict[str, Prepared] = {}
KEYS_PER_QUERY = 500


def _plain_insert(table: Table) -> Prepared:
    prepared = _PLAIN_INSERTS.get(table.name)
    if prepared is None:
        prepared = _PLAIN_INSERTS[table.name] = Prepared(lambda dialect: table.insert())
    return prepared


@lru_cache(maxsize=256)
def _stored_keys(table: str, key: str, count: int) -> Sql:
    """`SELECT key FROM table WHERE key IN (...)` for `count` keys (names from the schema)."""
    return Sql(f'SELECT "{key}" FROM "{table}" WHERE "{key}" IN ({", ".join(["?"] * count)})')
