"""Rings: groups of accounts tied by shared cards, devices, keys, emails and IPs.

Listing and reading need READ_CASES; running a detection needs OPERATE (it plans reviews).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import CaseReader, Operator
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.rings import (
    DetectionOut,
    RingListOut,
    RingOut,
    detection_wire,
    ring_wire,
)

router = APIRouter(prefix="/v1/rings", tags=["investigations"])
MAX_PAGE = 200


@router.get("", response_model=RingListOut, responses=error_responses(401, 403, 422))
def list_rings(
    principal: CaseReader,
    container: ContainerDep,
    min_size: Annotated[int, Query(ge=2, le=10_000, description="Fewest members.")] = 2,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """The rings of the latest detection, riskiest first."""
    found = container.rings.rings(principal, min_size=min_size, limit=limit, offset=offset)
    return {"rings": [ring_wire(r) for r in found], "limit": limit, "offset": offset}


@router.post("/detect", response_model=DetectionOut, responses=error_responses(401, 403))
def detect_rings(principal: Operator, container: ContainerDep) -> dict[str, Any]:
    """Find rings in the current links now; risky new rings open a review case."""
    return detection_wire(container.rings.detect(actor=principal.actor))


@router.get("/{ring_id}", response_model=RingOut, responses=error_responses(401, 403, 404))
def read_ring(ring_id: str, principal: CaseReader, container: ContainerDep) -> dict[str, Any]:
    """One ring: members, shared infrastructure, creation burst and risk factors."""
    return ring_wire(container.rings.ring(principal, ring_id))
