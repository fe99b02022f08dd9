"""Escalation through the tiers reviewer -> senior -> policy/legal, each step with a reason."""

from __future__ import annotations

from garrison.domain.access import Principal
from garrison.domain.cases import Case
from garrison.domain.errors import InvalidTransition
from garrison.domain.ids import CaseId
from garrison.services import audit
from garrison.services.claims import get_case, require_queue_role
from garrison.services.ports import Clock
from garrison.services.unit_of_work import UnitOfWork


def escalate(
    uow: UnitOfWork, clock: Clock, principal: Principal, case_id: CaseId, reason: str
) -> Case:
    """Move the case you hold to the next tier's queue, unclaimed; the reason is recorded on the
    case and in the audit log. Commits."""
    case = get_case(uow, case_id)
    require_queue_role(principal, uow.queues.get(case.queue))
    now = clock.now()
    moved = case.escalate(principal.id, reason, now)
    if not uow.cases.take(moved, principal.id, now):
        raise InvalidTransition(f"case {case_id} is claimed by someone else", field="case_id")
    audit.record(
        uow,
        clock,
        actor=principal.actor,
        action="case.escalate",
        target=f"case:{case_id}",
        details={"from": case.queue, "to": moved.queue, "tier": moved.tier.value, "reason": reason},
    )
    uow.commit()
    return moved
