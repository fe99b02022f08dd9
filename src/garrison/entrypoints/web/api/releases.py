"""Rule releases: list and read them, propose one, approve or reject it, compare two.

A proposal whose rule file does not check is refused with 422 and every problem found
(`error.errors`, each with its line and column); nothing is stored. Without required approval a
proposal is published at once; with it, another rules editor approves it.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Query, Response

from garrison.domain.release_check import ReleaseRefused
from garrison.domain.releases import ReleaseStatus
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.api.rules import RulesEditor
from garrison.entrypoints.web.auth import DecisionReader
from garrison.entrypoints.web.errors import JSON
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.releases import (
    DiffOut,
    ProposeIn,
    RefusalOut,
    RejectIn,
    ReleaseListOut,
    ReleaseOut,
    diff_wire,
    refusal_wire,
    release_wire,
)

router = APIRouter(prefix="/v1/releases", tags=["rules"])


@router.get("", response_model=ReleaseListOut, responses=error_responses(401, 403, 422))
def list_releases(
    principal: DecisionReader,
    container: ContainerDep,
    status: ReleaseStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Newest version first, without their text."""
    found = container.rules.releases(limit=limit, status=status)
    return {"releases": [release_wire(r, with_text=False) for r in found]}


@router.get("/{version}", response_model=ReleaseOut, responses=error_responses(401, 403, 404))
def read_release(version: int, principal: DecisionReader, container: ContainerDep) -> Any:
    return release_wire(container.rules.release(version))


@router.post(
    "",
    status_code=201,
    response_model=ReleaseOut,
    responses={**error_responses(401, 403, 409), 422: {"model": RefusalOut}},
)
def propose_release(body: ProposeIn, principal: RulesEditor, container: ContainerDep) -> Any:
    """Check and store a rule file as the next version (published unless approval is needed)."""
    try:
        release = container.rules.propose(
            body.text, actor=principal.actor, notes=body.notes, path=body.path
        )
    except ReleaseRefused as refused:
        return Response(orjson.dumps(refusal_wire(refused)), status_code=422, media_type=JSON)
    return release_wire(release)


@router.post(
    "/{version}/approve",
    response_model=ReleaseOut,
    responses=error_responses(401, 403, 404, 409),
)
def approve_release(version: int, principal: RulesEditor, container: ContainerDep) -> Any:
    """Publish a pending release. Its author cannot approve it."""
    return release_wire(container.rules.approve(version, actor=principal.actor))


@router.post(
    "/{version}/reject",
    response_model=ReleaseOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def reject_release(
    version: int,
    principal: RulesEditor,
    container: ContainerDep,
    body: Annotated[RejectIn | None, Body()] = None,
) -> Any:
    reason = body.reason if body is not None else ""
    return release_wire(container.rules.reject(version, actor=principal.actor, reason=reason))


@router.get(
    "/{before}/diff/{after}",
    response_model=DiffOut,
    responses=error_responses(401, 403, 404),
)
def diff_releases(
    before: int, after: int, principal: DecisionReader, container: ContainerDep
) -> Any:
    """Rule by rule: added, removed, changed (with a unified diff) and stage moves."""
    return diff_wire(container.rules.diff(before, after))
