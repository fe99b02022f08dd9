"""One unit of work's connection and transaction, shared by its repositories.

Inserts that may collide use `INSERT ... ON CONFLICT DO NOTHING RETURNING`: a collision raises
DuplicateKey without aborting the transaction, so a unit behaves like the in-memory reference
(the failed insert leaves nothing behind; earlier work in the unit is kept until commit or exit).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, Executable, RowMapping, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from garrison.services.unit_of_work import DuplicateKey

Insert = postgresql.Insert | sqlite.Insert


class Tx:
    """A connection with its open transaction; `open` at enter, `close` at exit."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None
        self.dialect = engine.dialect.name
        self.audit_locked = False

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("the unit of work is used outside its `with` block")
        return self._conn

    def open(self) -> None:
        conn = self._engine.connect()
        try:
            conn.begin()
        except SQLAlchemyError:
            conn.close()
            raise
        self._conn = conn

    def commit(self) -> None:
        try:
            self.conn.commit()
        except IntegrityError as exc:
            raise DuplicateKey(str(exc.orig)) from exc
        finally:
            self.audit_locked = False

    def close(self) -> None:
        """Roll back whatever was not committed and hand the connection back to the pool."""
        conn, self._conn = self._conn, None
        self.audit_locked = False
        if conn is not None:
            conn.close()

    def rows(self, stmt: Executable) -> list[RowMapping]:
        return list(self.conn.execute(stmt).mappings())

    def row(self, stmt: Executable) -> RowMapping | None:
        return self.conn.execute(stmt).mappings().first()

    def scalar(self, stmt: Executable) -> Any:
        return self.conn.execute(stmt).scalar()

    def insert(self, table: Table) -> Insert:
        """The dialect's own INSERT, which knows ON CONFLICT."""
        if self.dialect == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    def insert_new(self, table: Table, rows: Sequence[Mapping[str, Any]], *, what: str) -> None:
        """Insert all `rows` or none: raise DuplicateKey if any collides with a stored row."""
        if not rows:
            return
        key = table.primary_key.columns.values()[0]
        stmt = self.insert(table).on_conflict_do_nothing().returning(key)
        if len(rows) == 1:
            inserted = list(self.conn.execute(stmt.values(dict(rows[0]))).scalars())
        else:
            inserted = list(self.conn.execute(stmt, [dict(r) for r in rows]).scalars())
        if len(inserted) < len(rows):
            if inserted:
                self.conn.execute(table.delete().where(key.in_(inserted)))
            raise DuplicateKey(what)

    def upsert(self, table: Table, row: Mapping[str, Any]) -> None:
        """Insert `row`, or overwrite the stored row with the same primary key."""
        keys = [c.name for c in table.primary_key.columns]
        stmt = self.insert(table).values(dict(row))
        changes = {name: stmt.excluded[name] for name in row if name not in keys}
        self.conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=changes))

    @contextmanager
    def guarded(self, what: str) -> Iterator[None]:
        """Run writes in a savepoint; a unique collision undoes them and raises DuplicateKey."""
        try:
            with self.conn.begin_nested():
                yield
        except IntegrityError as exc:
            raise DuplicateKey(what) from exc
