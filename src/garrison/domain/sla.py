"""SLA standing of a case: how much of its queue's SLA it has used, warned before it breaches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from garrison.domain.cases import Case, Queue
from garrison.domain.errors import InvalidInput


class SlaState(StrEnum):
    OK = "ok"
    WARNING = "warning"
    BREACHED = "breached"


@dataclass(frozen=True, slots=True)
class SlaStanding:
    case: Case
    due_at: datetime
    used: float
    """Share of the SLA used so far (1.0 or more: breached)."""
    state: SlaState


def standing(case: Case, queue: Queue, now: datetime, warn_at: float) -> SlaStanding:
    """Where the case stands against its queue's SLA at `now`; WARNING from `warn_at` used."""
    due = case.due_at(queue.sla_seconds)
    waited = (now - case.entered_queue_at).total_seconds()
    used = waited / queue.sla_seconds if queue.sla_seconds > 0 else 1.0
    state = (
        SlaState.BREACHED if now >= due else SlaState.WARNING if used >= warn_at else SlaState.OK
    )
    return SlaStanding(case, due, used, state)


def check_warn_at(warn_at: float) -> float:
    if not 0.0 < warn_at <= 1.0:
        raise InvalidInput("the warning threshold is a share of the SLA in (0, 1]", field="warn_at")
    return warn_at
