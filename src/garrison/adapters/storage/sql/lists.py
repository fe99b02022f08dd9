"""Value lists: a header row per list and one row per entry, written in the unit's transaction.

Saving a list compares the stored entries with the new ones and writes only the difference, so
adding one entry to a long list is two small statements, not a rewrite.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import RowMapping, select

from garrison.adapters.storage.sql.driver import Sql
from garrison.adapters.storage.sql.tables import sequences, value_list_entries, value_lists
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.lists import ListKind, ListSummary, ValueList

VERSION_SEQUENCE = "value_lists"
INSERT_CHUNK = 5_000


@lru_cache(maxsize=64)
def _versions_sql(count: int) -> Sql:
    marks = ", ".join(["?"] * count)
    return Sql(f"SELECT name, version FROM value_lists WHERE name IN ({marks})")


class SqlLists:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def get(self, name: str) -> ValueList | None:
        row = self._tx.row(select(value_lists).where(value_lists.c.name == name))
        if row is None:
            return None
        entries = self._tx.conn.execute(
            select(value_list_entries.c.value)
            .where(value_list_entries.c.list_name == name)
            .order_by(value_list_entries.c.value)
        ).scalars()
        summary = _summary(row)
        return ValueList(
            summary.name,
            summary.kind,
            tuple(entries),
            summary.description,
            summary.version,
            summary.updated_at,
        )

    def summaries(self) -> list[ListSummary]:
        rows = self._tx.rows(select(value_lists).order_by(value_lists.c.name))
        return [_summary(row) for row in rows]

    def versions(self, names: Sequence[str]) -> dict[str, int]:
        """One fixed statement per number of names (see `driver`): every event with a list
        rule reads the versions."""
        if not names:
            return {}
        wanted = sorted(set(names))
        rows = self._tx.driver.fetch(_versions_sql(len(wanted)), wanted)
        return {name: int(version) for name, version in rows}

    def next_version(self) -> int:
        """One upsert on the sequence row; it stays locked until the unit ends (PostgreSQL)."""
        insert = self._tx.insert(sequences).values(name=VERSION_SEQUENCE, value=1)
        stmt = insert.on_conflict_do_update(
            index_elements=["name"], set_={"value": sequences.c.value + 1}
        ).returning(sequences.c.value)
        return int(self._tx.conn.execute(stmt).scalar_one())

    def add(self, value_list: ValueList) -> None:
        self._tx.insert_new(value_lists, [_row(value_list)], what=f"list {value_list.name}")
        self._insert_entries(value_list.name, value_list.entries)

    def save(self, value_list: ValueList, *, expected_version: int) -> bool:
        name = value_list.name
        updated = self._tx.conn.execute(
            value_lists.update()
            .where(value_lists.c.name == name)
            .where(value_lists.c.version == expected_version)
            .values(_row(value_list))
        )
        if updated.rowcount != 1:
            return False
        stored = set(
            self._tx.conn.execute(
                select(value_list_entries.c.value).where(value_list_entries.c.list_name == name)
            ).scalars()
        )
        wanted = set(value_list.entries)
        gone = sorted(stored - wanted)
        for start in range(0, len(gone), INSERT_CHUNK):
            self._tx.conn.execute(
                value_list_entries.delete()
                .where(value_list_entries.c.list_name == name)
                .where(value_list_entries.c.value.in_(gone[start : start + INSERT_CHUNK]))
            )
        self._insert_entries(name, sorted(wanted - stored))
        return True

    def delete(self, name: str) -> bool:
        self._tx.conn.execute(
            value_list_entries.delete().where(value_list_entries.c.list_name == name)
        )
        deleted = self._tx.conn.execute(value_lists.delete().where(value_lists.c.name == name))
        return deleted.rowcount == 1

    def _insert_entries(self, name: str, entries: Sequence[str]) -> None:
        for start in range(0, len(entries), INSERT_CHUNK):
            rows = [{"list_name": name, "value": v} for v in entries[start : start + INSERT_CHUNK]]
            self._tx.conn.execute(value_list_entries.insert(), rows)


def _row(value_list: ValueList) -> dict[str, Any]:
    return {
        "name": value_list.name,
        "kind": value_list.kind.value,
        "description": value_list.description,
        "version": value_list.version,
        "updated_at": value_list.updated_at,
        "size": len(value_list.entries),
    }


def _summary(row: RowMapping) -> ListSummary:
    return ListSummary(
        row["name"],
        ListKind(row["kind"]),
        row["description"],
        int(row["version"]),
        row["updated_at"],
        int(row["size"]),
    )
