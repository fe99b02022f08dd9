"""Row shapes of the review-operations parts of a case (escalation steps, kept as JSON)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from garrison.domain.escalation import Escalation, EscalationTier
from garrison.domain.ids import PrincipalId, QueueName


def escalation_json(step: Escalation) -> dict[str, Any]:
    return {
        "to": step.to.value,
        "reason": step.reason,
        "by": step.by,
        "at": step.at.isoformat(),
        "from_queue": step.from_queue,
    }


def escalation_of(data: dict[str, Any]) -> Escalation:
    return Escalation(
        EscalationTier(data["to"]),
        data["reason"],
        PrincipalId(data["by"]),
        datetime.fromisoformat(data["at"]),
        QueueName(data["from_queue"]),
    )
