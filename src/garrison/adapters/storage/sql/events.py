"""The event log and the decisions taken on its events."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from garrison.adapters.storage.sql import codecs
from garrison.adapters.storage.sql.tables import decisions, event_entities, events
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.decisions import Decision
from garrison.domain.entities import EntityRef
from garrison.domain.events import Event
from garrison.domain.ids import DecisionId, EventId
from garrison.services.unit_of_work import StoredEvent


class SqlEventLog:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def get(self, event_id: EventId) -> StoredEvent | None:
        row = self._tx.row(select(events).where(events.c.id == event_id))
        return codecs.stored_event_of(row) if row is not None else None

    def add(self, stored: StoredEvent) -> None:
        event = stored.event
        self._tx.insert_new(events, [codecs.stored_event_row(stored)], what=f"event {event.id}")
        index = [
            {
                "kind": ref.kind.value,
                "entity_id": ref.id,
                "event_id": event.id,
                "occurred_at": event.occurred_at,
            }
            for ref in event.refs
        ]
        if index:
            self._tx.conn.execute(event_entities.insert(), index)

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


class SqlDecisions:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add(self, decision: Decision) -> None:
        self._tx.insert_new(
            decisions, [codecs.decision_row(decision)], what=f"decision {decision.id}"
        )

    def get(self, decision_id: DecisionId) -> Decision | None:
        row = self._tx.row(select(decisions).where(decisions.c.id == decision_id))
        return codecs.decision_of(row) if row is not None else None

    def many(self, ids: Sequence[DecisionId]) -> list[Decision]:
        if not ids:
            return []
        rows = self._tx.rows(select(decisions).where(decisions.c.id.in_(set(ids))))
        found = {row["id"]: codecs.decision_of(row) for row in rows}
        return [found[i] for i in ids if i in found]
