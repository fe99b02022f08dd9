"""Snoozes: stop one rule from firing for one entity until a set time, list them, lift them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from garrison.domain.entities import EntityRef
from garrison.domain.errors import InvalidInput
from garrison.domain.rule_controls import SnoozeId, parse_duration
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.api.rules import RulesEditor
from garrison.entrypoints.web.auth import DecisionReader
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.rules import (
    SnoozeIn,
    SnoozeListOut,
    SnoozeOut,
    snooze_wire,
)

router = APIRouter(prefix="/v1/snoozes", tags=["rules"])


@router.get("", response_model=SnoozeListOut, responses=error_responses(401, 403, 422))
def list_snoozes(
    principal: DecisionReader,
    container: ContainerDep,
    rule: str | None = None,
    include_ended: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    """Newest first; only the ones not ended yet unless `include_ended`."""
    found = container.rule_controls.snoozes(rule=rule, include_ended=include_ended, limit=limit)
    return {"snoozes": [snooze_wire(s) for s in found]}


@router.post(
    "",
    status_code=201,
    response_model=SnoozeOut,
    responses=error_responses(401, 403, 404, 422),
)
def create_snooze(body: SnoozeIn, principal: RulesEditor, container: ContainerDep) -> Any:
    """The rule is treated as not hit for events naming the entity until the snooze ends."""
    if (body.duration is None) == (body.until is None):
        raise InvalidInput("give either `duration` or `until`", field="duration")
    until = body.until
    if body.duration is not None:
        until = container.clock.now() + parse_duration(body.duration)
    assert until is not None
    snooze = container.rule_controls.snooze(
        body.rule,
        EntityRef.parse(body.entity, field="entity"),
        until,
        actor=principal.actor,
        reason=body.reason,
    )
    return snooze_wire(snooze)


@router.post(
    "/{snooze_id}/lift",
    response_model=SnoozeOut,
    responses=error_responses(401, 403, 404, 409),
)
def lift_snooze(snooze_id: str, principal: RulesEditor, container: ContainerDep) -> Any:
    """End a snooze now."""
    return snooze_wire(container.rule_controls.lift(SnoozeId(snooze_id), actor=principal.actor))
