"""Trend alerts (spikes and shifts per segment), on-demand scans and emerging clusters."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from garrison.domain.access import Permission, Principal
from garrison.domain.trend_alerts import TrendAlertId, TrendAlertStatus
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import DecisionReader, require
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.trends import (
    ClusterListOut,
    ClusterOut,
    ScanIn,
    ScanOut,
    TrendAlertListOut,
    TrendAlertOut,
    alert_wire,
    cluster_wire,
    scan_wire,
)

router = APIRouter(prefix="/v1/trends", tags=["trends"])
IncidentManager = Annotated[Principal, require(Permission.MANAGE_INCIDENTS)]


@router.get("/alerts", response_model=TrendAlertListOut, responses=error_responses(401, 403, 422))
def list_alerts(
    principal: DecisionReader,
    container: ContainerDep,
    status: Annotated[TrendAlertStatus | None, Query(description="Only this status.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    """Newest first."""
    found = container.watch.trends.alerts(status=status, limit=limit)
    return {"alerts": [alert_wire(a) for a in found]}


@router.get(
    "/alerts/{alert_id}", response_model=TrendAlertOut, responses=error_responses(401, 403, 404)
)
def get_alert(alert_id: str, principal: DecisionReader, container: ContainerDep) -> Any:
    return alert_wire(container.watch.trends.alert(TrendAlertId(alert_id)))


@router.post(
    "/alerts/{alert_id}/acknowledge",
    response_model=TrendAlertOut,
    responses=error_responses(401, 403, 404, 409),
)
def acknowledge(alert_id: str, principal: IncidentManager, container: ContainerDep) -> Any:
    trends = container.watch.trends
    return alert_wire(trends.acknowledge(TrendAlertId(alert_id), actor=principal.actor))


@router.post("/scan", response_model=ScanOut, responses=error_responses(401, 403, 422))
def scan(body: ScanIn, principal: IncidentManager, container: ContainerDep) -> Any:
    """Run one detection pass now over the buckets completed by `until` (default now)."""
    report = container.watch.trends.scan(
        until=body.until, sensitivity=body.sensitivity, actor=principal.actor
    )
    return scan_wire(report)


@router.get("/clusters", response_model=ClusterListOut, responses=error_responses(401, 403, 422))
def clusters(
    principal: DecisionReader,
    container: ContainerDep,
    emerging: Annotated[
        bool, Query(description="Only growing clusters that no rule matches.")
    ] = True,
) -> Any:
    """Clusters of near-duplicate and similar content and reports in the last window."""
    service = container.watch.clusters
    found = service.emerging() if emerging else service.clusters()
    return {"clusters": [cluster_wire(c) for c in found]}


@router.get(
    "/clusters/{cluster_id}", response_model=ClusterOut, responses=error_responses(401, 403, 404)
)
def cluster(cluster_id: str, principal: DecisionReader, container: ContainerDep) -> Any:
    return cluster_wire(container.watch.clusters.cluster(cluster_id))
