"""Dashboards and metric exports: volumes by dimension, rule hit rates, queue health, reviewer
throughput, appeal overturns; every metric as CSV; the weekly report as one HTML file."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, PlainTextResponse

from garrison.adapters.report_html import render_weekly
from garrison.domain.trends import Dimension
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import DecisionReader
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.trends import SeriesOut, series_wire
from garrison.services.dashboards import Metric
from garrison.services.reports import to_csv
from garrison.services.trends import parse_bucket

router = APIRouter(prefix="/v1/dashboards", tags=["dashboards"])
Days = Annotated[float, Query(gt=0, le=366, description="How many days back.")]
Bucket = Annotated[str, Query(description="Bucket width: 15m, 1h or 1d.")]


@router.get(
    "/volumes/{dimension}", response_model=SeriesOut, responses=error_responses(400, 401, 403, 422)
)
def volumes(
    dimension: Dimension,
    principal: DecisionReader,
    container: ContainerDep,
    days: Days = 7,
    bucket: Bucket = "1h",
) -> Any:
    """Events per bucket for the top values of one dimension (the rest as `other`)."""
    width = parse_bucket(bucket)
    board = container.watch.dashboards
    since, until = board.window(days, width)
    return series_wire(board.volumes(dimension, since, until, width))


@router.get(
    "/metrics/{metric}.csv",
    response_class=PlainTextResponse,
    responses=error_responses(400, 401, 403, 422),
)
def metric_csv(
    metric: Metric,
    principal: DecisionReader,
    container: ContainerDep,
    days: Days = 7,
    bucket: Bucket = "1h",
) -> Any:
    """One metric over the last `days` as CSV."""
    width = parse_bucket(bucket)
    since, until = container.watch.dashboards.window(days, width)
    table = container.watch.reports.metric(metric, since, until, width)
    return PlainTextResponse(to_csv(table), media_type="text/csv")


@router.get("/reports/weekly", response_class=HTMLResponse, responses=error_responses(401, 403))
def weekly(principal: DecisionReader, container: ContainerDep) -> Any:
    """The weekly operations report: one self-contained HTML file with inline SVG charts."""
    return HTMLResponse(render_weekly(container.watch.reports.weekly()))
