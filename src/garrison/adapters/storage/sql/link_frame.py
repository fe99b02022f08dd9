"""Every link as a `LinkTable`, read in bulk into a Polars frame.

Ring detection reads every link. Row by row (a SQLAlchemy row, a `Link` and two refs per link,
then a Python loop) that took most of a million-account detection. A SQLite file is read through
the ADBC SQLite driver, whose Arrow columns go into Polars without a Python object per value;
other databases (and in-memory SQLite, which another connection cannot see) through the unit's
DBAPI cursor, `fetchmany` into frames. Polars then numbers accounts and identifiers and picks
owners in bulk. The result holds what `LinkTableBuilder` makes of the same links (the same
accounts, identifiers, owners and first-seen times), numbered in the order the rows came.
"""

from __future__ import annotations

from array import array
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import numpy as np
import polars as pl

from garrison.domain.entities import EntityKind
from garrison.services.link_table import LINK_KINDS, OWNER_CODE, LinkTable, strength_code

SELECT = "SELECT account_id, identifier_kind, identifier_id, first_seen FROM links"
FETCH = 200_000
_SCHEMA = ["account", "kind", "ident", "seen"]
_KIND = {kind.value: code for code, kind in enumerate(LINK_KINDS)}
_STRENGTH = np.array([strength_code(kind) for kind in LINK_KINDS], dtype=np.int8)
_OWNER_KINDS = [code for code, kind in enumerate(LINK_KINDS) if strength_code(kind) == OWNER_CODE]

Ints = np.ndarray[Any, np.dtype[np.int64]]


def read_link_table(cursor: Any) -> LinkTable:
    """Every link, through a DBAPI cursor (`SELECT` is executed here)."""
    cursor.execute(SELECT)
    parts = []
    while rows := cursor.fetchmany(FETCH):
        parts.append(pl.DataFrame(rows, schema=_SCHEMA, orient="row"))
    if not parts:
        return LinkTable()
    return link_table(pl.concat(parts))


def read_sqlite_link_table(path: str) -> LinkTable:
    """Every link of the SQLite file at `path`, through its own read-only ADBC connection (a
    snapshot of what is committed; the caller's transaction writes no links)."""
    import adbc_driver_manager
    import adbc_driver_sqlite

    with (
        adbc_driver_sqlite.connect(f"file:{quote(path)}?mode=ro") as database,
        adbc_driver_manager.AdbcConnection(database) as connection,
        adbc_driver_manager.AdbcStatement(connection) as statement,
    ):
        statement.set_sql_query(SELECT)
        stream, _ = statement.execute_query()
        frame = pl.DataFrame(stream)
    if frame.height == 0:
        return LinkTable()
    return link_table(frame.rename(dict(zip(frame.columns, _SCHEMA, strict=True))))


def link_table(frame: pl.DataFrame) -> LinkTable:
    """The table of a frame of (account, kind, ident, seen) rows, in any order. Accounts are
    numbered in id order and identifiers in (kind, id) order: each numbering is a sort and a
    running count of changes, several times faster at millions of rows than hashing the
    strings to group and join them."""
    frame = frame.with_columns(pl.col("kind").replace_strict(_KIND, return_dtype=pl.Int8))
    frame = _numbered(frame, ("account",), "a")
    account_ids = frame.filter(pl.col("new"))["account"]
    first_seen = frame.group_by("a").agg(pl.col("seen").min()).sort("a")["seen"]
    is_org = pl.col("kind").is_in(_OWNER_KINDS)
    orgs = frame.filter(is_org)
    links = _numbered(frame.filter(~is_org), ("kind", "ident"), "i")
    idents = links.filter(pl.col("new"))
    kinds = idents["kind"].to_numpy()
    strength = array("b")
    strength.frombytes(_STRENGTH[kinds].tobytes())
    return LinkTable(
        account_ids=account_ids,
        identifier_ids=idents["ident"],
        identifier_kinds=_Kinds(kinds),
        strength=strength,
        owner=_ints(_owners(orgs, len(account_ids))),
        first_seen=_Times(first_seen),
        link_account=_ints(links["a"].to_numpy()),
        link_identifier=_ints(links["i"].to_numpy()),
    )


def _numbered(frame: pl.DataFrame, columns: tuple[str, ...], name: str) -> pl.DataFrame:
    """`frame` sorted by `columns`, with `name` = 0, 1, 2, ... numbering the distinct values
    and `new` marking the first row of each."""
    changed = pl.any_horizontal(
        *((pl.col(c) != pl.col(c).shift()).fill_null(True) for c in columns)
    )
    frame = frame.sort(*columns).with_columns(changed.alias("new"))
    return frame.with_columns((pl.col("new").cast(pl.Int64).cum_sum() - 1).alias(name))


def _owners(orgs: pl.DataFrame, n: int) -> Ints:
    """Per account: itself, or `n` + the number of its org (the org seen first with it, ties
    broken by org id, as `LinkTableBuilder` does)."""
    owner = np.arange(n, dtype=np.int64)
    if orgs.height:
        first = orgs.sort("a", "seen", "ident").group_by("a", maintain_order=True).first()
        numbered = first.select("ident").unique(maintain_order=True).with_row_index("o")
        first = first.join(numbered, on="ident", maintain_order="left")
        owner[first["a"].to_numpy()] = n + first["o"].to_numpy().astype(np.int64)
    return owner


class _Kinds:
    """Identifier kinds by index, from their codes (a kind is made when looked at)."""

    def __init__(self, codes: np.ndarray[Any, Any]) -> None:
        self._codes = codes

    def __getitem__(self, index: int, /) -> EntityKind:
        return LINK_KINDS[int(self._codes[index])]

    def __len__(self) -> int:
        return len(self._codes)


class _Times:
    """First-seen times by index, parsed when looked at: naive UTC text on SQLite (see
    `UtcDateTime`: fixed width, so the least text is the earliest), aware times on PostgreSQL."""

    def __init__(self, column: pl.Series) -> None:
        self._column = column

    def __getitem__(self, index: int, /) -> datetime:
        value = self._column[index]
        if isinstance(value, datetime):
            return value.astimezone(UTC)
        return datetime.fromisoformat(value).replace(tzinfo=UTC)

    def __len__(self) -> int:
        return len(self._column)


def _ints(values: Ints) -> array[int]:
    out = array("q")
    out.frombytes(np.ascontiguousarray(values, dtype=np.int64).tobytes())
    return out
