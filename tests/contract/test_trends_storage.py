"""Trend alerts and incidents: the same behaviour on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest
from contract_samples import Factory, at

from garrison.domain import incidents as model
from garrison.domain.anomaly import FindingKind
from garrison.domain.incidents import (
    ActionItem,
    EntryKind,
    IncidentId,
    IncidentStatus,
    LinkKind,
    Severity,
    SourceKind,
)
from garrison.domain.trend_alerts import TrendAlert, TrendAlertId, TrendAlertStatus
from garrison.services.unit_of_work import DuplicateKey


def _alert(ident: str, segment: str, seconds: float, **changes: object) -> TrendAlert:
    alert = TrendAlert(
        id=TrendAlertId(ident),
        segment=segment,
        kind=FindingKind.SPIKE,
        status=TrendAlertStatus.OPEN,
        started_at=at(seconds),
        last_seen_at=at(seconds + 3600),
        detected_at=at(seconds + 3700),
        observed=40,
        expected=2.5,
        score=12.25,
        query='type == "account.signup"',
        samples=("evt_1", "evt_2"),
    )
    return replace(alert, **changes)  # type: ignore[arg-type]


def test_alerts_round_trip_and_list_newest_first(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.trend_alerts.add(_alert("tra_1", "type=a", 0))
        uow.trend_alerts.add(_alert("tra_2", "type=b", 7200))
        uow.commit()
    with uow_factory() as uow:
        assert uow.trend_alerts.get(TrendAlertId("tra_1")) == _alert("tra_1", "type=a", 0)
        assert [a.id for a in uow.trend_alerts.list(status=None, limit=10)] == ["tra_2", "tra_1"]
        assert uow.trend_alerts.list(status=TrendAlertStatus.ACKNOWLEDGED, limit=10) == []
        assert uow.trend_alerts.get(TrendAlertId("nope")) is None


def test_latest_alert_of_a_segment_and_duplicates(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.trend_alerts.add(_alert("tra_1", "type=a", 0))
        uow.trend_alerts.add(_alert("tra_2", "type=a", 86400))
        uow.commit()
    with uow_factory() as uow:
        latest = uow.trend_alerts.latest("type=a")
        assert latest is not None and latest.id == "tra_2"
        assert uow.trend_alerts.latest("type=zzz") is None
        uow.trend_alerts.save(
            replace(latest, status=TrendAlertStatus.INCIDENT, incident_id="inc_1")
        )
        uow.commit()
    with uow_factory() as uow:
        saved = uow.trend_alerts.get(TrendAlertId("tra_2"))
        assert saved is not None and saved.incident_id == "inc_1"
    with uow_factory() as uow, pytest.raises(DuplicateKey):  # noqa: PT012 - add or commit raises
        uow.trend_alerts.add(_alert("tra_1", "type=b", 0))
        uow.commit()


def test_incident_round_trips_whole(uow_factory: Factory) -> None:
    incident = model.declare(
        IncidentId("inc_1"),
        title="Scam wave",
        severity=Severity.SEV2,
        owner="",
        source=SourceKind.ALERT,
        source_ref="tra_1",
        summary="signups from VN",
        at=at(0),
        by="person:ana",
    )
    incident = model.link(incident, LinkKind.CASE, "cas_1", at=at(10), by="person:ana")
    incident = model.post(incident, EntryKind.UPDATE, "blocked", at=at(20), by="person:ana")
    incident = model.communicate(
        incident, audience="support", channel="slack", message="heads up", at=at(30), by="x"
    )
    incident = model.write_postmortem(
        incident,
        summary="s",
        root_cause="r",
        impact="i",
        action_items=(ActionItem("rule for it", "bo", 'type == "x"'),),
        at=at(40),
        by="x",
    )
    closed = model.move(incident, IncidentStatus.CLOSED, at=at(50), by="x")
    with uow_factory() as uow:
        uow.incidents.add(incident)
        uow.commit()
    with uow_factory() as uow:
        assert uow.incidents.get(IncidentId("inc_1")) == incident
        uow.incidents.save(closed)
        uow.commit()
    with uow_factory() as uow:
        assert uow.incidents.get(IncidentId("inc_1")) == closed
        assert [i.id for i in uow.incidents.list(status=IncidentStatus.CLOSED, limit=5)] == [
            "inc_1"
        ]
        assert uow.incidents.list(status=IncidentStatus.DECLARED, limit=5) == []
