"""Review queues and how many cases each holds."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import CaseReader
from garrison.entrypoints.web.schemas.cases import QueueListOut, queue_wire
from garrison.entrypoints.web.schemas.errors import error_responses

router = APIRouter(prefix="/v1/queues", tags=["review"])


@router.get("", response_model=QueueListOut, responses=error_responses(401, 403))
def list_queues(principal: CaseReader, container: ContainerDep) -> dict[str, Any]:
    return {"queues": [queue_wire(q) for q in container.review.queues(principal)]}
