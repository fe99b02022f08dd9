"""Decisions and actions on the wire.

`ingest_wire` builds the ingestion answer as plain data (the hot path encodes it with orjson);
`IngestOut` documents that shape, and a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from garrison.domain.actions import Action, ActionKind, ActionStatus
from garrison.domain.canary import CanaryOutcome
from garrison.domain.decisions import Decision
from garrison.domain.rules import RuleHit
from garrison.domain.verdicts import Verdict
from garrison.entrypoints.web.schemas.errors import ErrorOut
from garrison.services.ingest import IngestResult


class ReasonOut(BaseModel):
    rule: str
    policy: str
    explanation: str
    verdict: Verdict | None
    score: float


class CanaryOut(BaseModel):
    rule: str
    outcome: CanaryOutcome
    bucket: int | None


class ActionOut(BaseModel):
    id: str
    kind: ActionKind
    subject: str
    params: dict[str, Any]
    status: ActionStatus
    decision_id: str | None
    case_id: str | None
    policy: str | None
    actor: str
    created_at: datetime
    executed_at: datetime | None
    error: str | None


class DecisionOut(BaseModel):
    decision_id: str
    event_id: str
    verdict: Verdict
    score: float
    reasons: list[ReasonOut]
    actions: list[ActionOut]
    release_version: str
    policy_version: str
    decided_at: datetime
    shadow_hits: list[ReasonOut] = []
    """Hits of rules that only watched: they changed neither the verdict nor the actions."""
    canary: list[CanaryOut] = []
    """What each canary rule that fired did for the subject: applied, not selected, held out."""
    snoozed: list[str] = []
    """Rules that fired but were snoozed for an entity of the event (treated as not hit)."""


class IngestOut(DecisionOut):
    replayed: bool


class BatchItemError(ErrorOut):
    status: int
    """The status this event would have had on its own (409 or 422)."""


class BatchOut(BaseModel):
    results: list[IngestOut | BatchItemError]
    """One per event, in the order sent."""


def action_wire(action: Action) -> dict[str, Any]:
    return {
        "id": action.id,
        "kind": action.kind.value,
        "subject": str(action.subject),
        "params": dict(action.params),
        "status": action.status.value,
        "decision_id": action.decision_id,
        "case_id": action.case_id,
        "policy": action.policy,
        "actor": action.actor,
        "created_at": action.created_at,
        "executed_at": action.executed_at,
        "error": action.error,
    }


def decision_wire(decision: Decision, actions: Iterable[Action]) -> dict[str, Any]:
    return {
        "decision_id": decision.id,
        "event_id": decision.event_id,
        "verdict": decision.verdict.value,
        "score": decision.score,
        "reasons": [reason_wire(hit) for hit in decision.hits],
        "actions": [action_wire(a) for a in actions if a.decision_id == decision.id],
        "release_version": decision.release_version,
        "policy_version": decision.policy_version,
        "decided_at": decision.decided_at,
        "shadow_hits": [reason_wire(hit) for hit in decision.shadow_hits],
        "canary": [
            {"rule": c.rule, "outcome": c.outcome.value, "bucket": c.bucket}
            for c in decision.canary
        ],
        "snoozed": list(decision.snoozed),
    }


def reason_wire(hit: RuleHit) -> dict[str, Any]:
    return {
        "rule": hit.rule,
        "policy": hit.policy,
        "explanation": hit.explanation,
        "verdict": hit.verdict.value if hit.verdict else None,
        "score": hit.score,
    }


def ingest_wire(result: IngestResult) -> dict[str, Any]:
    body = decision_wire(result.decision, result.actions)
    body["replayed"] = result.replayed
    return body
