"""The audit log, newest first."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import AuditReader
from garrison.entrypoints.web.schemas.audit import AuditListOut, audit_wire
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.services import audit

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get("", response_model=AuditListOut, responses=error_responses(401, 403, 422))
def list_audit(
    principal: AuditReader,
    container: ContainerDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    target: Annotated[str | None, Query(description="Only records about this target.")] = None,
) -> dict[str, Any]:
    records = audit.recent(container.uow, principal, limit=limit, target=target)
    return {"records": [audit_wire(r) for r in records]}
