"""The enforcement ledger, approvals and appeals on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from garrison.domain.actions import Action, ActionKind
from garrison.domain.appeals import MAX_REASON_LENGTH, Appeal, AppealOutcome, AppealStatus
from garrison.domain.approvals import Approval, ApprovalStatus
from garrison.domain.entities import EntityRef
from garrison.domain.ids import CaseId
from garrison.entrypoints.web.schemas.decisions import ActionOut, action_wire
from garrison.services.appeals import AppealFile
from garrison.services.approvals import ApprovalFile
from garrison.services.enforcement import ActionRequest, LedgerEntry

MAX_NOTE = 10_000


class ActionIn(BaseModel):
    kind: ActionKind
    subject: str = Field(description="`kind:id` of an entity Garrison has seen.")
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="Kind-specific; `duration` (like `24h`, `7d` or `permanent`) sets the expiry.",
    )
    policy: str | None = Field(None, max_length=200)
    policy_version: str | None = Field(None, max_length=200)
    case_id: str | None = Field(None, max_length=200)
    idempotency_key: str | None = Field(
        None, max_length=200, description="The same key with the same request has one effect."
    )
    reason: str = Field("", max_length=MAX_NOTE)

    def request(self, field_prefix: str = "subject") -> ActionRequest:
        return ActionRequest(
            self.kind,
            EntityRef.parse(self.subject, field=field_prefix),
            self.params,
            self.policy,
            self.policy_version,
            CaseId(self.case_id) if self.case_id else None,
            self.idempotency_key,
            self.reason,
        )


class BulkIn(BaseModel):
    actions: list[ActionIn] = Field(min_length=1, max_length=1000)
    reason: str = Field(min_length=1, max_length=MAX_NOTE)


class StrikeIn(BaseModel):
    subject: str
    policy: str = Field(min_length=1, max_length=200)
    policy_version: str | None = Field(None, max_length=200)
    case_id: str | None = Field(None, max_length=200)


class ReverseIn(BaseModel):
    reason: str = Field(min_length=1, max_length=MAX_NOTE)


class LedgerActionOut(ActionOut):
    policy_version: str | None
    expires_at: datetime | None
    reverses: str | None
    reverted_by: str | None
    idempotency_key: str | None
    approval_id: str | None
    approved_by: str | None


class LedgerEntryOut(LedgerActionOut):
    reversal: LedgerActionOut | None


class LedgerListOut(BaseModel):
    actions: list[LedgerActionOut]


def ledger_wire(action: Action) -> dict[str, Any]:
    return {
        **action_wire(action),
        "policy_version": action.policy_version,
        "expires_at": action.expires_at,
        "reverses": action.reverses,
        "reverted_by": action.reverted_by,
        "idempotency_key": action.idempotency_key,
        "approval_id": action.approval_id,
        "approved_by": action.approved_by,
    }


def entry_wire(entry: LedgerEntry) -> dict[str, Any]:
    reversal = ledger_wire(entry.reversal) if entry.reversal else None
    return {**ledger_wire(entry.action), "reversal": reversal}


class DecideApprovalIn(BaseModel):
    note: str = Field("", max_length=MAX_NOTE)


class ApprovalOut(BaseModel):
    id: str
    action_ids: list[str]
    reason: str
    requested_by: str
    created_at: datetime
    status: ApprovalStatus
    decided_by: str | None
    decided_at: datetime | None
    note: str


class ApprovalFileOut(ApprovalOut):
    actions: list[LedgerActionOut]


class ApprovalListOut(BaseModel):
    approvals: list[ApprovalOut]


def approval_wire(approval: Approval) -> dict[str, Any]:
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


def approval_file_wire(found: ApprovalFile) -> dict[str, Any]:
    return {**approval_wire(found.approval), "actions": [ledger_wire(a) for a in found.actions]}


class AppealIn(BaseModel):
    action_id: str = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=MAX_REASON_LENGTH)
    appellant: str | None = Field(
        None, max_length=200, description="Who appeals, when filed on an account's behalf."
    )


class DecideAppealIn(BaseModel):
    outcome: AppealOutcome
    note: str = Field("", max_length=MAX_NOTE)


class OriginOut(BaseModel):
    actor: str
    policy: str | None
    policy_version: str | None
    decision_id: str | None
    case_id: str | None
    rule_ids: list[str]
    models: list[str]
    release_version: str | None


class AppealOut(BaseModel):
    id: str
    action_id: str
    subject: str
    appellant: str
    reason: str
    filed_at: datetime
    due_at: datetime
    overdue: bool
    status: AppealStatus
    origin: OriginOut
    decided_by: str | None
    decided_at: datetime | None
    note: str
    reversal_ids: list[str]


class AppealFileOut(AppealOut):
    action: LedgerActionOut
    reversals: list[LedgerActionOut]


class AppealListOut(BaseModel):
    appeals: list[AppealOut]


def appeal_wire(appeal: Appeal, now: datetime) -> dict[str, Any]:
    o = appeal.origin
    return {
        "id": appeal.id,
        "action_id": appeal.action_id,
        "subject": str(appeal.subject),
        "appellant": appeal.appellant,
        "reason": appeal.reason,
        "filed_at": appeal.filed_at,
        "due_at": appeal.due_at,
        "overdue": appeal.overdue(now),
        "status": appeal.status.value,
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
        "decided_by": appeal.decided_by,
        "decided_at": appeal.decided_at,
        "note": appeal.note,
        "reversal_ids": list(appeal.reversal_ids),
    }


def appeal_file_wire(found: AppealFile, now: datetime) -> dict[str, Any]:
    return {
        **appeal_wire(found.appeal, now),
        "action": ledger_wire(found.action),
        "reversals": [ledger_wire(a) for a in found.reversals],
    }
