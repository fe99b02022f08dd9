"""Trend alerts, scans, clusters and dashboard series on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from garrison.domain.anomaly import FindingKind
from garrison.domain.clusters import Cluster
from garrison.domain.trend_alerts import TrendAlert, TrendAlertStatus
from garrison.services.dashboards import Series
from garrison.services.trends import ScanReport


class TrendAlertOut(BaseModel):
    id: str
    segment: str
    kind: FindingKind
    status: TrendAlertStatus
    started_at: datetime
    last_seen_at: datetime
    detected_at: datetime
    observed: int
    expected: float
    change: float = Field(description="Observed over expected (times the baseline).")
    score: float = Field(description="Robust score: spreads above the seasonal baseline.")
    query: str
    search_url: str = Field(description="The event search showing the alert's events.")
    samples: list[str]
    occurrences: int
    incident_id: str | None


class TrendAlertListOut(BaseModel):
    alerts: list[TrendAlertOut]


class ScanIn(BaseModel):
    until: datetime | None = Field(None, description="Scan the buckets completed by then.")
    sensitivity: float = Field(
        1.0, gt=0, le=10, description="Multiplies the thresholds (below 1: more sensitive)."
    )


class ScanOut(BaseModel):
    raised: list[TrendAlertOut]
    extended: list[TrendAlertOut]
    segments: int
    events: int
    since: datetime
    until: datetime


class ClusterOut(BaseModel):
    id: str
    size: int
    recent: int
    growth: float
    top_terms: list[str]
    examples: list[str]
    accounts: list[tuple[str, int]]
    rule_share: float
    rules: list[str]
    unmatched: bool
    first_at: datetime
    last_at: datetime
    member_ids: list[str]


class ClusterListOut(BaseModel):
    clusters: list[ClusterOut]


class SeriesOut(BaseModel):
    dimension: str
    starts: list[datetime]
    lines: dict[str, list[int]]


def alert_wire(alert: TrendAlert) -> dict[str, Any]:
    return {
        "id": alert.id,
        "segment": alert.segment,
        "kind": alert.kind,
        "status": alert.status,
        "started_at": alert.started_at,
        "last_seen_at": alert.last_seen_at,
        "detected_at": alert.detected_at,
        "observed": alert.observed,
        "expected": alert.expected,
        "change": round(alert.change, 3),
        "score": alert.score,
        "query": alert.query,
        "search_url": alert.search_url,
        "samples": list(alert.samples),
        "occurrences": alert.occurrences,
        "incident_id": alert.incident_id,
    }


def scan_wire(report: ScanReport) -> dict[str, Any]:
    return {
        "raised": [alert_wire(a) for a in report.raised],
        "extended": [alert_wire(a) for a in report.extended],
        "segments": report.segments,
        "events": report.events,
        "since": report.window[0],
        "until": report.window[1],
    }


def cluster_wire(cluster: Cluster) -> dict[str, Any]:
    return {
        "id": cluster.id,
        "size": cluster.size,
        "recent": cluster.recent,
        "growth": round(cluster.growth, 3),
        "top_terms": list(cluster.top_terms),
        "examples": list(cluster.examples),
        "accounts": [list(a) for a in cluster.accounts],
        "rule_share": round(cluster.rule_share, 3),
        "rules": list(cluster.rules),
        "unmatched": cluster.unmatched,
        "first_at": cluster.first_at,
        "last_at": cluster.last_at,
        "member_ids": list(cluster.member_ids),
    }


def series_wire(series: Series) -> dict[str, Any]:
    return {"dimension": series.dimension, "starts": list(series.starts), "lines": series.lines}
