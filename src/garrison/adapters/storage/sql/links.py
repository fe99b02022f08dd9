"""Identity links (one row per account and identifier) and the rings of the latest detection.

Observing is one multi-row upsert that keeps the earliest first-seen, the latest last-seen and
counts events; `counts` stops counting at `cap`, so a hub IP costs no more than a quiet one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, TextClause, case, func, select, text, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.expression import ClauseElement

from garrison.adapters.storage.sql.driver import Prepared
from garrison.adapters.storage.sql.link_frame import read_link_table, read_sqlite_link_table
from garrison.adapters.storage.sql.tables import links, ring_members, rings
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.graph import Link, Strength
from garrison.domain.rings import Ring, RingMethod, RingRisk, RiskFactor, SharedIdentifier
from garrison.services.graph_storage import LinkKey, Observation
from garrison.services.link_table import LinkTable

_L = links.c
_R = rings.c
_ORDER = (_L.account_id, _L.identifier_kind, _L.identifier_id)
_SCANNED = (*_ORDER, _L.first_seen, _L.last_seen, _L.events)
_KINDS = {kind.value: kind for kind in EntityKind}


class SqlLinks:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def observe(self, account: EntityRef, identifiers: Sequence[EntityRef], at: datetime) -> None:
        self.observe_many([(account, tuple(identifiers), at)])

    def observe_many(self, observed: Sequence[Observation]) -> None:
        """One upsert statement for the batch; a link seen twice in it is merged first, so no
        statement touches one row twice (PostgreSQL refuses that in one command)."""
        merged: dict[LinkKey, list[Any]] = {}
        for account, identifiers, at in observed:
            for ident in dict.fromkeys(identifiers):
                key = (account.id, ident.kind.value, ident.id)
                row = merged.get(key)
                if row is None:
                    merged[key] = [at, at, 1]
                else:
                    row[0], row[1], row[2] = min(row[0], at), max(row[1], at), row[2] + 1
        rows = [
            {
                "account_id": key[0],
                "identifier_kind": key[1],
                "identifier_id": key[2],
                "first_seen": first,
                "last_seen": last,
                "events": events,
            }
            for key, (first, last, events) in merged.items()
        ]
        if rows:
            self._tx.driver.insert_many(_UPSERT, rows)

    def identifiers_for(self, account: EntityRef) -> list[Link]:
        stmt = select(links).where(_L.account_id == account.id).order_by(*_ORDER)
        return [_link(row) for row in self._tx.rows(stmt)]

    def accounts_for(self, identifier: EntityRef, limit: int) -> list[Link]:
        stmt = (
            select(links)
            .where(_L.identifier_kind == identifier.kind.value)
            .where(_L.identifier_id == identifier.id)
            .order_by(_L.account_id)
            .limit(limit)
        )
        return [_link(row) for row in self._tx.rows(stmt)]

    def users(self, identifiers: Sequence[EntityRef], cap: int) -> dict[EntityRef, list[str]]:
        """One statement: a `UNION ALL` of one small indexed read per identifier, each stopped
        at `cap` (a hub costs no more than a quiet identifier), plain ids only."""
        wanted = list(dict.fromkeys(identifiers))
        found: dict[EntityRef, list[str]] = {ident: [] for ident in wanted}
        for start in range(0, len(wanted), USERS_PER_STATEMENT):
            part = wanted[start : start + USERS_PER_STATEMENT]
            params: dict[str, Any] = {"cap": cap}
            for n, ident in enumerate(part):
                params[f"k{n}"], params[f"i{n}"] = ident.kind.value, ident.id
            rows = self._tx.conn.execute(_users_sql(len(part)), params).all()
            for n, account_id in rows:
                found[part[n]].append(account_id)
        return found

    def counts(self, identifiers: Sequence[EntityRef], cap: int) -> dict[EntityRef, int]:
        found: dict[EntityRef, int] = {}
        for ident in dict.fromkeys(identifiers):
            capped = (
                select(_L.account_id)
                .where(_L.identifier_kind == ident.kind.value)
                .where(_L.identifier_id == ident.id)
                .limit(cap)
                .subquery()
            )
            found[ident] = int(self._tx.scalar(select(func.count()).select_from(capped)) or 0)
        return found

    def scan(self, after: LinkKey | None, limit: int) -> list[Link]:
        stmt = select(*_SCANNED).order_by(*_ORDER).limit(limit)
        if after is not None:
            stmt = stmt.where(tuple_(*_ORDER) > tuple_(*after))
        # Plain tuples and one ref per account: ring detection reads every link this way.
        out: list[Link] = []
        account: EntityRef | None = None
        for account_id, kind, ident, first, last, events in self._tx.conn.execute(stmt).all():
            if account is None or account.id != account_id:
                account = EntityRef(EntityKind.ACCOUNT, account_id)
            out.append(Link(account, EntityRef(_KINDS[kind], ident), first, last, int(events)))
        return out

    def table(self) -> LinkTable:
        path = self._tx.sqlite_file
        if path is not None:
            return read_sqlite_link_table(path)
        cursor = self._tx.conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            return read_link_table(cursor)
        finally:
            cursor.close()

    def clear(self) -> None:
        self._tx.conn.execute(links.delete())


class SqlRings:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def replace(self, found: Sequence[Ring]) -> None:
        conn = self._tx.conn
        conn.execute(ring_members.delete())
        conn.execute(rings.delete())
        if not found:
            return
        conn.execute(rings.insert(), [_ring_row(ring) for ring in found])
        members = [{"account_id": m.id, "ring_id": r.id} for r in found for m in r.members]
        if members:
            conn.execute(ring_members.insert(), members)

    def get(self, ring_id: str) -> Ring | None:
        row = self._tx.row(select(rings).where(_R.id == ring_id))
        return _ring(row) if row is not None else None

    def list(self, *, min_size: int, limit: int, offset: int = 0) -> list[Ring]:
        stmt = (
            select(rings)
            .where(_R.size >= min_size)
            .order_by(_R.risk.desc(), _R.size.desc(), _R.id)
            .limit(limit)
            .offset(offset)
        )
        return [_ring(row) for row in self._tx.rows(stmt)]

    def for_account(self, account: EntityRef) -> Ring | None:
        if account.kind is not EntityKind.ACCOUNT:
            return None
        stmt = (
            select(rings)
            .join(ring_members, ring_members.c.ring_id == _R.id)
            .where(ring_members.c.account_id == account.id)
        )
        row = self._tx.row(stmt)
        return _ring(row) if row is not None else None

    def flagged(self) -> dict[str, datetime]:
        stmt = select(_R.id, _R.flagged_at).where(_R.flagged_at.is_not(None))
        return {row["id"]: row["flagged_at"] for row in self._tx.rows(stmt)}


USERS_PER_STATEMENT = 50


def _users_sql(parts: int) -> TextClause:
    return text(
        " UNION ALL ".join(
            f"SELECT * FROM (SELECT {n} AS n, account_id FROM links"
            f" WHERE identifier_kind = :k{n} AND identifier_id = :i{n}"
            f" ORDER BY account_id LIMIT :cap) AS u{n}"
            for n in range(parts)
        )
    )


def _build_upsert(dialect: str) -> ClauseElement:
    """The link upsert of a dialect: keep the earliest first-seen and the latest last-seen, add
    the events (compiled once per dialect by `Prepared`; run on the unit's DBAPI cursor)."""
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(links)
    new = insert.excluded
    return insert.on_conflict_do_update(
        index_elements=[c.name for c in _ORDER],
        set_={
            "first_seen": case(
                (new.first_seen < _L.first_seen, new.first_seen), else_=_L.first_seen
            ),
            "last_seen": case((new.last_seen > _L.last_seen, new.last_seen), else_=_L.last_seen),
            "events": _L.events + new.events,
        },
    )


_UPSERT = Prepared(_build_upsert)


def _link(row: RowMapping) -> Link:
    return Link(
        EntityRef(EntityKind.ACCOUNT, row["account_id"]),
        EntityRef(_KINDS[row["identifier_kind"]], row["identifier_id"]),
        row["first_seen"],
        row["last_seen"],
        int(row["events"]),
    )


def _ring_row(ring: Ring) -> dict[str, Any]:
    body = {
        "members": [str(m) for m in ring.members],
        "infrastructure": [
            {"ref": str(s.ref), "strength": s.strength.value, "owners": s.owners}
            for s in ring.infrastructure
        ],
        "method": ring.method.value,
        "first_seen": ring.first_seen.isoformat(),
        "last_seen": ring.last_seen.isoformat(),
        "burst": ring.burst,
        "labelled_bad": [str(m) for m in ring.labelled_bad],
        "risk": {
            "score": ring.risk.score,
            "factors": [
                {"name": f.name, "value": f.value, "weight": f.weight, "note": f.note}
                for f in ring.risk.factors
            ],
        },
    }
    return {
        "id": ring.id,
        "size": ring.size,
        "risk": ring.risk.score,
        "detected_at": ring.detected_at,
        "flagged_at": ring.flagged_at,
        "body": body,
    }


def _ring(row: RowMapping) -> Ring:
    body = row["body"]
    risk = body["risk"]
    return Ring(
        id=row["id"],
        members=tuple(EntityRef.parse(m) for m in body["members"]),
        infrastructure=tuple(
            SharedIdentifier(EntityRef.parse(s["ref"]), Strength(s["strength"]), s["owners"])
            for s in body["infrastructure"]
        ),
        method=RingMethod(body["method"]),
        first_seen=datetime.fromisoformat(body["first_seen"]),
        last_seen=datetime.fromisoformat(body["last_seen"]),
        burst=body["burst"],
        labelled_bad=tuple(EntityRef.parse(m) for m in body["labelled_bad"]),
        risk=RingRisk(
            risk["score"],
            tuple(
                RiskFactor(f["name"], f["value"], f["weight"], f["note"]) for f in risk["factors"]
            ),
        ),
        detected_at=row["detected_at"],
        flagged_at=row["flagged_at"],
    )
