"""Review queues: how many cases each holds, their settings, the SLA watch, and "next case".

`POST /v1/queues/{name}/next` leases the queue's most urgent claimable case to the caller: two
reviewers never get the same case, even when they ask at the same instant.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from garrison.bootstrap import Container
from garrison.domain.access import Permission, Principal
from garrison.domain.ids import QueueName
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import CaseReader, Reviewer, require
from garrison.entrypoints.web.schemas.cases import QueueListOut, QueueOut, case_wire, queue_wire
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.routing import (
    NextCaseOut,
    QueueIn,
    SlaListOut,
    sla_wire,
)
from garrison.services.review import QueueSummary

router = APIRouter(prefix="/v1/queues", tags=["review"])
QueueManager = Annotated[Principal, require(Permission.MANAGE_QUEUES)]


@router.get("", response_model=QueueListOut, responses=error_responses(401, 403))
def list_queues(principal: CaseReader, container: ContainerDep) -> dict[str, Any]:
    return {"queues": [queue_wire(q) for q in container.review.queues(principal)]}


@router.get("/sla", response_model=SlaListOut, responses=error_responses(401, 403, 404, 422))
def sla_watch(
    principal: CaseReader,
    container: ContainerDep,
    queue: str | None = None,
    warn_at: Annotated[float | None, Query(gt=0, le=1)] = None,
) -> dict[str, Any]:
    """Unresolved cases that used `warn_at` of their SLA (default: the setting) or breached it,
    the most overdue first."""
    found = container.queues.sla(
        principal, queue=QueueName(queue) if queue else None, warn_at=warn_at
    )
    share = warn_at if warn_at is not None else container.queues.warn_at
    return {"warn_at": share, "cases": [sla_wire(s) for s in found]}


@router.get("/{name}", response_model=QueueOut, responses=error_responses(401, 403, 404))
def read_queue(name: str, principal: CaseReader, container: ContainerDep) -> dict[str, Any]:
    return _summary(container, principal, QueueName(name))


@router.put("/{name}", response_model=QueueOut, responses=error_responses(401, 403, 422))
def put_queue(
    name: str, body: QueueIn, principal: QueueManager, container: ContainerDep
) -> dict[str, Any]:
    """Create the queue or change its SLA, required permission, playbook or wellness key."""
    container.queues.put(principal, body.to_domain(name))
    return _summary(container, principal, QueueName(name))


@router.post(
    "/{name}/next", response_model=NextCaseOut, responses=error_responses(401, 403, 404, 409)
)
def next_case(name: str, principal: Reviewer, container: ContainerDep) -> dict[str, Any]:
    """Lease the queue's most urgent claimable case to you (expected harm and SLA urgency);
    `case` is null when nothing waits. The lease lasts `review_lease_seconds`."""
    case = container.review.next_case(principal, QueueName(name))
    return {"case": case_wire(case) if case is not None else None}


def _summary(container: Container, principal: Principal, name: QueueName) -> dict[str, Any]:
    queue = container.queues.get(principal, name)
    counts = {s.queue.name: s.counts for s in container.review.queues(principal)}
    return queue_wire(QueueSummary(queue, counts.get(name, {})))
