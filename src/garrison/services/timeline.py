"""An entity's timeline: events, decisions, actions, cases and labels, newest first, paged.

Pages follow the entity's events; a page also holds the decisions and actions of its events and
the cases and labels whose time falls within its span (the last page takes all older ones).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from garrison.domain.actions import Action
from garrison.domain.cases import Case
from garrison.domain.decisions import Decision
from garrison.domain.entities import EntityRef
from garrison.domain.entity_labels import EntityLabel
from garrison.domain.events import Event, JsonValue
from garrison.domain.ids import CaseId
from garrison.domain.labels import Label
from garrison.services.redactor import Redactor
from garrison.services.unit_of_work import UnitOfWork

MAX_OFFSET = 10_000
"""Deeper than this, page by time instead (the event log reads `offset + limit` rows)."""
_KIND_ORDER = {"case": 0, "label": 1, "entity_label": 2, "action": 3, "decision": 4, "event": 5}
"""Among items at one time, newest first reads: the action, the decision, then its event."""


@dataclass(frozen=True, slots=True)
class TimelineItem:
    at: datetime
    kind: str
    """event, decision, action, case, label or entity_label."""
    id: str
    title: str
    detail: Mapping[str, JsonValue]


def timeline(
    uow: UnitOfWork, subject: EntityRef, redactor: Redactor, *, limit: int, offset: int
) -> tuple[list[TimelineItem], bool]:
    """One page of the timeline and whether older pages exist."""
    offset = min(offset, MAX_OFFSET)
    events = uow.events.for_entity(subject, offset + limit + 1)
    page, has_more = events[offset : offset + limit], len(events) > offset + limit
    decision_ids = [s.decision_id for e in page if (s := uow.events.get(e.id)) is not None]
    decisions = uow.decisions.many(decision_ids)
    actions = uow.actions.for_source(decision_ids=decision_ids)
    labels = uow.labels.for_subject(subject)
    cases = _cases(uow, subject, labels, actions)
    case_actions = [
        a for case in cases for a in uow.actions.for_source(case_id=case.id) if a not in actions
    ]
    if offset and not page:
        return [], False
    newest = page[0].occurred_at if offset else None
    oldest = page[-1].occurred_at if has_more else None
    windowed = [_action(a, redactor) for a in case_actions]
    windowed += [_case(c, redactor) for c in cases]
    windowed += [_label(lab) for lab in labels]
    named = uow.entity_labels.for_subjects([subject], active_at=None)
    windowed += [_entity_label(lab) for lab in named]
    items = [_event(e, redactor) for e in page]
    items += [_decision(d) for d in decisions]
    items += [_action(a, redactor) for a in actions]
    items += [i for i in windowed if _within(i.at, oldest, newest)]
    anchors = _anchors(page, decisions)
    items.sort(key=lambda i: (anchors.get(i.id, i.at), -_KIND_ORDER[i.kind], i.id), reverse=True)
    return items, has_more


def _anchors(page: Sequence[Event], decisions: Sequence[Decision]) -> dict[str, datetime]:
    """Decisions and the actions they planned sort with their event, not at processing time."""
    occurred = {e.id: e.occurred_at for e in page}
    anchors: dict[str, datetime] = {}
    for decision in decisions:
        if (at := occurred.get(decision.event_id)) is not None:
            anchors[decision.id] = at
            anchors.update(dict.fromkeys(decision.action_ids, at))
    return anchors


def _within(at: datetime, oldest: datetime | None, newest: datetime | None) -> bool:
    return (oldest is None or at >= oldest) and (newest is None or at <= newest)


def _cases(
    uow: UnitOfWork, subject: EntityRef, labels: Sequence[Label], actions: Sequence[Action]
) -> list[Case]:
    ids: dict[CaseId, None] = {}
    if (open_case := uow.cases.open_for(subject)) is not None:
        ids[open_case.id] = None
    for case_id in [lab.case_id for lab in labels] + [a.case_id for a in actions]:
        if case_id is not None:
            ids[case_id] = None
    return [case for case_id in ids if (case := uow.cases.get(case_id)) is not None]


def _event(event: Event, redactor: Redactor) -> TimelineItem:
    detail: dict[str, JsonValue] = {
        "type": event.type,
        "entities": {str(ref.kind): redactor.ref(ref).partition(":")[2] for ref in event.refs},
        "attributes": redactor.value(dict(event.attributes)),
    }
    return TimelineItem(event.occurred_at, "event", event.id, event.type, detail)


def _decision(decision: Decision) -> TimelineItem:
    detail: dict[str, JsonValue] = {
        "verdict": decision.verdict.value,
        "score": decision.score,
        "rules": [hit.rule for hit in decision.hits],
        "event_id": decision.event_id,
        "release_version": decision.release_version,
    }
    return TimelineItem(decision.decided_at, "decision", decision.id, decision.verdict, detail)


def _action(action: Action, redactor: Redactor) -> TimelineItem:
    detail: dict[str, JsonValue] = {
        "kind": action.kind.value,
        "status": action.status.value,
        "subject": redactor.ref(action.subject),
        "params": redactor.value(dict(action.params)),
        "actor": action.actor,
        "policy": action.policy,
        "decision_id": action.decision_id,
        "case_id": action.case_id,
    }
    return TimelineItem(action.created_at, "action", action.id, action.kind, detail)


def _case(case: Case, redactor: Redactor) -> TimelineItem:
    detail: dict[str, JsonValue] = {
        "queue": case.queue,
        "status": case.status.value,
        "priority": case.priority,
        "subject": redactor.ref(case.subject),
        "decision_ids": list(case.decision_ids),
    }
    return TimelineItem(case.created_at, "case", case.id, case.status, detail)


def _label(label: Label) -> TimelineItem:
    detail: dict[str, JsonValue] = {
        "value": label.value.value,
        "policy": label.policy,
        "provenance": label.provenance.value,
        "author": label.author,
        "case_id": label.case_id,
    }
    return TimelineItem(label.created_at, "label", label.id, label.value, detail)


def _entity_label(label: EntityLabel) -> TimelineItem:
    detail: dict[str, JsonValue] = {
        "name": label.name,
        "provenance": label.provenance.value,
        "author": label.author,
        "expires_at": label.expires_at.isoformat() if label.expires_at else None,
    }
    return TimelineItem(label.created_at, "entity_label", label.name, label.name, detail)
