"""Rows <-> domain types for events, decisions, actions, cases and queues."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import RowMapping

from garrison.adapters.storage.sql.case_codecs import escalation_json, escalation_of
from garrison.domain.access import Permission
from garrison.domain.actions import Action, ActionKind, ActionStatus, ActionTemplate
from garrison.domain.canary import CanaryCall, CanaryOutcome
from garrison.domain.cases import Case, CaseStatus, Outcome, Queue, Resolution
from garrison.domain.decisions import Decision
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.escalation import EscalationTier
from garrison.domain.events import Event, JsonValue
from garrison.domain.ids import (
    ActionId,
    CaseId,
    DecisionId,
    EventId,
    PrincipalId,
    QueueName,
)
from garrison.domain.rules import RuleHit
from garrison.domain.verdicts import Verdict
from garrison.services.unit_of_work import StoredEvent

Row = dict[str, Any]


def ref_of(row: RowMapping, prefix: str = "subject") -> EntityRef:
    return EntityRef(EntityKind(row[f"{prefix}_kind"]), row[f"{prefix}_id"])


def ref_columns(ref: EntityRef, prefix: str = "subject") -> Row:
    return {f"{prefix}_kind": ref.kind.value, f"{prefix}_id": ref.id}


def stored_event_row(stored: StoredEvent) -> Row:
    event = stored.event
    return {
        "id": event.id,
        "type": event.type,
        "occurred_at": event.occurred_at,
        "entities": {str(kind): ident for kind, ident in event.entities.items()},
        "attributes": dict(event.attributes),
        "fingerprint": stored.fingerprint,
        "decision_id": stored.decision_id,
        "received_at": stored.received_at,
    }


def event_of(row: RowMapping) -> Event:
    entities: Mapping[str, str] = row["entities"]
    return Event(
        id=EventId(row["id"]),
        type=row["type"],
        occurred_at=row["occurred_at"],
        entities={EntityKind(kind): ident for kind, ident in entities.items()},
        attributes=row["attributes"],
    )


def stored_event_of(row: RowMapping) -> StoredEvent:
    return StoredEvent(
        event_of(row), row["fingerprint"], DecisionId(row["decision_id"]), row["received_at"]
    )


def _hit_json(hit: RuleHit) -> dict[str, JsonValue]:
    return {
        "rule": hit.rule,
        "policy": hit.policy,
        "verdict": hit.verdict.value if hit.verdict is not None else None,
        "score": hit.score,
        "explanation": hit.explanation,
        "inputs": dict(hit.inputs),
    }


def _hit_of(raw: Mapping[str, Any]) -> RuleHit:
    verdict = raw["verdict"]
    return RuleHit(
        rule=raw["rule"],
        policy=raw["policy"],
        verdict=Verdict(verdict) if verdict is not None else None,
        score=raw["score"],
        explanation=raw["explanation"],
        inputs=raw["inputs"],
    )


def decision_row(decision: Decision) -> Row:
    return {
        "id": decision.id,
        "event_id": decision.event_id,
        "verdict": decision.verdict.value,
        "score": decision.score,
        "hits": [_hit_json(hit) for hit in decision.hits],
        "release_version": decision.release_version,
        "policy_version": decision.policy_version,
        "decided_at": decision.decided_at,
        "action_ids": list(decision.action_ids),
        "lifecycle": _lifecycle_json(decision),
    }


def decision_of(row: RowMapping) -> Decision:
    return Decision(
        id=DecisionId(row["id"]),
        event_id=EventId(row["event_id"]),
        verdict=Verdict(row["verdict"]),
        score=row["score"],
        hits=tuple(_hit_of(raw) for raw in row["hits"]),
        release_version=row["release_version"],
        policy_version=row["policy_version"],
        decided_at=row["decided_at"],
        action_ids=tuple(ActionId(i) for i in row["action_ids"]),
        **_lifecycle_of(row["lifecycle"]),
    )


def _lifecycle_json(decision: Decision) -> dict[str, JsonValue] | None:
    """Shadow hits, canary calls and snoozed rules; None (SQL NULL) when there are none."""
    if not (decision.shadow_hits or decision.canary or decision.snoozed):
        return None
    return {
        "shadow_hits": [_hit_json(hit) for hit in decision.shadow_hits],
        "canary": [
            {"rule": c.rule, "outcome": c.outcome.value, "bucket": c.bucket}
            for c in decision.canary
        ],
        "snoozed": list(decision.snoozed),
    }


def _lifecycle_of(raw: Mapping[str, Any] | None) -> dict[str, Any]:
    if raw is None:
        return {}
    return {
        "shadow_hits": tuple(_hit_of(hit) for hit in raw["shadow_hits"]),
        "canary": tuple(
            CanaryCall(c["rule"], CanaryOutcome(c["outcome"]), c["bucket"]) for c in raw["canary"]
        ),
        "snoozed": tuple(raw["snoozed"]),
    }


def action_row(action: Action) -> Row:
    return {
        "id": action.id,
        "kind": action.kind.value,
        **ref_columns(action.subject),
        "params": dict(action.params),
        "status": action.status.value,
        "created_at": action.created_at,
        "decision_id": action.decision_id,
        "case_id": action.case_id,
        "policy": action.policy,
        "actor": action.actor,
        "executed_at": action.executed_at,
        "error": action.error,
    }


def action_of(row: RowMapping) -> Action:
    decision_id, case_id = row["decision_id"], row["case_id"]
    return Action(
        id=ActionId(row["id"]),
        kind=ActionKind(row["kind"]),
        subject=ref_of(row),
        params=row["params"],
        status=ActionStatus(row["status"]),
        created_at=row["created_at"],
        decision_id=DecisionId(decision_id) if decision_id is not None else None,
        case_id=CaseId(case_id) if case_id is not None else None,
        policy=row["policy"],
        actor=row["actor"],
        executed_at=row["executed_at"],
        error=row["error"],
    )


def _template_json(template: ActionTemplate) -> dict[str, JsonValue]:
    target = str(template.target) if template.target is not None else None
    return {"kind": template.kind.value, "params": dict(template.params), "target": target}


def _resolution_json(resolution: Resolution) -> dict[str, JsonValue]:
    return {
        "outcome": resolution.outcome.value,
        "policy": resolution.policy,
        "actions": [_template_json(t) for t in resolution.actions],
        "note": resolution.note,
        "by": resolution.by,
        "at": resolution.at.astimezone(UTC).isoformat(),
    }


def _resolution_of(raw: Mapping[str, Any]) -> Resolution:
    return Resolution(
        outcome=Outcome(raw["outcome"]),
        policy=raw["policy"],
        actions=tuple(ActionTemplate.parse(t, field_name="resolution") for t in raw["actions"]),
        note=raw["note"],
        by=PrincipalId(raw["by"]),
        at=datetime.fromisoformat(raw["at"]),
    )


def case_row(case: Case) -> Row:
    resolution = case.resolution
    return {
        "id": case.id,
        "queue": case.queue,
        **ref_columns(case.subject),
        "status": case.status.value,
        "priority": case.priority,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "decision_ids": list(case.decision_ids),
        "assignee": case.assignee,
        "resolution": _resolution_json(resolution) if resolution is not None else None,
        "lease_expires_at": case.lease_expires_at,
        "queued_at": case.queued_at,
        "rank_at": case.rank_at,
        "tier": case.tier.value,
        "escalations": [escalation_json(e) for e in case.escalations] or None,
        "merged_into": case.merged_into,
    }


def case_of(row: RowMapping) -> Case:
    assignee, resolution = row["assignee"], row["resolution"]
    return Case(
        id=CaseId(row["id"]),
        queue=QueueName(row["queue"]),
        subject=ref_of(row),
        status=CaseStatus(row["status"]),
        priority=row["priority"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        decision_ids=tuple(DecisionId(i) for i in row["decision_ids"]),
        assignee=PrincipalId(assignee) if assignee is not None else None,
        resolution=_resolution_of(resolution) if resolution is not None else None,
        lease_expires_at=row["lease_expires_at"],
        queued_at=row["queued_at"],
        tier=EscalationTier(row["tier"] or EscalationTier.REVIEWER),
        escalations=tuple(escalation_of(e) for e in row["escalations"] or ()),
        merged_into=CaseId(row["merged_into"]) if row["merged_into"] else None,
    )


def queue_row(queue: Queue) -> Row:
    return {
        "name": queue.name,
        "description": queue.description,
        "sla_seconds": queue.sla_seconds,
        "required": queue.required.value,
        "playbook": queue.playbook,
        "wellness": queue.wellness,
    }


def queue_of(row: RowMapping) -> Queue:
    return Queue(
        QueueName(row["name"]),
        row["description"],
        row["sla_seconds"],
        Permission(row["required"]),
        playbook=row["playbook"],
        wellness=row["wellness"],
    )
