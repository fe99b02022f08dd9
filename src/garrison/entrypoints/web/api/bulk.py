"""Bulk actions on cases: `POST /v1/cases/bulk/preview`, then `.../execute` with its token."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import Reviewer
from garrison.entrypoints.web.schemas.bulk import (
    BulkExecuteIn,
    BulkIn,
    BulkPreviewOut,
    BulkResultOut,
    preview_wire,
    result_wire,
)
from garrison.entrypoints.web.schemas.errors import error_responses

router = APIRouter(prefix="/v1/cases/bulk", tags=["review"])


@router.post("/preview", response_model=BulkPreviewOut, responses=error_responses(401, 403, 422))
def preview(body: BulkIn, principal: Reviewer, container: ContainerDep) -> dict[str, Any]:
    """Which cases the action would change, which not and why; changes nothing. Needs the
    senior permission; at most `bulk_max_cases` cases."""
    return preview_wire(container.bulk.preview(principal, body.to_domain()))


@router.post("/execute", response_model=BulkResultOut, responses=error_responses(401, 403, 422))
def execute(body: BulkExecuteIn, principal: Reviewer, container: ContainerDep) -> dict[str, Any]:
    """Run the previewed action (same body plus the preview's token) case by case."""
    return result_wire(container.bulk.execute(principal, body.to_domain(), body.token))
