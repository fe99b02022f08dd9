"""The rules of a release with how they run today, restoring a demoted rule, and the shadow
report of what watching rules would have done."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from garrison.domain.access import Permission, Principal
from garrison.domain.rule_controls import parse_moment
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import DecisionReader, require
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.rules import (
    RestoreOut,
    RuleSheetOut,
    ShadowReportOut,
    shadow_report_wire,
    sheet_wire,
)

router = APIRouter(prefix="/v1/rules", tags=["rules"])
RulesEditor = Annotated[Principal, require(Permission.MANAGE_RULES)]
"""Writes to rules, releases, snoozes and alerts need the rules editor's permission."""


@router.get("", response_model=RuleSheetOut, responses=error_responses(401, 403, 404, 422))
def list_rules(
    principal: DecisionReader,
    container: ContainerDep,
    version: Annotated[int | None, Query(description="A release; the live one if empty.")] = None,
) -> Any:
    """Each rule with its stage, owner, policy, and today's (UTC) hits and actions."""
    return sheet_wire(container.rules.rules(version))


@router.get(
    "/shadow-report", response_model=ShadowReportOut, responses=error_responses(401, 403, 422)
)
def shadow_report(
    principal: DecisionReader,
    container: ContainerDep,
    since: Annotated[str, Query(description="A span back from now (`24h`) or a time.")] = "24h",
    until: Annotated[str | None, Query(description="A time; now if empty.")] = None,
) -> Any:
    """Per shadow or canary rule: hits, verdict changes, subjects newly caught, samples."""
    now = container.clock.now()
    start = parse_moment(since, now, field="since")
    end = parse_moment(until, now, field="until") if until else now
    return shadow_report_wire(container.shadow.report(start, end))


@router.post("/{name}/restore", response_model=RestoreOut, responses=error_responses(401, 403, 404))
def restore_rule(name: str, principal: RulesEditor, container: ContainerDep) -> Any:
    """Undo a daily-cap demotion: the rule acts again in the live release."""
    restored = container.rule_controls.restore(name, actor=principal.actor)
    return {"rule": name, "restored": restored}
