"""The action outbox and the webhook deliveries that tell the host platform about actions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, or_, select

from garrison.adapters.storage.sql import codecs, records
from garrison.adapters.storage.sql.tables import actions, deliveries
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.actions import Action, ActionStatus
from garrison.domain.ids import ActionId, ApprovalId, CaseId, DecisionId, DeliveryId
from garrison.domain.webhooks import Delivery, DeliveryStatus


def action_row(action: Action) -> dict[str, Any]:
    """The stored row, with the enforcement ledger's columns."""
    return {
        **codecs.action_row(action),
        "policy_version": action.policy_version,
        "expires_at": action.expires_at,
        "reverses": action.reverses,
        "reverted_by": action.reverted_by,
        "idempotency_key": action.idempotency_key,
        "approval_id": action.approval_id,
        "approved_by": action.approved_by,
    }


def action_of(row: RowMapping) -> Action:
    reverses, reverted_by, approval = row["reverses"], row["reverted_by"], row["approval_id"]
    return replace(
        codecs.action_of(row),
        policy_version=row["policy_version"],
        expires_at=row["expires_at"],
        reverses=ActionId(reverses) if reverses is not None else None,
        reverted_by=ActionId(reverted_by) if reverted_by is not None else None,
        idempotency_key=row["idempotency_key"],
        approval_id=ApprovalId(approval) if approval is not None else None,
        approved_by=row["approved_by"],
    )


class SqlActions:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add(self, batch: Sequence[Action]) -> None:
        rows = [action_row(action) for action in batch]
        ids = ", ".join(action.id for action in batch)
        self._tx.insert_new(actions, rows, what=f"action among {ids}")

    def get(self, action_id: ActionId) -> Action | None:
        row = self._tx.row(select(actions).where(actions.c.id == action_id))
        return action_of(row) if row is not None else None

    def planned(self, limit: int) -> list[Action]:
        """Oldest first; on PostgreSQL the rows stay locked, and other units skip them."""
        stmt = (
            select(actions)
            .where(actions.c.status == ActionStatus.PLANNED.value)
            .order_by(actions.c.created_at, actions.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [action_of(row) for row in self._tx.rows(stmt)]

    def save(self, action: Action) -> None:
        self._tx.upsert(actions, action_row(action))

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
        return [action_of(row) for row in self._tx.rows(stmt)]


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
