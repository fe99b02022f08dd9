"""Fixed SQL text run on the unit's own DBAPI connection: the statements every event runs.

Building, caching and compiling a SQLAlchemy Core statement costs tens of microseconds each
time; the counter reads and upserts run several times per event, over plain text and number
columns, so they are written once as text with `?` placeholders, rendered once per dialect
(`%s` for psycopg) and executed on a DBAPI cursor of the unit's connection, inside its
transaction. DBAPI errors come out as SQLAlchemy's exceptions, like everywhere else.

Inserts into typed columns (JSON, aware datetimes) are `Prepared`: SQLAlchemy compiles the Core
statement once per dialect and the columns' own bind processors convert the values, so the text
and the stored values are exactly SQLAlchemy's, without its per-call work. Reads that need result
types stay in Core. SQLAlchemy's statement events and echo do not see these statements.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Dialect
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

Params = Sequence[Any]


class Sql:
    """One statement's text for each supported dialect, from a template with `?` placeholders.

    Identifiers that are keywords somewhere (`key`, `count`) are double-quoted in the template.
    """

    __slots__ = ("postgresql", "sqlite")

    def __init__(self, template: str) -> None:
        self.sqlite = template
        self.postgresql = template.replace("%", "%%").replace("?", "%s")

    def text(self, dialect: str) -> str:
        return self.postgresql if dialect == "postgresql" else self.sqlite


def rows_of(template: str, row: str, count: int, tail: str = "") -> Sql:
    """`template` followed by `count` copies of `row` joined by commas, then `tail`: a
    multi-row VALUES list."""
    return Sql(f"{template} {', '.join([row] * count)}{tail}")


@dataclass(frozen=True, slots=True)
class Compiled:
    """A statement's text for one dialect, and how to turn a row into its parameters."""

    text: str
    names: tuple[str, ...] | None
    """Parameter order for a positional paramstyle (None: named, pass a dict)."""
    processors: tuple[tuple[str, Callable[[Any], Any]], ...]

    @classmethod
    def of(cls, stmt: ClauseElement, keys: Sequence[str], dialect: Dialect) -> Compiled:
        compiled = cast(SQLCompiler, stmt.compile(dialect=dialect, column_keys=list(keys)))
        processors = []
        for name, bind in compiled.binds.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                processors.append((name, process))
        names = tuple(compiled.positiontup or ()) if compiled.positional else None
        return cls(compiled.string, names, tuple(processors))

    def params(self, row: Mapping[str, Any]) -> Any:
        """The row's values converted for the driver; a value the column refuses raises
        StatementError, as SQLAlchemy does."""
        values = dict(row)
        for name, process in self.processors:
            try:
                values[name] = process(values[name])
            except (ValueError, TypeError) as error:
                raise StatementError(str(error), self.text, dict(row), error) from error
        return values if self.names is None else tuple([values[n] for n in self.names])


class Prepared:
    """A Core statement over whole rows, compiled once per dialect and set of row keys."""

    def __init__(self, build: Callable[[str], ClauseElement]) -> None:
        self._build = build
        self._compiled: dict[tuple[str, tuple[str, ...]], Compiled] = {}

    def compiled(self, dialect: Dialect, keys: tuple[str, ...]) -> Compiled:
        found = self._compiled.get((dialect.name, keys))
        if found is None:
            found = Compiled.of(self._build(dialect.name), keys, dialect)
            self._compiled[(dialect.name, keys)] = found
        return found


class Driver:
    """The DBAPI side of one unit's connection."""

    def __init__(self, conn: Connection, dialect: str) -> None:
        self._dialect = dialect
        self._sql_dialect = conn.dialect
        self._dbapi_error: type[Exception] = conn.dialect.loaded_dbapi.Error
        self._cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]

    def fetch(self, sql: Sql, params: Params) -> list[Any]:
        """Run a query; its rows as tuples."""
        text = sql.text(self._dialect)
        cursor = self._cursor
        try:
            cursor.execute(text, params)
            return list(cursor.fetchall())
        except self._dbapi_error as error:
            raise DBAPIError.instance(text, params, error, self._dbapi_error) from error

    def run(self, sql: Sql, params: Params) -> None:
        """Run a statement that returns no rows."""
        text = sql.text(self._dialect)
        try:
            self._cursor.execute(text, params)
        except self._dbapi_error as error:
            raise DBAPIError.instance(text, params, error, self._dbapi_error) from error

    def insert(self, prepared: Prepared, row: Mapping[str, Any]) -> list[Any]:
        """Insert one row; what its RETURNING clause gives, if it has one."""
        compiled = prepared.compiled(self._sql_dialect, tuple(row))
        params = compiled.params(row)
        cursor = self._cursor
        try:
            cursor.execute(compiled.text, params)
            return list(cursor.fetchall()) if cursor.description is not None else []
        except self._dbapi_error as error:
            raise DBAPIError.instance(compiled.text, params, error, self._dbapi_error) from error

    def insert_many(self, prepared: Prepared, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert rows that all have the same keys, in one executemany."""
        if not rows:
            return
        compiled = prepared.compiled(self._sql_dialect, tuple(rows[0]))
        params = [compiled.params(row) for row in rows]
        try:
            self._cursor.executemany(compiled.text, params)
        except self._dbapi_error as error:
            raise DBAPIError.instance(compiled.text, params, error, self._dbapi_error) from error

    def close(self) -> None:
        self._cursor.close()
