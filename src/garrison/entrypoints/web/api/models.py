"""The model registry: READ_DECISIONS reads versions and drift, MANAGE_MODELS registers,
promotes, retires and shadow-scores (each write audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from garrison.domain.access import Permission, Principal
from garrison.domain.rule_controls import parse_duration
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import DecisionReader, require
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.models import (
    DriftReportOut,
    ModelListOut,
    ModelRegisterIn,
    ModelVersionOut,
    ShadowSummaryOut,
)

ModelManager = Annotated[Principal, require(Permission.MANAGE_MODELS)]
Since = Annotated[str, Query(description="How far back, like 24h, 7d or 2w.")]
router = APIRouter(prefix="/v1/models", tags=["models"])
VERSION = "/{name}/versions/{version}"


@router.get("", response_model=ModelListOut, responses=error_responses(401, 403))
def list_models(
    principal: DecisionReader, container: ContainerDep, name: str | None = None
) -> ModelListOut:
    """Every registered version (of one model, if named), newest first per model."""
    return ModelListOut(models=[ModelVersionOut.of(v) for v in container.models.versions(name)])


@router.post(
    "", status_code=201, response_model=ModelVersionOut, responses=error_responses(401, 403, 422)
)
def register_model(
    body: ModelRegisterIn, principal: ModelManager, container: ContainerDep
) -> ModelVersionOut:
    """Register a model directory as a new shadow version (refused, 422, if it is corrupt)."""
    return ModelVersionOut.of(
        container.models.register(body.name, body.artifact, actor=principal.actor)
    )


@router.get(VERSION, response_model=ModelVersionOut, responses=error_responses(401, 403, 404))
def read_model(
    name: str, version: int, principal: DecisionReader, container: ContainerDep
) -> ModelVersionOut:
    return ModelVersionOut.of(container.models.get(name, version))


@router.post(
    VERSION + "/promote",
    response_model=ModelVersionOut,
    responses=error_responses(401, 403, 404, 409),
)
def promote_model(
    name: str, version: int, principal: ModelManager, container: ContainerDep
) -> ModelVersionOut:
    """Make a shadow version live; the live one is retired."""
    return ModelVersionOut.of(container.models.promote(principal, name, version))


@router.post(
    VERSION + "/retire",
    response_model=ModelVersionOut,
    responses=error_responses(401, 403, 404, 409),
)
def retire_model(
    name: str, version: int, principal: ModelManager, container: ContainerDep
) -> ModelVersionOut:
    return ModelVersionOut.of(container.models.retire(principal, name, version))


@router.post(
    VERSION + "/shadow",
    response_model=ShadowSummaryOut,
    responses=error_responses(401, 403, 404, 422),
)
def shadow_score(
    name: str, version: int, principal: ModelManager, container: ContainerDep, since: Since = "24h"
) -> ShadowSummaryOut:
    """Score recent events with this version and store the scores (no rule reads them)."""
    window = parse_duration(since, field="since")
    return ShadowSummaryOut.of(container.models.shadow_score(name, version, since=window))


@router.get(
    VERSION + "/drift",
    response_model=DriftReportOut,
    responses=error_responses(401, 403, 404, 422),
)
def drift(
    name: str, version: int, principal: DecisionReader, container: ContainerDep, since: Since = "7d"
) -> DriftReportOut:
    """PSI of the score and top features: the training baseline vs events of the last `since`."""
    window = parse_duration(since, field="since")
    return DriftReportOut.of(container.models.drift(name, version, since=window))
