"""The action outbox and the webhook deliveries that tell the host platform about actions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select

from garrison.adapters.storage.sql import codecs, records
from garrison.adapters.storage.sql.tables import actions, deliveries
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.actions import Action, ActionStatus
from garrison.domain.ids import ActionId, CaseId, DecisionId, DeliveryId
from garrison.domain.webhooks import Delivery, DeliveryStatus


class SqlActions:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add(self, batch: Sequence[Action]) -> None:
        rows = [codecs.action_row(action) for action in batch]
        ids = ", ".join(action.id for action in batch)
        self._tx.insert_new(actions, rows, what=f"action among {ids}")

    def get(self, action_id: ActionId) -> Action | None:
        row = self._tx.row(select(actions).where(actions.c.id == action_id))
        return codecs.action_of(row) if row is not None else None

    def planned(self, limit: int) -> list[Action]:
        """Oldest first; on PostgreSQL the rows stay locked, and other units skip them."""
        stmt = (
            select(actions)
            .where(actions.c.status == ActionStatus.PLANNED.value)
            .order_by(actions.c.created_at, actions.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [codecs.action_of(row) for row in self._tx.rows(stmt)]

    def save(self, action: Action) -> None:
        self._tx.upsert(actions, codecs.action_row(action))

    def for_source(
        self, *, decision_ids: Sequence[DecisionId] = (), case_id: CaseId | None = None
    ) -> list[Action]:
        conditions: list[ColumnElement[bool]] = []
        if decision_ids:
            conditions.append(actions.c.decision_id.in_(set(decision_ids)))
        if case_id is not None:
            conditions.append(actions.c.case_id == case_id)
        if not conditions:
            return []
        stmt = select(actions).where(or_(*conditions)).order_by(actions.c.created_at, actions.c.id)
        return [codecs.action_of(row) for row in self._tx.rows(stmt)]


class SqlDeliveries:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add(self, delivery: Delivery) -> None:
        self._tx.insert_new(
            deliveries, [records.delivery_row(delivery)], what=f"delivery {delivery.id}"
        )

    def get(self, delivery_id: DeliveryId) -> Delivery | None:
        row = self._tx.row(select(deliveries).where(deliveries.c.id == delivery_id))
        return records.delivery_of(row) if row is not None else None

    def due(self, now: datetime, limit: int) -> list[Delivery]:
        stmt = (
            select(deliveries)
            .where(deliveries.c.status == DeliveryStatus.PENDING.value)
            .where(deliveries.c.next_attempt_at <= now)
            .order_by(deliveries.c.next_attempt_at, deliveries.c.id)
            .limit(limit)
        )
        return [records.delivery_of(row) for row in self._tx.rows(stmt)]

    def save(self, delivery: Delivery) -> None:
        self._tx.upsert(deliveries, records.delivery_row(delivery))

    def list(self, *, status: DeliveryStatus | None, limit: int) -> list[Delivery]:
        stmt = select(deliveries)
        if status is not None:
            stmt = stmt.where(deliveries.c.status == status.value)
        stmt = stmt.order_by(deliveries.c.created_at.desc(), deliveries.c.id.desc()).limit(limit)
        return [records.delivery_of(row) for row in self._tx.rows(stmt)]
