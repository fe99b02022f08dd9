"""Escalation tiers: reviewer -> senior -> policy/legal. Each step records who, when and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from garrison.domain.ids import PrincipalId, QueueName

POLICY_LEGAL_QUEUE = QueueName("policy-legal")
MAX_REASON = 2000


class EscalationTier(StrEnum):
    REVIEWER = "reviewer"
    SENIOR = "senior"
    POLICY_LEGAL = "policy_legal"

    @property
    def above(self) -> EscalationTier | None:
        """The next tier up, None at the top."""
        tiers = list(EscalationTier)
        at = tiers.index(self)
        return tiers[at + 1] if at + 1 < len(tiers) else None


TIER_QUEUES: dict[EscalationTier, QueueName] = {
    EscalationTier.SENIOR: QueueName("escalations"),
    EscalationTier.POLICY_LEGAL: POLICY_LEGAL_QUEUE,
}
"""The queue each tier above the first works from."""


@dataclass(frozen=True, slots=True)
class Escalation:
    to: EscalationTier
    reason: str
    by: PrincipalId
    at: datetime
    from_queue: QueueName
