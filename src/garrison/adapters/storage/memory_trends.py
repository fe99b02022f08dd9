"""In-memory storage of trend alerts and incidents (one field of the memory store's state)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Self

from garrison.domain.incidents import Incident, IncidentId, IncidentStatus
from garrison.domain.trend_alerts import TrendAlert, TrendAlertId, TrendAlertStatus
from garrison.services.unit_of_work import DuplicateKey


@dataclass
class TrendState:
    alerts: dict[TrendAlertId, TrendAlert] = field(default_factory=dict)
    incidents: dict[IncidentId, Incident] = field(default_factory=dict)

    def __copy__(self) -> Self:
        return type(self)(self.alerts.copy(), self.incidents.copy())


StateOf = Callable[[], TrendState]


class MemoryTrendAlerts:
    def __init__(self, state: StateOf) -> None:
        self._state = state

    def add(self, alert: TrendAlert) -> None:
        alerts = self._state().alerts
        if alert.id in alerts:
            raise DuplicateKey(f"trend alert {alert.id}")
        alerts[alert.id] = alert

    def get(self, alert_id: TrendAlertId) -> TrendAlert | None:
        return self._state().alerts.get(alert_id)

    def save(self, alert: TrendAlert) -> None:
        self._state().alerts[alert.id] = alert

    def latest(self, segment: str) -> TrendAlert | None:
        found = [a for a in self._state().alerts.values() if a.segment == segment]
        return max(found, key=lambda a: (a.last_seen_at, a.id), default=None)

    def list(self, *, status: TrendAlertStatus | None, limit: int) -> list[TrendAlert]:
        found = [a for a in self._state().alerts.values() if status in (None, a.status)]
        return sorted(found, key=lambda a: (a.detected_at, a.id), reverse=True)[:limit]


class MemoryIncidents:
    def __init__(self, state: StateOf) -> None:
        self._state = state

    def add(self, incident: Incident) -> None:
        incidents = self._state().incidents
        if incident.id in incidents:
            raise DuplicateKey(f"incident {incident.id}")
        incidents[incident.id] = incident

    def get(self, incident_id: IncidentId) -> Incident | None:
        return self._state().incidents.get(incident_id)

    def save(self, incident: Incident) -> None:
        self._state().incidents[incident.id] = incident

    def list(self, *, status: IncidentStatus | None, limit: int) -> list[Incident]:
        found = [i for i in self._state().incidents.values() if status in (None, i.status)]
        return sorted(found, key=lambda i: (i.declared_at, i.id), reverse=True)[:limit]
