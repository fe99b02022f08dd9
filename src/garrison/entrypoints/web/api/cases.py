"""Cases: list, read the case file (an audited read), claim, release and resolve, reports.

Claiming and resolving need the permission of the case's queue (escalations need a senior
reviewer); ReviewService checks it. A claim is a lease (see `POST /v1/queues/{name}/next`).
Resolving answers with the updated case.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from garrison.domain.cases import CaseStatus
from garrison.domain.ids import CaseId, QueueName
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import CaseReader, ContentReader, Reviewer
from garrison.entrypoints.web.schemas.cases import (
    CaseFileOut,
    CaseListOut,
    CaseOut,
    EscalateIn,
    ResolveIn,
    case_file_wire,
    case_wire,
)
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.user_reports import ReportListOut, report_wire

router = APIRouter(prefix="/v1/cases", tags=["review"])
MAX_PAGE = 200


@router.get("", response_model=CaseListOut, responses=error_responses(401, 403, 404, 422))
def list_cases(
    principal: CaseReader,
    container: ContainerDep,
    queue: str | None = None,
    status: CaseStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Highest priority first, then oldest."""
    cases = container.review.cases(
        principal,
        queue=QueueName(queue) if queue else None,
        status=status,
        limit=limit,
        offset=offset,
    )
    return {"cases": [case_wire(c) for c in cases], "limit": limit, "offset": offset}


@router.get("/{case_id}", response_model=CaseFileOut, responses=error_responses(401, 403, 404))
def read_case(case_id: str, principal: ContentReader, container: ContainerDep) -> dict[str, Any]:
    """The case file: the case, its decisions and reasons, the subject's events, actions, labels."""
    return case_file_wire(container.review.case_file(principal, CaseId(case_id)))


@router.post(
    "/{case_id}/claim", response_model=CaseOut, responses=error_responses(401, 403, 404, 409)
)
def claim_case(case_id: str, principal: Reviewer, container: ContainerDep) -> dict[str, Any]:
    """Lease the case to you (or renew your lease); 409 if someone else holds it."""
    return case_wire(container.review.claim(principal, CaseId(case_id)))


@router.post(
    "/{case_id}/escalate",
    response_model=CaseOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def escalate_case(
    case_id: str, body: EscalateIn, principal: Reviewer, container: ContainerDep
) -> dict[str, Any]:
    """Hand the case you hold to the next tier (reviewer -> senior -> policy/legal), with a reason;
    it waits unclaimed in that tier's queue."""
    return case_wire(container.review.escalate(principal, CaseId(case_id), reason=body.reason))


@router.post(
    "/{case_id}/release", response_model=CaseOut, responses=error_responses(401, 403, 404, 409)
)
def release_case(case_id: str, principal: Reviewer, container: ContainerDep) -> dict[str, Any]:
    """Give your claimed case back to its queue."""
    return case_wire(container.review.release(principal, CaseId(case_id)))


@router.get(
    "/{case_id}/reports", response_model=ReportListOut, responses=error_responses(401, 403, 404)
)
def case_reports(case_id: str, principal: ContentReader, container: ContainerDep) -> dict[str, Any]:
    """The user reports grouped into this case, oldest first."""
    found = container.user_reports.for_case(principal, CaseId(case_id))
    return {"reports": [report_wire(r) for r in found]}


@router.post(
    "/{case_id}/resolve",
    response_model=CaseOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def resolve_case(
    case_id: str, body: ResolveIn, principal: Reviewer, container: ContainerDep
) -> dict[str, Any]:
    """Record the outcome (a label), plan its actions, or escalate to the escalations queue."""
    resolved = container.review.resolve(
        principal,
        CaseId(case_id),
        outcome=body.outcome,
        policy=body.policy,
        actions=body.templates(),
        note=body.note,
    )
    return case_wire(resolved)
