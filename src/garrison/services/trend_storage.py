"""Storage ports of trends and incidents, part of the unit of work (see `unit_of_work`).

`trend_alerts` keeps the alerts the trend detector raised; `incidents` the incidents, each
stored whole (its links, timeline, communications and post-mortem travel with it).
"""

from __future__ import annotations

from typing import Protocol

from garrison.domain.incidents import Incident, IncidentId, IncidentStatus
from garrison.domain.trend_alerts import TrendAlert, TrendAlertId, TrendAlertStatus


class TrendAlerts(Protocol):
    def add(self, alert: TrendAlert) -> None:
        """Store a new alert; raise DuplicateKey if its id is taken."""
        ...

    def get(self, alert_id: TrendAlertId) -> TrendAlert | None: ...
    def save(self, alert: TrendAlert) -> None: ...
    def latest(self, segment: str) -> TrendAlert | None:
        """The segment's alert seen most recently (by `last_seen_at`), if any."""
        ...

    def list(self, *, status: TrendAlertStatus | None, limit: int) -> list[TrendAlert]:
        """Newest `detected_at` first."""
        ...


class Incidents(Protocol):
    def add(self, incident: Incident) -> None:
        """Store a new incident; raise DuplicateKey if its id is taken."""
        ...

    def get(self, incident_id: IncidentId) -> Incident | None: ...
    def save(self, incident: Incident) -> None: ...
    def list(self, *, status: IncidentStatus | None, limit: int) -> list[Incident]:
        """Newest `declared_at` first."""
        ...
