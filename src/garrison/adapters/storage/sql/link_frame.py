"""Every link as a `LinkTable`, read in bulk: one raw DBAPI cursor into a Polars frame.

Ring detection reads every link. Row by row (a SQLAlchemy row, a `Link` and two refs per link,
then a Python loop) that took most of a million-account detection; here the driver's rows go
straight into Polars, which numbers accounts and identifiers and picks owners in bulk. The result
holds what `LinkTableBuilder` makes of the same links (the same accounts, identifiers, owners and
first-seen times), numbered in the order the rows came.
"""

from __future__ import annotations

from array import array
from datetime import UTC, datetime
from typing import Any

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


def link_table(frame: pl.DataFrame) -> LinkTable:
    """The table of a frame of (account, kind, ident, seen) rows."""
    frame = frame.with_columns(pl.col("kind").replace_strict(_KIND, return_dtype=pl.Int8))
    accounts = frame.group_by("account", maintain_order=True).agg(pl.col("seen").min())
    accounts = accounts.with_row_index("a")
    frame = frame.join(accounts.select("account", "a"), on="account", maintain_order="left")
    is_org = pl.col("kind").is_in(_OWNER_KINDS)
    orgs, links = frame.filter(is_org), frame.filter(~is_org)
    idents = links.group_by("kind", "ident", maintain_order=True).agg().with_row_index("i")
    links = links.join(idents, on=["kind", "ident"], maintain_order="left")
    kinds = idents["kind"].to_numpy()
    strength = array("b")
    strength.frombytes(_STRENGTH[kinds].tobytes())
    return LinkTable(
        account_ids=accounts["account"],
        identifier_ids=idents["ident"],
        identifier_kinds=_Kinds(kinds),
        strength=strength,
        owner=_ints(_owners(orgs, accounts.height)),
        first_seen=_Times(accounts["seen"]),
        link_account=_ints(links["a"].to_numpy()),
        link_identifier=_ints(links["i"].to_numpy()),
    )


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
