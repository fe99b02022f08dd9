"""Reading one decision back, with its reasons and the actions it planned."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from garrison.domain.ids import DecisionId
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import DecisionReader
from garrison.entrypoints.web.schemas.decisions import DecisionOut, decision_wire
from garrison.entrypoints.web.schemas.errors import error_responses

router = APIRouter(prefix="/v1/decisions", tags=["decisions"])


@router.get("/{decision_id}", response_model=DecisionOut, responses=error_responses(401, 403, 404))
def read_decision(
    decision_id: str, principal: DecisionReader, container: ContainerDep
) -> dict[str, Any]:
    decision, actions = container.review.decision(principal, DecisionId(decision_id))
    return decision_wire(decision, actions)
