"""Cases and queues: units of human review about one subject entity."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from garrison.domain.access import Permission
from garrison.domain.actions import ActionTemplate
from garrison.domain.entities import EntityRef
from garrison.domain.errors import InvalidTransition
from garrison.domain.ids import CaseId, DecisionId, PrincipalId, QueueName

ESCALATION_QUEUE = QueueName("escalations")


@dataclass(frozen=True, slots=True)
class Queue:
    name: QueueName
    description: str
    sla_seconds: int
    required: Permission = Permission.REVIEW_CASES


DEFAULT_QUEUES: tuple[Queue, ...] = (
    Queue(QueueName("default"), "Everything the rules send to review", 24 * 3600),
    Queue(
        QueueName("fraud"),
        "Payments, card testing, trial farming and key resale",
        8 * 3600,
    ),
    Queue(QueueName("content"), "Generated and submitted content, user reports", 12 * 3600),
    Queue(
        ESCALATION_QUEUE,
        "Escalated by reviewers",
        4 * 3600,
        Permission.REVIEW_ESCALATIONS,
    ),
)


class CaseStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    RESOLVED = "resolved"


class Outcome(StrEnum):
    VIOLATING = "violating"
    NOT_VIOLATING = "not_violating"
    ESCALATE = "escalate"


@dataclass(frozen=True, slots=True)
class Resolution:
    outcome: Outcome
    policy: str | None
    actions: tuple[ActionTemplate, ...]
    note: str
    by: PrincipalId
    at: datetime


@dataclass(frozen=True, slots=True)
class Case:
    id: CaseId
    queue: QueueName
    subject: EntityRef
    status: CaseStatus
    priority: int
    created_at: datetime
    updated_at: datetime
    decision_ids: tuple[DecisionId, ...] = ()
    assignee: PrincipalId | None = None
    resolution: Resolution | None = None

    def attach(self, decision_id: DecisionId, priority: int, at: datetime) -> Case:
        if decision_id in self.decision_ids:
            return self
        return replace(
            self,
            decision_ids=(*self.decision_ids, decision_id),
            priority=max(self.priority, priority),
            updated_at=at,
        )

    def claim(self, reviewer: PrincipalId, at: datetime) -> Case:
        if self.status is CaseStatus.RESOLVED:
            raise InvalidTransition(f"case {self.id} is already resolved")
        if self.status is CaseStatus.CLAIMED and self.assignee != reviewer:
            raise InvalidTransition(f"case {self.id} is claimed by someone else")
        return replace(self, status=CaseStatus.CLAIMED, assignee=reviewer, updated_at=at)

    def resolve(self, resolution: Resolution) -> Case:
        """Close the case, or for `escalate` hand it to the escalation queue, unclaimed."""
        if self.status is not CaseStatus.CLAIMED or self.assignee != resolution.by:
            raise InvalidTransition(f"case {self.id} must be claimed by you before it is resolved")
        if resolution.outcome is Outcome.ESCALATE:
            if self.queue == ESCALATION_QUEUE:
                raise InvalidTransition(f"case {self.id} is already in the escalation queue")
            return replace(
                self,
                queue=ESCALATION_QUEUE,
                status=CaseStatus.OPEN,
                assignee=None,
                updated_at=resolution.at,
            )
        return replace(
            self,
            status=CaseStatus.RESOLVED,
            resolution=resolution,
            updated_at=resolution.at,
        )


def priority_for(verdict_rank: int, score: float) -> int:
    """Higher first: a stronger verdict outranks any score."""
    return verdict_rank * 100 + round(score * 99)
