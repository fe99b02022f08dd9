"""Approvals: high-impact actions wait here until a second person approves or rejects them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from garrison.domain.access import Permission, Principal
from garrison.domain.approvals import ApprovalStatus
from garrison.domain.ids import ApprovalId
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import DecisionReader, require
from garrison.entrypoints.web.schemas.enforcement import (
    ApprovalFileOut,
    ApprovalListOut,
    DecideApprovalIn,
    approval_file_wire,
    approval_wire,
)
from garrison.entrypoints.web.schemas.errors import error_responses

router = APIRouter(prefix="/v1/approvals", tags=["enforcement"])
Approver = Annotated[Principal, require(Permission.APPROVE_ACTIONS)]


@router.get("", response_model=ApprovalListOut, responses=error_responses(401, 403, 422))
def list_approvals(
    principal: DecisionReader,
    container: ContainerDep,
    status: ApprovalStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    """Oldest first."""
    found = container.approvals.approvals(principal, status=status, limit=limit)
    return {"approvals": [approval_wire(a) for a in found]}


@router.get(
    "/{approval_id}", response_model=ApprovalFileOut, responses=error_responses(401, 403, 404)
)
def get_approval(
    approval_id: str, principal: DecisionReader, container: ContainerDep
) -> dict[str, Any]:
    return approval_file_wire(container.approvals.get(principal, ApprovalId(approval_id)))


@router.post(
    "/{approval_id}/approve",
    response_model=ApprovalFileOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def approve(
    approval_id: str, body: DecideApprovalIn, principal: Approver, container: ContainerDep
) -> dict[str, Any]:
    """Let the actions go ahead; whoever asked for them is refused (403)."""
    decided = container.approvals.decide(
        principal, ApprovalId(approval_id), approve=True, note=body.note
    )
    return approval_file_wire(decided)


@router.post(
    "/{approval_id}/reject",
    response_model=ApprovalFileOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def reject(
    approval_id: str, body: DecideApprovalIn, principal: Approver, container: ContainerDep
) -> dict[str, Any]:
    """Stop the actions: they are never performed."""
    decided = container.approvals.decide(
        principal, ApprovalId(approval_id), approve=False, note=body.note
    )
    return approval_file_wire(decided)
