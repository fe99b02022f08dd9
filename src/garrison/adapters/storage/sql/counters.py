"""Velocity counters in time buckets, committed in the same transaction as their decisions.

COUNT buckets live in `counters`, SUM buckets in `counter_sums` (running totals) and DISTINCT
buckets in `counter_values` (one row per value seen). Every event reads and writes them, so the
statements are fixed SQL text (see `driver`), built once per number of rows: one statement per
aggregate type reads all of an event's windows (UNION ALL, 200 windows a statement at most),
and writes wait for the commit, then go in one multi-row upsert per table for the whole unit
(a batch of events writes its counters once).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from garrison.adapters.storage.sql.driver import Sql, rows_of
from garrison.adapters.storage.sql.tx import Tx

SUMS_PER_QUERY = 200
"""Windows read per statement (SQLite caps compound SELECTs at 500 terms)."""
ROWS_PER_INSERT = 500
"""Rows per upsert statement (3 parameters a row; SQLite allows 32,766 parameters)."""
WINDOW = 'FROM {table} WHERE "key" = ? AND bucket BETWEEN ? AND ?'


@lru_cache(maxsize=SUMS_PER_QUERY)
def _sums_sql(count: int) -> Sql:
    parts = [
        f'SELECT {i}, coalesce(sum("count"), 0) {WINDOW.format(table="counters")}'
        for i in range(count)
    ]
    return Sql(" UNION ALL ".join(parts))


@lru_cache(maxsize=SUMS_PER_QUERY)
def _totals_sql(count: int) -> Sql:
    parts = [
        f"SELECT {i}, coalesce(sum(total), 0.0) {WINDOW.format(table='counter_sums')}"
        for i in range(count)
    ]
    return Sql(" UNION ALL ".join(parts))


@lru_cache(maxsize=SUMS_PER_QUERY)
def _distinct_sql(count: int) -> Sql:
    """Each window's distinct values, with one more value (or NULL, which `count` skips)."""
    parts = [
        f"SELECT {i}, count(value) FROM (SELECT value {WINDOW.format(table='counter_values')} "
        f"UNION SELECT CAST(? AS VARCHAR)) AS seen_{i}"
        for i in range(count)
    ]
    return Sql(" UNION ALL ".join(parts))


@lru_cache(maxsize=256)
def _increment_sql(rows: int) -> Sql:
    return rows_of(
        'INSERT INTO counters ("key", bucket, "count") VALUES',
        "(?, ?, ?)",
        rows,
        ' ON CONFLICT ("key", bucket) DO UPDATE SET "count" = counters."count" + excluded."count"',
    )


@lru_cache(maxsize=256)
def _add_sql(rows: int) -> Sql:
    return rows_of(
        'INSERT INTO counter_sums ("key", bucket, total) VALUES',
        "(?, ?, ?)",
        rows,
        ' ON CONFLICT ("key", bucket) DO UPDATE SET total = counter_sums.total + excluded.total',
    )


@lru_cache(maxsize=256)
def _mark_sql(rows: int) -> Sql:
    return rows_of(
        'INSERT INTO counter_values ("key", bucket, value) VALUES',
        "(?, ?, ?)",
        rows,
        " ON CONFLICT DO NOTHING",
    )


class SqlCounters:
    """Writes are held back until the unit commits and then written in one upsert per table,
    so a batch of events writes its counters once; reads in the unit add what is held back
    (a DISTINCT read whose keys have values held back writes those first)."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx
        self._counts: dict[str, dict[int, int]] = {}
        self._amounts: dict[str, dict[int, float]] = {}
        self._marks: set[tuple[str, int, str]] = set()
        self._marked: set[str] = set()
        tx.before_commit.append(self._flush)
        tx.on_close.append(self._forget)

    def increment(self, keys: Sequence[str], bucket: int) -> None:
        """A key named twice is counted twice."""
        for key in keys:
            buckets = self._counts.setdefault(key, {})
            buckets[bucket] = buckets.get(bucket, 0) + 1

    def sums(self, queries: Sequence[tuple[str, int, int]]) -> list[int]:
        """Each (key, first, last) summed inclusively; one statement per 200 queries."""
        stored = zip(self._read(_sums_sql, queries), queries, strict=True)
        return [int(total) + _held(self._counts, query) for total, query in stored]

    def add(self, items: Sequence[tuple[str, int, float]]) -> None:
        for key, bucket, amount in items:
            buckets = self._amounts.setdefault(key, {})
            buckets[bucket] = buckets.get(bucket, 0.0) + amount

    def totals(self, queries: Sequence[tuple[str, int, int]]) -> list[float]:
        """Each (key, first, last) summed inclusively; one statement per 200 queries."""
        stored = zip(self._read(_totals_sql, queries), queries, strict=True)
        return [float(total) + _held(self._amounts, query) for total, query in stored]

    def mark(self, items: Sequence[tuple[str, int, str]]) -> None:
        self._marks.update(items)
        self._marked.update(key for key, _, _ in items)

    def distinct(self, queries: Sequence[tuple[str, int, int, str | None]]) -> list[int]:
        """Distinct values per (key, first, last, also); one statement per 200 queries."""
        if self._marked and any(query[0] in self._marked for query in queries):
            self._write_marks()
        return [int(n) for n in self._read(_distinct_sql, queries)]

    def _flush(self) -> None:
        """Write what is held back: one upsert per table, rows in key order, so concurrent
        units lock them in the same order (no deadlock)."""
        counts = [(k, b, n) for k, buckets in self._counts.items() for b, n in buckets.items()]
        amounts = [(k, b, t) for k, buckets in self._amounts.items() for b, t in buckets.items()]
        self._forget_counts()
        self._upsert(_increment_sql, sorted(counts))
        self._upsert(_add_sql, sorted(amounts))
        self._write_marks()

    def _write_marks(self) -> None:
        marks, self._marks, self._marked = sorted(self._marks), set(), set()
        self._upsert(_mark_sql, marks)

    def _forget(self) -> None:
        self._forget_counts()
        self._marks, self._marked = set(), set()

    def _forget_counts(self) -> None:
        self._counts, self._amounts = {}, {}

    def _read(
        self, sql_for: Callable[[int], Sql], queries: Sequence[Sequence[object]]
    ) -> list[Any]:
        """Each query's value: the second column of the row whose first is its index."""
        found: list[Any] = []
        driver = self._tx.driver if queries else None
        for start in range(0, len(queries), SUMS_PER_QUERY):
            chunk = queries[start : start + SUMS_PER_QUERY]
            params = [value for query in chunk for value in query]
            assert driver is not None
            by_index = dict(driver.fetch(sql_for(len(chunk)), params))
            found.extend(by_index[i] for i in range(len(chunk)))
        return found

    def _upsert(self, sql_for: Callable[[int], Sql], rows: Sequence[tuple[object, ...]]) -> None:
        if not rows:
            return
        driver = self._tx.driver
        for start in range(0, len(rows), ROWS_PER_INSERT):
            chunk = rows[start : start + ROWS_PER_INSERT]
            driver.run(sql_for(len(chunk)), [value for row in chunk for value in row])


Number = TypeVar("Number", int, float)


def _held(held: dict[str, dict[int, Number]], query: tuple[str, int, int]) -> Number:
    """What the unit holds back for the query's key in its bucket range."""
    key, first, last = query
    buckets = held.get(key)
    if not buckets:
        return 0
    return sum(n for bucket, n in buckets.items() if first <= bucket <= last)
