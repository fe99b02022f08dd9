"""Retroactive action on a ring's members or a search's results: preview, request (refused over
the cap, held for a second person over the threshold), approve or reject, and one-step undo.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from garrison.bootstrap import Container
from garrison.domain.access import Permission, Principal
from garrison.domain.actions import ActionTemplate
from garrison.domain.entities import EntityKind
from garrison.domain.errors import InvalidInput
from garrison.domain.retroactive import Target
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import CaseReader, require
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.search import (
    PreviewOut,
    RetroIn,
    RetroListOut,
    RetroOut,
    TargetIn,
    preview_wire,
    retro_wire,
)
from garrison.services.search_export import parse_since

router = APIRouter(prefix="/v1/retroactive", tags=["investigations"])
Actor = Annotated[Principal, require(Permission.TAKE_ACTIONS)]
Approver = Annotated[Principal, require(Permission.APPROVE_ACTIONS)]


def target_of(container: Container, raw: TargetIn) -> Target:
    since = (
        parse_since(raw.since, container.clock.now(), field="target.since") if raw.since else None
    )
    return Target(raw.kind, raw.ref, since, raw.until)


def parsed(container: Container, body: RetroIn) -> tuple[Target, ActionTemplate, EntityKind]:
    template = ActionTemplate.parse(body.action, field_name="action")
    try:
        subject = EntityKind(body.subject)
    except ValueError:
        raise InvalidInput(f"unknown entity kind {body.subject!r}", field="subject") from None
    return target_of(container, body.target), template, subject


@router.post("/preview", response_model=PreviewOut, responses=error_responses(401, 403, 404, 422))
def preview(body: RetroIn, principal: Actor, container: ContainerDep) -> dict[str, Any]:
    """Who the action would reach, how many, and whether it is over the cap or needs approval."""
    found = container.search.retroactive.preview(principal, *parsed(container, body))
    return preview_wire(found, reveal=principal.can(Permission.READ_PII))


@router.post(
    "", response_model=RetroOut, status_code=201, responses=error_responses(401, 403, 404, 422)
)
def request_action(body: RetroIn, principal: Actor, container: ContainerDep) -> dict[str, Any]:
    """Act on every subject: applied now, or held for a second person over the threshold."""
    target, template, subject = parsed(container, body)
    retro = container.search.retroactive.request(principal, target, template, subject, body.reason)
    return retro_wire(retro)


@router.get("", response_model=RetroListOut, responses=error_responses(401, 403))
def list_actions(principal: CaseReader, container: ContainerDep) -> dict[str, Any]:
    return {"retroactive": [retro_wire(r) for r in container.search.retroactive.recent(principal)]}


@router.get("/{retro_id}", response_model=RetroOut, responses=error_responses(401, 403, 404))
def read_action(retro_id: str, principal: CaseReader, container: ContainerDep) -> dict[str, Any]:
    return retro_wire(container.search.retroactive.get(principal, retro_id))


@router.post(
    "/{retro_id}/approve", response_model=RetroOut, responses=error_responses(401, 403, 404, 409)
)
def approve(retro_id: str, principal: Approver, container: ContainerDep) -> dict[str, Any]:
    """Approve (never your own request): its actions are planned now."""
    return retro_wire(container.search.retroactive.approve(principal, retro_id))


@router.post(
    "/{retro_id}/reject", response_model=RetroOut, responses=error_responses(401, 403, 404, 409)
)
def reject(retro_id: str, principal: Approver, container: ContainerDep) -> dict[str, Any]:
    return retro_wire(container.search.retroactive.reject(principal, retro_id))


@router.post(
    "/{retro_id}/undo", response_model=RetroOut, responses=error_responses(401, 403, 404, 409)
)
def undo(retro_id: str, principal: Actor, container: ContainerDep) -> dict[str, Any]:
    """Reverse it in one step: compensate what was done, cancel what was not yet."""
    return retro_wire(container.search.retroactive.undo(principal, retro_id))
