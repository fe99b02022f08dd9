"""Claims as leases: "next case" hands a reviewer the first claimable case of a queue.

Two reviewers never hold one case: every claim is written by `Cases.take`, a conditional write
that fails if someone else took the case first; on PostgreSQL `Cases.claimable` also skips the
rows other transactions have locked (`FOR UPDATE SKIP LOCKED`), so concurrent claimers do not
queue behind one another.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from garrison.domain.access import Permission, Principal
from garrison.domain.cases import Case, Queue
from garrison.domain.errors import InvalidTransition, NotFound, PermissionDenied
from garrison.domain.ids import CaseId, QueueName
from garrison.services import audit
from garrison.services.ports import Clock
from garrison.services.unit_of_work import UnitOfWork

DEFAULT_LEASE_SECONDS = 30 * 60
CANDIDATES = 10
"""How many claimable cases one `next` looks at before it gives up (each may be taken meanwhile)."""


def queue_for(uow: UnitOfWork, principal: Principal, name: QueueName) -> Queue:
    """The queue, if the principal holds its required permission."""
    queue = uow.queues.get(name)
    if queue is None:
        raise NotFound(f"no queue named {name!r}", field="queue")
    require_queue_role(principal, queue)
    return queue


def require_queue_role(principal: Principal, queue: Queue | None) -> None:
    needed = queue.required if queue else Permission.REVIEW_CASES
    if not principal.can(needed):
        name = queue.name if queue else "default"
        raise PermissionDenied(
            f"role {principal.role} may not review cases in queue {name} (needs {needed})",
            field="queue",
        )


def claim_next(
    uow: UnitOfWork,
    clock: Clock,
    principal: Principal,
    queue: QueueName,
    lease_seconds: int,
    *,
    accept: Callable[[Case], bool] | None = None,
) -> Case | None:
    """Lease the first claimable case of the queue that `accept` takes (all, when None) to the
    principal; None if there is none. Commits."""
    queue_for(uow, principal, queue)
    now = clock.now()
    for candidate in uow.cases.claimable(queue, now, CANDIDATES):
        if accept is not None and not accept(candidate):
            continue
        claimed = candidate.claim(principal.id, now, lease_until(now, lease_seconds))
        if uow.cases.take(claimed, principal.id, now):
            _audit(uow, clock, principal, claimed, "case.claim_next")
            uow.commit()
            return claimed
    return None


def claim(
    uow: UnitOfWork, clock: Clock, principal: Principal, case_id: CaseId, lease_seconds: int
) -> Case:
    """Lease one named case (or renew your own lease). Commits."""
    case = get_case(uow, case_id)
    require_queue_role(principal, uow.queues.get(case.queue))
    now = clock.now()
    claimed = case.claim(principal.id, now, lease_until(now, lease_seconds))
    if not uow.cases.take(claimed, principal.id, now):
        raise InvalidTransition(f"case {case_id} is claimed by someone else", field="case_id")
    _audit(uow, clock, principal, claimed, "case.claim")
    uow.commit()
    return claimed


def release(uow: UnitOfWork, clock: Clock, principal: Principal, case_id: CaseId) -> Case:
    """Give a claimed case back to the pool. Commits."""
    case = get_case(uow, case_id)
    now = clock.now()
    released = case.release(principal.id, now)
    if not uow.cases.take(released, principal.id, now):
        raise InvalidTransition(f"case {case_id} is not claimed by you", field="case_id")
    _audit(uow, clock, principal, released, "case.release")
    uow.commit()
    return released


def lease_until(now: datetime, lease_seconds: int) -> datetime | None:
    """The lease's end; a lease of 0 seconds never runs out."""
    return now + timedelta(seconds=lease_seconds) if lease_seconds > 0 else None


def get_case(uow: UnitOfWork, case_id: CaseId) -> Case:
    case = uow.cases.get(case_id)
    if case is None:
        raise NotFound(f"no case {case_id}", field="case_id")
    return case


def _audit(uow: UnitOfWork, clock: Clock, principal: Principal, case: Case, action: str) -> None:
    lease = case.lease_expires_at
    audit.record(
        uow,
        clock,
        actor=principal.actor,
        action=action,
        target=f"case:{case.id}",
        details={"queue": case.queue, "lease_expires_at": lease.isoformat() if lease else None},
    )
