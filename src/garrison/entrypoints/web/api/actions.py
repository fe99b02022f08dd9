"""The enforcement ledger: list and read actions, take one by hand, in bulk or by strike ladder,
and reverse one through its compensating action.

Actions taken here are planned; the dispatcher performs them and tells the host platform by
signed webhook. Bans and revocations of every key of an org wait for a second approver (see
`/v1/approvals`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from garrison.domain.access import Permission, Principal
from garrison.domain.actions import ActionStatus
from garrison.domain.entities import EntityRef
from garrison.domain.ids import ActionId, CaseId
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import DecisionReader, require
from garrison.entrypoints.web.schemas.enforcement import (
    ActionIn,
    BulkIn,
    LedgerActionOut,
    LedgerEntryOut,
    LedgerListOut,
    ReverseIn,
    StrikeIn,
    entry_wire,
    ledger_wire,
)
from garrison.entrypoints.web.schemas.errors import error_responses

router = APIRouter(prefix="/v1/actions", tags=["enforcement"])
Enforcer = Annotated[Principal, require(Permission.TAKE_ACTIONS)]
MAX_PAGE = 200


@router.get("", response_model=LedgerListOut, responses=error_responses(401, 403, 422))
def list_actions(
    principal: DecisionReader,
    container: ContainerDep,
    status: ActionStatus | None = None,
    subject: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Newest first; filter by status or by subject (`kind:id`)."""
    ref = EntityRef.parse(subject, field="subject") if subject else None
    found = container.enforcement.actions(
        principal, status=status, subject=ref, limit=limit, offset=offset
    )
    return {"actions": [ledger_wire(a) for a in found]}


@router.get("/{action_id}", response_model=LedgerEntryOut, responses=error_responses(401, 403, 404))
def get_action(
    action_id: str, principal: DecisionReader, container: ContainerDep
) -> dict[str, Any]:
    """One action and its compensating action, if any."""
    return entry_wire(container.enforcement.get(principal, ActionId(action_id)))


@router.post(
    "",
    status_code=201,
    response_model=LedgerActionOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def take_action(body: ActionIn, principal: Enforcer, container: ContainerDep) -> dict[str, Any]:
    """Plan one action (pending approval when it is high-impact). Unknown subjects are a 404."""
    return ledger_wire(container.enforcement.take(principal, body.request()))


@router.post(
    "/bulk",
    status_code=201,
    response_model=LedgerListOut,
    responses=error_responses(401, 403, 404, 422),
)
def bulk_actions(body: BulkIn, principal: Enforcer, container: ContainerDep) -> dict[str, Any]:
    """Plan many actions; above the bulk threshold they all wait for one approval."""
    requests = [a.request(f"actions[{i}].subject") for i, a in enumerate(body.actions)]
    taken = container.enforcement.bulk(principal, requests, reason=body.reason)
    return {"actions": [ledger_wire(a) for a in taken]}


@router.post(
    "/strike",
    status_code=201,
    response_model=LedgerActionOut,
    responses=error_responses(401, 403, 404, 422),
)
def strike(body: StrikeIn, principal: Enforcer, container: ContainerDep) -> dict[str, Any]:
    """Take the next rung of the policy's strike ladder against the subject."""
    action = container.enforcement.strike(
        principal,
        EntityRef.parse(body.subject, field="subject"),
        policy=body.policy,
        case_id=CaseId(body.case_id) if body.case_id else None,
        policy_version=body.policy_version,
    )
    return ledger_wire(action)


@router.post(
    "/{action_id}/reverse",
    status_code=201,
    response_model=LedgerActionOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def reverse(
    action_id: str, body: ReverseIn, principal: Enforcer, container: ContainerDep
) -> dict[str, Any]:
    """Plan the compensating action (idempotent: a second call returns the same one)."""
    reversal = container.enforcement.reverse(principal, ActionId(action_id), reason=body.reason)
    return ledger_wire(reversal)
