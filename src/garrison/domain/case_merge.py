"""Merge two unresolved cases into one, or split decisions off into a new case."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime

from garrison.domain.cases import Case, CaseStatus
from garrison.domain.entities import EntityRef
from garrison.domain.errors import InvalidInput, InvalidTransition
from garrison.domain.ids import CaseId, DecisionId


def merge(source: Case, target: Case, at: datetime) -> tuple[Case, Case]:
    """Close `source` into `target`: the target takes its decisions and the higher priority.
    (Reports and notes follow in storage.) Returns (closed source, grown target)."""
    if source.id == target.id:
        raise InvalidInput("a case cannot be merged into itself", field="into")
    for case, field in ((source, "case_id"), (target, "into")):
        if case.status is CaseStatus.RESOLVED:
            raise InvalidTransition(f"case {case.id} is resolved", field=field)
    grown = replace(
        target,
        decision_ids=(
            *target.decision_ids,
            *(d for d in source.decision_ids if d not in target.decision_ids),
        ),
        priority=max(source.priority, target.priority),
        updated_at=at,
    )
    closed = replace(
        source,
        status=CaseStatus.RESOLVED,
        assignee=None,
        lease_expires_at=None,
        merged_into=target.id,
        updated_at=at,
    )
    return closed, grown


def split(
    case: Case,
    new_id: CaseId,
    subject: EntityRef,
    decision_ids: Collection[DecisionId],
    at: datetime,
) -> tuple[Case, Case]:
    """Move the named decisions (possibly none: reports only) into a new open case about
    `subject`, in the same queue. Returns (remaining case, new case)."""
    if case.status is CaseStatus.RESOLVED:
        raise InvalidTransition(f"case {case.id} is resolved", field="case_id")
    unknown = [d for d in decision_ids if d not in case.decision_ids]
    if unknown:
        raise InvalidInput(f"decision {unknown[0]} is not on case {case.id}", field="decision_ids")
    kept = tuple(d for d in case.decision_ids if d not in decision_ids)
    moved = tuple(d for d in case.decision_ids if d in decision_ids)
    new = Case(
        new_id,
        case.queue,
        subject,
        CaseStatus.OPEN,
        case.priority,
        at,
        at,
        decision_ids=moved,
        queued_at=at,
    )
    return replace(case, decision_ids=kept, updated_at=at), new
