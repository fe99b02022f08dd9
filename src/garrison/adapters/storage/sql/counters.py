"""Velocity counters in time buckets, committed in the same transaction as their decisions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlalchemy import Integer, func, literal_column, select, union_all

from garrison.adapters.storage.sql.tables import counters
from garrison.adapters.storage.sql.tx import Tx

SUMS_PER_QUERY = 200
"""Sums fetched per statement (SQLite caps compound SELECTs at 500 terms)."""


class SqlCounters:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def increment(self, keys: Sequence[str], bucket: int) -> None:
        """One upsert statement; a key named twice is counted twice.

        Rows go in key order, so concurrent units lock them in the same order (no deadlock).
        """
        if not keys:
            return
        counted = sorted(Counter(keys).items())
        rows = [{"key": key, "bucket": bucket, "count": n} for key, n in counted]
        stmt = self._tx.insert(counters)
        stmt = stmt.on_conflict_do_update(
            index_elements=["key", "bucket"],
            set_={"count": counters.c["count"] + stmt.excluded["count"]},
        )
        self._tx.conn.execute(stmt, rows)

    def sums(self, queries: Sequence[tuple[str, int, int]]) -> list[int]:
        """Each (key, first, last) summed inclusively; one statement per 200 queries."""
        totals: list[int] = []
        for start in range(0, len(queries), SUMS_PER_QUERY):
            totals.extend(self._sums(queries[start : start + SUMS_PER_QUERY]))
        return totals

    def _sums(self, queries: Sequence[tuple[str, int, int]]) -> list[int]:
        parts = [
            select(
                literal_column(str(i), Integer).label("i"),
                func.coalesce(func.sum(counters.c["count"]), 0).label("total"),
            )
            .where(counters.c["key"] == key)
            .where(counters.c.bucket.between(first, last))
            for i, (key, first, last) in enumerate(queries)
        ]
        stmt = parts[0] if len(parts) == 1 else union_all(*parts)
        found = {int(i): int(total) for i, total in self._tx.conn.execute(stmt)}
        return [found[i] for i in range(len(queries))]
