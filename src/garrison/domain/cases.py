"""Cases and queues: units of human review about one subject entity.

A claim is a lease: the case is the reviewer's until `lease_expires_at` (None: until released or
resolved); once the lease runs out any reviewer of the queue may claim it again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from garrison.domain.access import Permission
from garrison.domain.actions import ActionTemplate
from garrison.domain.entities import EntityRef
from garrison.domain.errors import InvalidInput, InvalidTransition
from garrison.domain.escalation import (
    MAX_REASON,
    POLICY_LEGAL_QUEUE,
    TIER_QUEUES,
    Escalation,
    EscalationTier,
)
from garrison.domain.ids import CaseId, DecisionId, PrincipalId, QueueName

ESCALATION_QUEUE = QueueName("escalations")
SENSITIVE_QUEUE = QueueName("sensitive")
HARM_SECONDS_PER_POINT = 60
"""How much earlier a case is served per point of priority: 100 points buy 100 minutes."""


@dataclass(frozen=True, slots=True)
class Queue:
    """Where cases wait. `playbook` and `wellness` are keys of settings kept elsewhere."""

    name: QueueName
    description: str
    sla_seconds: int
    required: Permission = Permission.REVIEW_CASES
    playbook: str | None = None
    wellness: str | None = None


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
    Queue(
        SENSITIVE_QUEUE,
        "Enterprise and high-priority customers: no automatic bans, account team informed",
        4 * 3600,
        Permission.REVIEW_ESCALATIONS,
        playbook="sensitive",
    ),
    Queue(
        POLICY_LEGAL_QUEUE,
        "Escalated past senior review: policy and legal questions",
        24 * 3600,
        Permission.REVIEW_POLICY_LEGAL,
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
    lease_expires_at: datetime | None = None
    queued_at: datetime | None = None
    """When the case entered its current queue (None: when it was created)."""
    tier: EscalationTier = EscalationTier.REVIEWER
    escalations: tuple[Escalation, ...] = ()
    merged_into: CaseId | None = None
    """Set when the case was closed by merging it into another one."""

    @property
    def entered_queue_at(self) -> datetime:
        return self.queued_at or self.created_at

    @property
    def rank_at(self) -> datetime:
        """Claim order, earliest first: time in the queue (SLA urgency) traded against harm."""
        return self.entered_queue_at - timedelta(seconds=HARM_SECONDS_PER_POINT * self.priority)

    def due_at(self, sla_seconds: int) -> datetime:
        """The SLA deadline in a queue with this SLA."""
        return self.entered_queue_at + timedelta(seconds=sla_seconds)

    def claimable(self, reviewer: PrincipalId | None, now: datetime) -> bool:
        """Whether `reviewer` may take the case at `now` (any reviewer for None)."""
        if self.status is CaseStatus.OPEN:
            return True
        if self.status is not CaseStatus.CLAIMED:
            return False
        if reviewer is not None and self.assignee == reviewer:
            return True
        return self.lease_expires_at is not None and self.lease_expires_at <= now

    def attach(self, decision_id: DecisionId, priority: int, at: datetime) -> Case:
        if decision_id in self.decision_ids:
            return self
        return replace(
            self,
            decision_ids=(*self.decision_ids, decision_id),
            priority=max(self.priority, priority),
            updated_at=at,
        )

    def raise_priority(self, priority: int, at: datetime) -> Case:
        """Keep the higher of the two priorities (a new report about the subject, say)."""
        if priority <= self.priority:
            return self
        return replace(self, priority=priority, updated_at=at)

    def claim(
        self, reviewer: PrincipalId, at: datetime, lease_until: datetime | None = None
    ) -> Case:
        if self.status is CaseStatus.RESOLVED:
            raise InvalidTransition(f"case {self.id} is already resolved", field="case_id")
        if not self.claimable(reviewer, at):
            raise InvalidTransition(f"case {self.id} is claimed by someone else", field="case_id")
        return replace(
            self,
            status=CaseStatus.CLAIMED,
            assignee=reviewer,
            lease_expires_at=lease_until,
            updated_at=at,
        )

    def release(self, reviewer: PrincipalId, at: datetime) -> Case:
        """Hand a claimed case back to the pool."""
        if self.status is not CaseStatus.CLAIMED or self.assignee != reviewer:
            raise InvalidTransition(f"case {self.id} is not claimed by you", field="case_id")
        return replace(
            self, status=CaseStatus.OPEN, assignee=None, lease_expires_at=None, updated_at=at
        )

    def move(self, queue: QueueName, at: datetime) -> Case:
        """Put the unresolved case, unclaimed, in another queue; its SLA starts again."""
        if self.status is CaseStatus.RESOLVED:
            raise InvalidTransition(f"case {self.id} is already resolved", field="case_id")
        return replace(
            self,
            queue=queue,
            status=CaseStatus.OPEN,
            assignee=None,
            lease_expires_at=None,
            queued_at=at,
            updated_at=at,
        )

    def escalate(self, by: PrincipalId, reason: str, at: datetime) -> Case:
        """Hand the case you hold to the next tier up (its queue), unclaimed, saying why."""
        if not reason.strip() or len(reason) > MAX_REASON:
            raise InvalidInput(
                f"an escalation needs a reason (at most {MAX_REASON} characters)", field="reason"
            )
        if self.status is not CaseStatus.CLAIMED or self.assignee != by:
            raise InvalidTransition(
                f"case {self.id} must be claimed by you before it is escalated", field="case_id"
            )
        return self._step_up(by, reason.strip(), at)

    def _step_up(self, by: PrincipalId, reason: str, at: datetime) -> Case:
        above = self.tier.above
        if above is None:
            raise InvalidTransition(f"case {self.id} is at the top tier already", field="case_id")
        step = Escalation(above, reason, by, at, self.queue)
        moved = self.move(TIER_QUEUES[above], at)
        return replace(moved, tier=above, escalations=(*self.escalations, step))

    def reopen(self, at: datetime) -> Case:
        """Open a resolved case again, unclaimed, in its queue (its SLA starts again)."""
        if self.status is not CaseStatus.RESOLVED or self.merged_into is not None:
            raise InvalidTransition(f"case {self.id} is not resolved", field="case_id")
        return replace(
            self,
            status=CaseStatus.OPEN,
            resolution=None,
            assignee=None,
            lease_expires_at=None,
            queued_at=at,
            updated_at=at,
        )

    def resolve(self, resolution: Resolution) -> Case:
        """Close the case, or for `escalate` hand it to the escalation queue, unclaimed."""
        if self.status is not CaseStatus.CLAIMED or self.assignee != resolution.by:
            raise InvalidTransition(
                f"case {self.id} must be claimed by you before it is resolved", field="case_id"
            )
        if resolution.outcome is Outcome.ESCALATE:
            if self.queue == ESCALATION_QUEUE:
                raise InvalidTransition(
                    f"case {self.id} is already in the escalation queue", field="case_id"
                )
            return self._step_up(resolution.by, resolution.note, resolution.at)
        return replace(
            self,
            status=CaseStatus.RESOLVED,
            resolution=resolution,
            lease_expires_at=None,
            updated_at=resolution.at,
        )


def priority_for(verdict_rank: int, score: float) -> int:
    """Higher first: a stronger verdict outranks any score."""
    return verdict_rank * 100 + round(score * 99)
