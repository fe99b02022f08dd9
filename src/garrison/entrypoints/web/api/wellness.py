"""Reviewer wellness: a reviewer's own settings and exposure, routing checks, audited reveals."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from garrison.domain.ids import CaseId
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import ContentReader, Reviewer
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.policies import (
    MayReceiveOut,
    RevealIn,
    WellnessOut,
    WellnessSettingsIn,
    wellness_wire,
)

router = APIRouter(prefix="/v1/wellness", tags=["wellness"])


@router.get("/me", response_model=WellnessOut, responses=error_responses(401, 403))
def my_wellness(principal: Reviewer, container: ContainerDep) -> Any:
    """Your opt-outs, items finished today, severe exposure against the budget, break due."""
    return wellness_wire(container.wellness.today(principal))


@router.put("/me", response_model=WellnessOut, responses=error_responses(401, 403, 422))
def save_my_settings(body: WellnessSettingsIn, principal: Reviewer, container: ContainerDep) -> Any:
    """Opt out of categories (policy ids; a policy covers those under it)."""
    container.wellness.save_settings(
        principal, opted_out=body.opted_out, reveal_by_default=body.reveal_by_default
    )
    return wellness_wire(container.wellness.today(principal))


@router.post("/me/break", status_code=204, responses=error_responses(401, 403))
def take_break(principal: Reviewer, container: ContainerDep) -> Response:
    """Start counting minutes and items afresh."""
    container.wellness.take_break(principal)
    return Response(status_code=204)


@router.get("/may-receive", response_model=MayReceiveOut, responses=error_responses(401, 403))
def may_receive(category: str, principal: Reviewer, container: ContainerDep) -> Any:
    """Whether routing may hand you an item of this category (a policy id) now."""
    return {
        "category": category,
        "may_receive": container.wellness.may_receive(principal.id, category),
    }


@router.post(
    "/cases/{case_id}/reveals", status_code=204, responses=error_responses(401, 403, 404, 422)
)
def reveal(
    case_id: str, body: RevealIn, principal: ContentReader, container: ContainerDep
) -> Response:
    """Record that you unmasked an item of the case (audited; counts against your budget)."""
    container.wellness.reveal(principal, CaseId(case_id), body.item)
    return Response(status_code=204)
