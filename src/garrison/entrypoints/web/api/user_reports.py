"""User reports from the host platform, and the reporters behind them (reputation, muting).

`POST /v1/reports` takes an ingest key, like events. A report joins the subject's open case or
opens a routed one; a muted reporter's report is recorded and opens nothing.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from garrison.domain.access import Permission, Principal
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import CaseReader, Ingester, require
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.user_reports import (
    FiledOut,
    MuteIn,
    ReportBody,
    ReporterFileOut,
    ReporterListOut,
    ReporterOut,
    filed_wire,
    report_wire,
    reporter_wire,
)

router = APIRouter(tags=["reports"])
Muter = Annotated[Principal, require(Permission.MUTE_REPORTERS)]
MAX_PAGE = 500


@router.post(
    "/v1/reports",
    status_code=201,
    response_model=FiledOut,
    responses={200: {"model": FiledOut}, **error_responses(401, 403, 409, 422)},
)
def file_report(
    body: ReportBody, principal: Ingester, container: ContainerDep, response: Response
) -> dict[str, Any]:
    """File a report: 201 when recorded, 200 when `id` names a report filed before."""
    filed = container.user_reports.file(principal, body.to_domain())
    if not filed.created:
        response.status_code = 200
    return filed_wire(filed)


@router.get("/v1/reporters", response_model=ReporterListOut, responses=error_responses(401, 403))
def list_reporters(
    principal: CaseReader,
    container: ContainerDep,
    muted: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> dict[str, Any]:
    found = container.user_reports.reporters(principal, muted=muted, limit=limit)
    return {"reporters": [reporter_wire(r) for r in found]}


@router.get(
    "/v1/reporters/{reporter_id}",
    response_model=ReporterFileOut,
    responses=error_responses(401, 403, 404),
)
def read_reporter(
    reporter_id: str, principal: CaseReader, container: ContainerDep
) -> dict[str, Any]:
    """The reporter's record and reputation, with their latest reports."""
    found = container.user_reports.reporter(principal, reporter_id)
    return {
        "reporter": reporter_wire(found.reporter),
        "reports": [report_wire(r) for r in found.reports],
    }


@router.post(
    "/v1/reporters/{reporter_id}/mute",
    response_model=ReporterOut,
    responses=error_responses(401, 403, 404, 422),
)
def mute_reporter(
    reporter_id: str, body: MuteIn, principal: Muter, container: ContainerDep
) -> dict[str, Any]:
    """Their reports are still recorded but open no case and raise no priority."""
    return reporter_wire(container.user_reports.mute(principal, reporter_id, body.reason))


@router.post(
    "/v1/reporters/{reporter_id}/unmute",
    response_model=ReporterOut,
    responses=error_responses(401, 403, 404),
)
def unmute_reporter(reporter_id: str, principal: Muter, container: ContainerDep) -> dict[str, Any]:
    return reporter_wire(container.user_reports.unmute(principal, reporter_id))
