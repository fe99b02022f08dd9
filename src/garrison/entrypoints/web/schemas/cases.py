"""Queues, cases, case files and resolutions on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from garrison.domain.actions import ActionKind, ActionTemplate
from garrison.domain.cases import Case, CaseStatus, Outcome
from garrison.domain.escalation import EscalationTier
from garrison.domain.labels import Label, LabelValue, Provenance
from garrison.entrypoints.web.schemas.decisions import (
    ActionOut,
    DecisionOut,
    action_wire,
    decision_wire,
)
from garrison.entrypoints.web.schemas.user_reports import ReportOut, report_wire
from garrison.services.review import CaseFile, QueueSummary

MAX_NOTE_LENGTH = 10_000


class ActionTemplateIn(BaseModel):
    kind: ActionKind
    params: dict[str, Any] = Field(default_factory=dict)
    target: str | None = Field(None, description="`kind:id`; empty means the case's subject.")


class ResolveIn(BaseModel):
    outcome: Outcome
    policy: str | None = Field(None, max_length=200)
    actions: list[ActionTemplateIn] = Field(default_factory=list, max_length=20)
    note: str = Field("", max_length=MAX_NOTE_LENGTH)

    def templates(self) -> list[ActionTemplate]:
        return [
            ActionTemplate.parse(a.model_dump(exclude_none=True), field_name=f"actions[{i}]")
            for i, a in enumerate(self.actions)
        ]


class ActionTemplateOut(BaseModel):
    kind: ActionKind
    params: dict[str, Any]
    target: str | None


class ResolutionOut(BaseModel):
    outcome: Outcome
    policy: str | None
    actions: list[ActionTemplateOut]
    note: str
    by: str
    at: datetime


class EscalationOut(BaseModel):
    to: EscalationTier
    reason: str
    by: str
    at: datetime
    from_queue: str


class EscalateIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000, description="Why it needs the next tier.")


class CaseOut(BaseModel):
    id: str
    queue: str
    subject: str
    status: CaseStatus
    priority: int
    created_at: datetime
    updated_at: datetime
    decision_ids: list[str]
    assignee: str | None
    resolution: ResolutionOut | None
    lease_expires_at: datetime | None = Field(
        None, description="When the claim runs out and the case returns to the queue."
    )
    queued_at: datetime = Field(description="When the case entered its current queue.")
    tier: EscalationTier = EscalationTier.REVIEWER
    escalations: list[EscalationOut] = Field(default_factory=list)


class CaseListOut(BaseModel):
    cases: list[CaseOut]
    limit: int
    offset: int


class QueueOut(BaseModel):
    name: str
    description: str
    sla_seconds: int
    required_permission: str
    playbook: str | None = None
    wellness: str | None = None
    counts: dict[CaseStatus, int]


class QueueListOut(BaseModel):
    queues: list[QueueOut]


class EventOut(BaseModel):
    id: str
    type: str
    occurred_at: datetime
    entities: dict[str, str]
    attributes: dict[str, Any]


class LabelOut(BaseModel):
    id: str
    subject: str
    policy: str | None
    value: LabelValue
    provenance: Provenance
    author: str
    created_at: datetime
    case_id: str | None
    expires_at: datetime | None


class CaseFileOut(BaseModel):
    case: CaseOut
    decisions: list[DecisionOut]
    events: list[EventOut]
    actions: list[ActionOut]
    labels: list[LabelOut]
    reports: list[ReportOut] = Field(default_factory=list)


def case_wire(case: Case) -> dict[str, Any]:
    resolution = case.resolution
    return {
        "id": case.id,
        "queue": case.queue,
        "subject": str(case.subject),
        "status": case.status.value,
        "priority": case.priority,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "decision_ids": list(case.decision_ids),
        "assignee": case.assignee,
        "lease_expires_at": case.lease_expires_at,
        "queued_at": case.entered_queue_at,
        "tier": case.tier.value,
        "escalations": [
            {
                "to": e.to.value,
                "reason": e.reason,
                "by": e.by,
                "at": e.at,
                "from_queue": e.from_queue,
            }
            for e in case.escalations
        ],
        "resolution": None
        if resolution is None
        else {
            "outcome": resolution.outcome.value,
            "policy": resolution.policy,
            "actions": [
                {"kind": t.kind.value, "params": dict(t.params), "target": _ref(t.target)}
                for t in resolution.actions
            ],
            "note": resolution.note,
            "by": resolution.by,
            "at": resolution.at,
        },
    }


def queue_wire(summary: QueueSummary) -> dict[str, Any]:
    queue = summary.queue
    return {
        "name": queue.name,
        "description": queue.description,
        "sla_seconds": queue.sla_seconds,
        "required_permission": queue.required.value,
        "playbook": queue.playbook,
        "wellness": queue.wellness,
        "counts": {status.value: summary.counts.get(status, 0) for status in CaseStatus},
    }


def label_wire(label: Label) -> dict[str, Any]:
    return {
        "id": label.id,
        "subject": str(label.subject),
        "policy": label.policy,
        "value": label.value.value,
        "provenance": label.provenance.value,
        "author": label.author,
        "created_at": label.created_at,
        "case_id": label.case_id,
        "expires_at": label.expires_at,
    }


def case_file_wire(found: CaseFile) -> dict[str, Any]:
    return {
        "case": case_wire(found.case),
        "decisions": [decision_wire(d, found.actions) for d in found.decisions],
        "events": [event.to_json() for event in found.events],
        "actions": [action_wire(a) for a in found.actions],
        "labels": [label_wire(label) for label in found.labels],
        "reports": [report_wire(r) for r in found.reports],
    }


def _ref(target: object | None) -> str | None:
    return None if target is None else str(target)
