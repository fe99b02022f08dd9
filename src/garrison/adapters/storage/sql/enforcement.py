"""The enforcement ledger's queries, appeals and approvals on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, select

from garrison.adapters.storage.sql import codecs
from garrison.adapters.storage.sql.actions import action_of
from garrison.adapters.storage.sql.tables import actions, appeals, approvals
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.actions import Action, ActionStatus
from garrison.domain.appeals import Appeal, AppealStatus, Origin
from garrison.domain.approvals import Approval, ApprovalStatus
from garrison.domain.entities import EntityRef
from garrison.domain.ids import ActionId, AppealId, ApprovalId, CaseId, DecisionId


class SqlLedger:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def by_key(self, idempotency_key: str) -> Action | None:
        row = self._tx.row(select(actions).where(actions.c.idempotency_key == idempotency_key))
        return action_of(row) if row is not None else None

    def for_subject(self, subject: EntityRef, limit: int) -> list[Action]:
        stmt = (
            select(actions)
            .where(actions.c.subject_kind == subject.kind.value)
            .where(actions.c.subject_id == subject.id)
            .order_by(actions.c.created_at.desc(), actions.c.id.desc())
            .limit(limit)
        )
        return [action_of(row) for row in self._tx.rows(stmt)]

    def expiring(self, now: datetime, limit: int) -> list[Action]:
        stmt = (
            select(actions)
            .where(actions.c.status == ActionStatus.EXECUTED.value)
            .where(actions.c.expires_at <= now)
            .where(actions.c.reverted_by.is_(None))
            .order_by(actions.c.expires_at, actions.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [action_of(row) for row in self._tx.rows(stmt)]

    def list(
        self,
        *,
        status: ActionStatus | None,
        subject: EntityRef | None,
        limit: int,
        offset: int = 0,
    ) -> list[Action]:
        stmt = select(actions)
        if status is not None:
            stmt = stmt.where(actions.c.status == status.value)
        if subject is not None:
            stmt = stmt.where(actions.c.subject_kind == subject.kind.value)
            stmt = stmt.where(actions.c.subject_id == subject.id)
        stmt = stmt.order_by(actions.c.created_at.desc(), actions.c.id.desc())
        return [action_of(row) for row in self._tx.rows(stmt.limit(limit).offset(offset))]


def appeal_row(appeal: Appeal) -> dict[str, Any]:
    o = appeal.origin
    return {
        "id": appeal.id,
        "action_id": appeal.action_id,
        **codecs.ref_columns(appeal.subject),
        "appellant": appeal.appellant,
        "reason": appeal.reason,
        "filed_at": appeal.filed_at,
        "due_at": appeal.due_at,
        "origin": {
            "actor": o.actor,
            "policy": o.policy,
            "policy_version": o.policy_version,
            "decision_id": o.decision_id,
            "case_id": o.case_id,
            "rule_ids": list(o.rule_ids),
            "models": list(o.models),
            "release_version": o.release_version,
        },
        "status": appeal.status.value,
        "decided_by": appeal.decided_by,
        "decided_at": appeal.decided_at,
        "note": appeal.note,
        "reversal_ids": list(appeal.reversal_ids),
    }


def appeal_of(row: RowMapping) -> Appeal:
    raw = row["origin"]
    origin = Origin(
        raw["actor"],
        raw["policy"],
        raw["policy_version"],
        DecisionId(raw["decision_id"]) if raw["decision_id"] else None,
        CaseId(raw["case_id"]) if raw["case_id"] else None,
        tuple(raw["rule_ids"]),
        tuple(raw["models"]),
        raw["release_version"],
    )
    return Appeal(
        AppealId(row["id"]),
        ActionId(row["action_id"]),
        codecs.ref_of(row),
        row["appellant"],
        row["reason"],
        row["filed_at"],
        row["due_at"],
        origin,
        AppealStatus(row["status"]),
        row["decided_by"],
        row["decided_at"],
        row["note"],
        tuple(ActionId(a) for a in row["reversal_ids"]),
    )


class SqlAppeals:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add(self, appeal: Appeal) -> None:
        self._tx.insert_new(appeals, [appeal_row(appeal)], what=f"appeal {appeal.id}")

    def get(self, appeal_id: AppealId) -> Appeal | None:
        row = self._tx.row(select(appeals).where(appeals.c.id == appeal_id))
        return appeal_of(row) if row is not None else None

    def save(self, appeal: Appeal) -> None:
        self._tx.upsert(appeals, appeal_row(appeal))

    def for_action(self, action_id: ActionId) -> list[Appeal]:
        stmt = (
            select(appeals)
            .where(appeals.c.action_id == action_id)
            .order_by(appeals.c.filed_at, appeals.c.id)
        )
        return [appeal_of(row) for row in self._tx.rows(stmt)]

    def list(self, *, status: AppealStatus | None, limit: int, offset: int = 0) -> list[Appeal]:
        stmt = select(appeals)
        if status is not None:
            stmt = stmt.where(appeals.c.status == status.value)
        stmt = stmt.order_by(appeals.c.due_at, appeals.c.id).limit(limit).offset(offset)
        return [appeal_of(row) for row in self._tx.rows(stmt)]


def approval_row(approval: Approval) -> dict[str, Any]:
    return {
        "id": approval.id,
        "action_ids": list(approval.action_ids),
        "reason": approval.reason,
        "requested_by": approval.requested_by,
        "created_at": approval.created_at,
        "status": approval.status.value,
        "decided_by": approval.decided_by,
        "decided_at": approval.decided_at,
        "note": approval.note,
    }


def approval_of(row: RowMapping) -> Approval:
    return Approval(
        ApprovalId(row["id"]),
        tuple(ActionId(a) for a in row["action_ids"]),
        row["reason"],
        row["requested_by"],
        row["created_at"],
        ApprovalStatus(row["status"]),
        row["decided_by"],
        row["decided_at"],
        row["note"],
    )


class SqlApprovals:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add(self, approval: Approval) -> None:
        self._tx.insert_new(approvals, [approval_row(approval)], what=f"approval {approval.id}")

    def get(self, approval_id: ApprovalId) -> Approval | None:
        row = self._tx.row(select(approvals).where(approvals.c.id == approval_id))
        return approval_of(row) if row is not None else None

    def save(self, approval: Approval) -> None:
        self._tx.upsert(approvals, approval_row(approval))

    def list(self, *, status: ApprovalStatus | None, limit: int) -> list[Approval]:
        stmt = select(approvals)
        if status is not None:
            stmt = stmt.where(approvals.c.status == status.value)
        stmt = stmt.order_by(approvals.c.created_at, approvals.c.id).limit(limit)
        return [approval_of(row) for row in self._tx.rows(stmt)]
