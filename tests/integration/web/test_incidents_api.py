"""Incidents over the API: declare from an alert, run it, post-mortem, draft rule, close."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from starlette.testclient import TestClient

from garrison.bootstrap import Container
from garrison.domain.access import Role
from garrison.domain.anomaly import FindingKind
from garrison.domain.trend_alerts import TrendAlert, TrendAlertId, TrendAlertStatus

AuthFor = Callable[[Role], dict[str, str]]


def _alert(container: Container) -> TrendAlert:
    now = container.clock.now()
    alert = TrendAlert(
        TrendAlertId("tra_1"),
        "type=account.signup,country=VN",
        FindingKind.SPIKE,
        TrendAlertStatus.OPEN,
        now - timedelta(hours=2),
        now - timedelta(hours=1),
        now,
        21,
        0.7,
        20.3,
        'type == "account.signup" and country == "VN"',
        ("evt_1",),
    )
    with container.uow() as uow:
        uow.trend_alerts.add(alert)
        uow.commit()
    return alert


def test_incident_from_alert_to_closed_postmortem(
    client: TestClient, container: Container, auth: AuthFor
) -> None:
    alert = _alert(container)
    manager = auth(Role.INVESTIGATOR)
    body = {"title": "Scam wave", "severity": "sev2", "source": "alert", "source_ref": alert.id}
    declared = client.post("/v1/incidents", json=body, headers=manager)
    assert declared.status_code == 201, declared.text
    incident_id = declared.json()["id"]
    assert [lk[0] for lk in declared.json()["links"]] == ["alert", "query"]
    got = client.get(f"/v1/trends/alerts/{alert.id}", headers=auth(Role.VIEWER)).json()
    assert got["status"] == "incident" and got["incident_id"] == incident_id
    assert got["search_url"].startswith("/search?q=type+%3D%3D")
    base = f"/v1/incidents/{incident_id}"
    assert (
        client.post(
            f"{base}/links", json={"kind": "case", "ref": "cas_9"}, headers=manager
        ).status_code
        == 200
    )
    assert (
        client.post(
            f"{base}/updates", json={"text": "blocked VN signups"}, headers=manager
        ).status_code
        == 200
    )
    comms = {"audience": "support", "channel": "slack", "message": "scam wave, we are on it"}
    assert client.post(f"{base}/communications", json=comms, headers=manager).status_code == 200
    early = client.post(f"{base}/status", json={"status": "closed"}, headers=manager)
    assert early.status_code == 409 and early.json()["error"]["field"] == "postmortem"
    postmortem = {
        "summary": "a scam wave",
        "root_cause": "no rule for giveaway texts",
        "action_items": [
            {
                "text": "catch giveaway texts",
                "rule_text": 'contains(lower(attr.text), "giveaway")',
            }
        ],
    }
    assert client.put(f"{base}/postmortem", json=postmortem, headers=manager).status_code == 200
    editor = auth(Role.ADMIN)
    drafted = client.post(
        f"{base}/postmortem/items/1/draft-rule",
        json={"name": "scam_giveaway", "policy": "spam.scam"},
        headers=editor,
    )
    assert drafted.status_code == 200, drafted.text
    version = drafted.json()["release_version"]
    text = container.rules.release(version).text
    assert 'name = "scam_giveaway"' in text and 'stage = "draft"' in text
    closed = client.post(f"{base}/status", json={"status": "closed"}, headers=manager)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    kinds = [entry[0] for entry in closed.json()["timeline"]]
    assert kinds[0] == "declared" and kinds[-1] == "status" and "communication" in kinds
    listed = client.get("/v1/incidents?status=closed", headers=auth(Role.VIEWER)).json()
    assert [i["id"] for i in listed["incidents"]] == [incident_id]


def test_bad_input_and_permissions_are_4xx_with_a_field(
    client: TestClient, container: Container, auth: AuthFor
) -> None:
    viewer, manager = auth(Role.VIEWER), auth(Role.INVESTIGATOR)
    assert client.post("/v1/incidents", json={"title": "x"}, headers=viewer).status_code == 403
    missing = client.post(
        "/v1/incidents",
        json={"title": "x", "source": "alert", "source_ref": "nope"},
        headers=manager,
    )
    assert missing.status_code == 404 and missing.json()["error"]["field"] == "source_ref"
    assert (
        client.post(
            "/v1/incidents", json={"title": "x", "severity": "sev9"}, headers=manager
        ).status_code
        == 422
    )
    assert client.get("/v1/incidents/inc_nope", headers=viewer).status_code == 404
    made = client.post("/v1/incidents", json={"title": "x"}, headers=manager).json()["id"]
    bad = client.post(
        f"/v1/incidents/{made}/postmortem/items/1/draft-rule",
        json={"name": "r", "policy": "p"},
        headers=auth(Role.ADMIN),
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "item"
    back = client.post(f"/v1/incidents/{made}/status", json={"status": "declared"}, headers=manager)
    assert back.status_code == 409 and back.json()["error"]["field"] == "status"


def test_alerts_list_acknowledge_and_scan(
    client: TestClient, container: Container, auth: AuthFor
) -> None:
    alert = _alert(container)
    listed = client.get("/v1/trends/alerts?status=open", headers=auth(Role.VIEWER)).json()
    assert [a["id"] for a in listed["alerts"]] == [alert.id]
    manager = auth(Role.SENIOR_REVIEWER)
    acked = client.post(f"/v1/trends/alerts/{alert.id}/acknowledge", headers=manager)
    assert acked.json()["status"] == "acknowledged"
    again = client.post(f"/v1/trends/alerts/{alert.id}/acknowledge", headers=manager)
    assert again.status_code == 409
    scanned = client.post("/v1/trends/scan", json={"sensitivity": 0.5}, headers=manager)
    assert scanned.status_code == 200 and scanned.json()["raised"] == []
    assert (
        client.post("/v1/trends/scan", json={"sensitivity": 0}, headers=manager).status_code == 422
    )
    assert client.get("/v1/trends/clusters", headers=auth(Role.VIEWER)).json() == {"clusters": []}
