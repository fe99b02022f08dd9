"""The event log and the decisions taken on its events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

from sqlalchemy import and_, bindparam, or_, select

from garrison.adapters.storage.sql import codecs
from garrison.adapters.storage.sql.driver import Prepared, Sql
from garrison.adapters.storage.sql.tables import decisions, event_entities, events
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.decisions import Decision
from garrison.domain.entities import EntityRef
from garrison.domain.events import Event
from garrison.domain.ids import DecisionId, EventId
from garrison.services.unit_of_work import StoredEvent

_EXISTS = Sql("SELECT 1 FROM events WHERE id = ?")
KNOWN_PER_QUERY = 500


@lru_cache(maxsize=64)
def _known(count: int) -> Sql:
    return Sql(f"SELECT id FROM events WHERE id IN ({', '.join(['?'] * count)})")


_BY_ID = select(events).where(events.c.id == bindparam("id"))
_INDEX = Prepared(lambda dialect: event_entities.insert())


class SqlEventLog:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def get(self, event_id: EventId) -> StoredEvent | None:
        # Every ingested event asks first; almost always it is new, and the fixed-text lookup
        # (see `driver`) answers that for a fraction of the cost of the typed select.
        if not self._tx.driver.fetch(_EXISTS, (event_id,)):
            return None
        row = self._tx.row(_BY_ID, {"id": event_id})
        return codecs.stored_event_of(row) if row is not None else None

    def known(self, event_ids: Sequence[EventId]) -> frozenset[EventId]:
        found: set[EventId] = set()
        wanted = sorted(set(event_ids))
        for start in range(0, len(wanted), KNOWN_PER_QUERY):
            chunk = wanted[start : start + KNOWN_PER_QUERY]
            found.update(
                EventId(row[0]) for row in self._tx.driver.fetch(_known(len(chunk)), chunk)
            )
        return frozenset(found)

    def add(self, stored: StoredEvent) -> None:
        self.add_many([stored])

    def add_many(self, stored: Sequence[StoredEvent]) -> None:
        if not stored:
            return
        rows = [codecs.stored_event_row(one) for one in stored]
        what = f"event among {', '.join(one.event.id for one in stored)}"
        self._tx.insert_new(events, rows, what=what)
        index = [
            {
                "kind": ref.kind.value,
                "entity_id": ref.id,
                "event_id": one.event.id,
                "occurred_at": one.event.occurred_at,
            }
            for one in stored
            for ref in one.event.refs
        ]
        self._tx.driver.insert_many(_INDEX, index)

    def for_entity(self, ref: EntityRef, limit: int) -> list[Event]:
        stmt = (
            select(events)
            .join(event_entities, event_entities.c.event_id == events.c.id)
            .where(event_entities.c.kind == ref.kind.value)
            .where(event_entities.c.entity_id == ref.id)
            .order_by(event_entities.c.occurred_at.desc(), event_entities.c.event_id.desc())
            .limit(limit)
        )
        return [codecs.event_of(row) for row in self._tx.rows(stmt)]

    def by_time(
        self, start: datetime, end: datetime | None, after: StoredEvent | None, limit: int
    ) -> list[StoredEvent]:
        c = events.c
        stmt = select(events).where(c.occurred_at >= start)
        if end is not None:
            stmt = stmt.where(c.occurred_at < end)
        if after is not None:
            at, received, ident = after.event.occurred_at, after.received_at, after.event.id
            later = or_(c.received_at > received, and_(c.received_at == received, c.id > ident))
            stmt = stmt.where(or_(c.occurred_at > at, and_(c.occurred_at == at, later)))
        stmt = stmt.order_by(c.occurred_at, c.received_at, c.id).limit(limit)
        return [codecs.stored_event_of(row) for row in self._tx.rows(stmt)]


class SqlDecisions:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add(self, decision: Decision) -> None:
        self.add_many([decision])

    def add_many(self, batch: Sequence[Decision]) -> None:
        rows = [codecs.decision_row(decision) for decision in batch]
        what = f"decision among {', '.join(decision.id for decision in batch)}"
        self._tx.insert_new(decisions, rows, what=what)

    def get(self, decision_id: DecisionId) -> Decision | None:
        row = self._tx.row(select(decisions).where(decisions.c.id == decision_id))
        return codecs.decision_of(row) if row is not None else None

    def many(self, ids: Sequence[DecisionId]) -> list[Decision]:
        if not ids:
            return []
        rows = self._tx.rows(select(decisions).where(decisions.c.id.in_(set(ids))))
        found = {row["id"]: codecs.decision_of(row) for row in rows}
        return [found[i] for i in ids if i in found]
