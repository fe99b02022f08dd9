"""Enterprise guardrails: who is never banned automatically, and where their cases go instead.

A subject is protected when it carries the entity label `enterprise` or `high_priority`, or when
its recent events (or those of an org it belongs to) say `tier = "enterprise"`. An automated ban
of a protected subject is withheld: its case moves to the `sensitive` queue and the account team
is notified.
"""

from __future__ import annotations

from datetime import datetime

from garrison.domain.access import Permission
from garrison.domain.actions import Action, ActionKind, ActionStatus
from garrison.domain.cases import SENSITIVE_QUEUE, Case, CaseStatus, Queue
from garrison.domain.entities import EntityKind, EntityRef, Tier
from garrison.domain.events import Event
from garrison.domain.ids import ActionId, CaseId
from garrison.services.ports import IdGenerator
from garrison.services.unit_of_work import UnitOfWork

SENSITIVE = Queue(
    SENSITIVE_QUEUE,
    "Enterprise and high-priority subjects: automated bans held for people and the account team",
    4 * 3600,
    Permission.REVIEW_ESCALATIONS,
)
PROTECTED_LABELS = frozenset({"enterprise", "high_priority"})
EVENTS_LOOKED_AT = 50


def protection(uow: UnitOfWork, subject: EntityRef, at: datetime) -> str | None:
    """Why the subject must not be banned automatically, or None."""
    labels = uow.entity_labels.for_subjects([subject], active_at=at)
    named = sorted(PROTECTED_LABELS & {label.name for label in labels})
    if named:
        return f"{subject} is labelled {named[0]}"
    events = uow.events.for_entity(subject, EVENTS_LOOKED_AT)
    if _enterprise(events):
        return f"{subject} is on the enterprise tier"
    orgs = {
        EntityRef(EntityKind.ORG, e.entities[EntityKind.ORG])
        for e in events
        if EntityKind.ORG in e.entities
    }
    orgs.discard(subject)
    for org in sorted(orgs):
        if _enterprise(uow.events.for_entity(org, EVENTS_LOOKED_AT)):
            return f"{subject} belongs to {org}, on the enterprise tier"
        if PROTECTED_LABELS & {x.name for x in uow.entity_labels.for_subjects([org], active_at=at)}:
            return f"{subject} belongs to {org}, a protected org"
    return None


def _enterprise(events: list[Event]) -> bool:
    return any(e.attributes.get("tier") == Tier.ENTERPRISE.value for e in events)


def hold_ban(
    uow: UnitOfWork, ids: IdGenerator, action: Action, reason: str, at: datetime
) -> tuple[Action, Action, Case]:
    """Withhold an automated ban: the subject's case goes to the sensitive queue and the account
    team is told. Returns the withheld ban, the notice and the case (all stored here)."""
    if uow.queues.get(SENSITIVE_QUEUE) is None:
        uow.queues.save(SENSITIVE)
    case = _sensitive_case(uow, ids, action, at)
    notice = Action(
        id=ActionId(ids.new("act")),
        kind=ActionKind.NOTIFY_ACCOUNT_TEAM,
        subject=action.subject,
        params={"reason": reason, "withheld_action": action.id, "case_id": case.id},
        status=ActionStatus.PLANNED,
        created_at=at,
        decision_id=action.decision_id,
        case_id=case.id,
        policy=action.policy,
        actor="system:guardrails",
        policy_version=action.policy_version,
    )
    withheld = action.withheld(at, f"{reason}: sent to the sensitive queue as case {case.id}")
    uow.actions.save(withheld)
    uow.actions.add([notice])
    return withheld, notice, case


def _sensitive_case(uow: UnitOfWork, ids: IdGenerator, action: Action, at: datetime) -> Case:
    decisions = (action.decision_id,) if action.decision_id else ()
    existing = uow.cases.open_for(action.subject)
    if existing is not None:
        moved = (
            existing if existing.queue == SENSITIVE_QUEUE else existing.move(SENSITIVE_QUEUE, at)
        )
        for decision_id in decisions:
            moved = moved.attach(decision_id, moved.priority, at)
        uow.cases.save(moved)
        return moved
    case = Case(
        CaseId(ids.new("case")),
        SENSITIVE_QUEUE,
        action.subject,
        CaseStatus.OPEN,
        priority=900,
        created_at=at,
        updated_at=at,
        decision_ids=decisions,
    )
    uow.cases.add(case)
    return case
