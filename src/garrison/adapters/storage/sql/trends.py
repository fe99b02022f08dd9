"""Trend alerts and incidents in SQL: a few indexed columns and the rest as one JSON body."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import RowMapping, select

from garrison.adapters.storage.sql.codecs import Row
from garrison.adapters.storage.sql.tables import incidents, trend_alerts
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.anomaly import FindingKind
from garrison.domain.incident_codec import incident_json, incident_of
from garrison.domain.incidents import Incident, IncidentId, IncidentStatus
from garrison.domain.trend_alerts import TrendAlert, TrendAlertId, TrendAlertStatus


class SqlTrendAlerts:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add(self, alert: TrendAlert) -> None:
        self._tx.insert_new(trend_alerts, [_alert_row(alert)], what=f"trend alert {alert.id}")

    def get(self, alert_id: TrendAlertId) -> TrendAlert | None:
        row = self._tx.row(select(trend_alerts).where(trend_alerts.c.id == alert_id))
        return _alert_of(row) if row is not None else None

    def save(self, alert: TrendAlert) -> None:
        self._tx.upsert(trend_alerts, _alert_row(alert))

    def latest(self, segment: str) -> TrendAlert | None:
        stmt = (
            select(trend_alerts)
            .where(trend_alerts.c.segment == segment)
            .order_by(trend_alerts.c.last_seen_at.desc(), trend_alerts.c.id.desc())
            .limit(1)
        )
        row = self._tx.row(stmt)
        return _alert_of(row) if row is not None else None

    def list(self, *, status: TrendAlertStatus | None, limit: int) -> list[TrendAlert]:
        t = trend_alerts.c
        stmt = select(trend_alerts).order_by(t.detected_at.desc(), t.id.desc())
        if status is not None:
            stmt = stmt.where(t.status == status.value)
        return [_alert_of(row) for row in self._tx.rows(stmt.limit(limit))]


class SqlIncidents:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add(self, incident: Incident) -> None:
        self._tx.insert_new(incidents, [_incident_row(incident)], what=f"incident {incident.id}")

    def get(self, incident_id: IncidentId) -> Incident | None:
        row = self._tx.row(select(incidents).where(incidents.c.id == incident_id))
        return incident_of(row["body"]) if row is not None else None

    def save(self, incident: Incident) -> None:
        self._tx.upsert(incidents, _incident_row(incident))

    def list(self, *, status: IncidentStatus | None, limit: int) -> list[Incident]:
        c = incidents.c
        stmt = select(incidents).order_by(c.declared_at.desc(), c.id.desc())
        if status is not None:
            stmt = stmt.where(c.status == status.value)
        return [incident_of(row["body"]) for row in self._tx.rows(stmt.limit(limit))]


def _alert_row(alert: TrendAlert) -> Row:
    body = {
        "kind": alert.kind.value,
        "started_at": alert.started_at.isoformat(),
        "observed": alert.observed,
        "expected": alert.expected,
        "score": alert.score,
        "query": alert.query,
        "samples": list(alert.samples),
        "occurrences": alert.occurrences,
        "incident_id": alert.incident_id,
    }
    return {
        "id": alert.id,
        "segment": alert.segment,
        "status": alert.status.value,
        "detected_at": alert.detected_at,
        "last_seen_at": alert.last_seen_at,
        "body": body,
    }


def _alert_of(row: RowMapping) -> TrendAlert:
    body = row["body"]
    return TrendAlert(
        id=TrendAlertId(row["id"]),
        segment=row["segment"],
        kind=FindingKind(body["kind"]),
        status=TrendAlertStatus(row["status"]),
        started_at=datetime.fromisoformat(body["started_at"]),
        last_seen_at=row["last_seen_at"],
        detected_at=row["detected_at"],
        observed=int(body["observed"]),
        expected=float(body["expected"]),
        score=float(body["score"]),
        query=body["query"],
        samples=tuple(body["samples"]),
        occurrences=int(body["occurrences"]),
        incident_id=body["incident_id"],
    )


def _incident_row(incident: Incident) -> Row:
    return {
        "id": incident.id,
        "status": incident.status.value,
        "declared_at": incident.declared_at,
        "body": incident_json(incident),
    }
