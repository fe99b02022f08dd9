"""Appeals: the host platform (or staff, on an account's behalf) challenges an action; another
reviewer upholds or overturns it. An overturn reverses the action by compensating actions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from garrison.domain.access import Permission, Principal
from garrison.domain.appeals import AppealStatus
from garrison.domain.ids import ActionId, AppealId
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import CaseReader, require
from garrison.entrypoints.web.schemas.enforcement import (
    AppealFileOut,
    AppealIn,
    AppealListOut,
    AppealOut,
    DecideAppealIn,
    appeal_file_wire,
    appeal_wire,
)
from garrison.entrypoints.web.schemas.errors import error_responses

router = APIRouter(prefix="/v1/appeals", tags=["enforcement"])
Appellant = Annotated[Principal, require(Permission.FILE_APPEALS)]
AppealJudge = Annotated[Principal, require(Permission.DECIDE_APPEALS)]


@router.post(
    "",
    status_code=201,
    response_model=AppealOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def file_appeal(body: AppealIn, principal: Appellant, container: ContainerDep) -> dict[str, Any]:
    """Appeal an action in effect. An unknown action is a 404; one already under appeal, decided
    on appeal, or not in effect is a 409; nothing is written either way."""
    appeal = container.appeals.file(
        principal, ActionId(body.action_id), reason=body.reason, appellant=body.appellant
    )
    return appeal_wire(appeal, container.clock.now())


@router.get("", response_model=AppealListOut, responses=error_responses(401, 403, 422))
def list_appeals(
    principal: CaseReader,
    container: ContainerDep,
    status: AppealStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Soonest due first (`overdue` says which passed their SLA)."""
    found = container.appeals.appeals(principal, status=status, limit=limit, offset=offset)
    now = container.clock.now()
    return {"appeals": [appeal_wire(a, now) for a in found]}


@router.get("/{appeal_id}", response_model=AppealFileOut, responses=error_responses(401, 403, 404))
def get_appeal(appeal_id: str, principal: CaseReader, container: ContainerDep) -> dict[str, Any]:
    found = container.appeals.get(principal, AppealId(appeal_id))
    return appeal_file_wire(found, container.clock.now())


@router.post(
    "/{appeal_id}/decide",
    response_model=AppealFileOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def decide_appeal(
    appeal_id: str, body: DecideAppealIn, principal: AppealJudge, container: ContainerDep
) -> dict[str, Any]:
    """Uphold or overturn. Whoever took the action may not decide (403)."""
    found = container.appeals.decide(
        principal, AppealId(appeal_id), outcome=body.outcome, note=body.note
    )
    return appeal_file_wire(found, container.clock.now())
