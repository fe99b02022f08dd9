"""Entity pages, link graphs, reveals and rings over the API, with redaction and audit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from garrison.bootstrap import Container
from garrison.domain.access import SYSTEM, Role
from garrison.services.investigate import rebuild_links

RAW_IP = "203.0.113.9"
RAW_EMAIL = "Jane.Roe+x@gmail.com"


def _post(client: TestClient, auth: Any, body: dict[str, Any]) -> None:
    response = client.post("/v1/events", json=body, headers=auth(Role.INGEST))
    assert response.status_code == 200, response.text


@pytest.fixture
def linked(client: TestClient, container: Container, auth: Any, event: Any) -> Container:
    """Two accounts on one device and IP; the first charged back (a fraud case) and mailed."""
    _post(
        client,
        auth,
        event(
            "evt_signup_1",
            type="account.signup",
            occurred_at="2025-01-31T09:00:00Z",
            entities={
                "account": "acct_1",
                "email": RAW_EMAIL,
                "ip": RAW_IP,
                "device": "dev_1",
            },
            attributes={"note": f"contact {RAW_EMAIL.lower()} or {RAW_IP}"},
        ),
    )
    _post(
        client,
        auth,
        event(
            "evt_signup_2",
            type="account.signup",
            occurred_at="2025-01-31T09:30:00Z",
            entities={"account": "acct_2", "org": "org_2", "ip": RAW_IP, "device": "dev_1"},
            attributes={},
        ),
    )
    _post(client, auth, event("evt_chargeback"))
    container.dispatcher.run_once()
    rebuild_links(container.uow)
    return container


def _audit(container: Container, action: str) -> list[Any]:
    with container.uow() as uow:
        return [r for r in uow.audit.recent(limit=100) if r.action == action]


def test_entity_page_shows_timeline_links_and_risk_with_pii_redacted(
    client: TestClient, auth: Any, linked: Container
) -> None:
    response = client.get("/v1/entities/account/acct_1", headers=auth(Role.REVIEWER))
    assert response.status_code == 200, response.text
    page = response.json()
    text = json.dumps(page)
    assert RAW_IP not in text and "jane.roe" not in text.lower()
    assert page["subject"] == "account:acct_1"
    kinds = [item["kind"] for item in page["timeline"]]
    assert {"event", "decision", "action", "case"} <= set(kinds)
    events = [item for item in page["timeline"] if item["kind"] == "event"]
    assert [e["id"] for e in events] == ["evt_chargeback", "evt_signup_1"]
    order = [item["kind"] for item in page["timeline"]]
    chargeback = order.index("event")
    assert order[chargeback - 2 : chargeback] == ["action", "decision"], order
    signup = next(i for i in page["timeline"] if i["id"] == "evt_signup_1")
    assert signup["detail"]["entities"]["ip"] == "203.0.113.x"
    assert signup["detail"]["entities"]["email"] == "J***@gmail.com"
    assert signup["detail"]["attributes"]["note"] == "contact j***@gmail.com or 203.0.113.x"
    identifiers = {i["shown"]: i for i in page["identifiers"]}
    assert identifiers["ip:203.0.113.x"]["ref"] is None
    assert identifiers["ip:203.0.113.x"]["strength"] == "weak"
    assert identifiers["device:dev_1"]["ref"] == "device:dev_1"
    assert identifiers["device:dev_1"]["accounts"] == 2
    [neighbour] = page["linked_accounts"]
    assert neighbour["account"] == "account:acct_2"
    assert neighbour["strength"] == "strong"
    assert set(neighbour["via"]) == {"device:dev_1", "ip:203.0.113.x"}
    risk = page["risk"]
    assert risk["linked_accounts"] == 1 and risk["strongly_linked"] == 1
    assert risk["open_case"] is not None and risk["max_score"] is not None
    assert risk["fan_out"] == {"device": 1, "email": 1, "ip": 1}
    assert page["redacted"] >= 3
    [read] = _audit(linked, "entity.read")
    assert read.target == "account:acct_1" and read.actor == "machine:reviewer-key"


def test_timeline_pages_by_events(client: TestClient, auth: Any, linked: Container) -> None:
    first = client.get(
        "/v1/entities/account/acct_1", params={"limit": 1}, headers=auth(Role.REVIEWER)
    ).json()
    second = client.get(
        "/v1/entities/account/acct_1",
        params={"limit": 1, "offset": 1},
        headers=auth(Role.REVIEWER),
    ).json()
    first_events = [i["id"] for i in first["timeline"] if i["kind"] == "event"]
    second_events = [i["id"] for i in second["timeline"] if i["kind"] == "event"]
    assert first_events == ["evt_chargeback"] and first["has_more"] is True
    assert second_events == ["evt_signup_1"] and second["has_more"] is False


def test_pii_entity_pages_are_redacted_and_audited_under_a_pseudonym(
    client: TestClient, auth: Any, linked: Container
) -> None:
    page = client.get(f"/v1/entities/ip/{RAW_IP}", headers=auth(Role.REVIEWER)).json()
    assert page["subject"] == "ip:203.0.113.x"
    assert [a["account"] for a in page["linked_accounts"]] == ["account:acct_1", "account:acct_2"]
    assert RAW_IP not in json.dumps(page)
    [read] = _audit(linked, "entity.read")
    assert read.target == "ip:203.0.113.x"
    assert str(read.details["pseudonym"]).startswith("ip:~")
    assert RAW_IP not in json.dumps(read.details)


def test_reveal_needs_read_pii_and_is_audited(
    client: TestClient, auth: Any, linked: Container
) -> None:
    url = "/v1/entities/account/acct_1/reveal"
    assert client.post(url, headers=auth(Role.REVIEWER)).status_code == 403
    assert _audit(linked, "entity.reveal") == []
    response = client.post(url, headers=auth(Role.INVESTIGATOR))
    assert response.status_code == 200, response.text
    found = response.json()
    values = {(v["shown"], v["value"]) for v in found["values"]}
    assert ("ip:203.0.113.x", f"ip:{RAW_IP}") in values
    assert ("email:j***@gmail.com", "email:janeroe@gmail.com") in values
    assert ("email:J***@gmail.com", f"email:{RAW_EMAIL}") in values
    assert ("j***@gmail.com", RAW_EMAIL.lower()) in values
    [record] = _audit(linked, "entity.reveal")
    assert record.actor == "machine:investigator-key"
    assert record.target == "account:acct_1"
    assert record.details["values"] == len(found["values"])


def test_graph_pseudonymises_pii_nodes_unless_the_viewer_may_read_them(
    client: TestClient, auth: Any, linked: Container
) -> None:
    url = "/v1/entities/account/acct_1/graph"
    near = client.get(url, params={"depth": 1}, headers=auth(Role.REVIEWER)).json()
    assert {n["kind"] for n in near["nodes"]} == {"account", "device", "email", "ip"}
    wide = client.get(url, params={"depth": 2}, headers=auth(Role.REVIEWER)).json()
    nodes = {n["id"]: n for n in wide["nodes"]}
    assert "account:acct_2" in nodes and "org:org_2" not in nodes
    ip_node = next(n for n in wide["nodes"] if n["kind"] == "ip")
    assert ip_node["id"].startswith("ip:~") and ip_node["ref"] is None
    assert ip_node["label"] == "203.0.113.x" and ip_node["accounts"] == 2
    assert RAW_IP not in json.dumps(wide)
    assert {(e["source"], e["target"]) for e in wide["edges"]} >= {
        ("account:acct_2", "device:dev_1"),
        ("account:acct_2", ip_node["id"]),
    }
    assert _audit(linked, "entity.graph") == []
    seen = client.get(url, params={"depth": 2}, headers=auth(Role.INVESTIGATOR)).json()
    ip_seen = next(n for n in seen["nodes"] if n["kind"] == "ip")
    assert ip_seen["id"] == ip_node["id"] and ip_seen["ref"] == f"ip:{RAW_IP}"
    assert len(_audit(linked, "entity.graph")) == 1
    assert client.get(url, params={"depth": 4}, headers=auth(Role.REVIEWER)).status_code == 422


def test_entity_routes_check_the_caller(client: TestClient, auth: Any, linked: Container) -> None:
    assert client.get("/v1/entities/account/acct_1").status_code == 401
    assert client.get("/v1/entities/account/acct_1", headers=auth(Role.VIEWER)).status_code == 403
    bad = client.get("/v1/entities/planet/mars", headers=auth(Role.REVIEWER))
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "kind"


def test_rings_are_detected_listed_and_read(
    client: TestClient, auth: Any, linked: Container
) -> None:
    assert client.post("/v1/rings/detect", headers=auth(Role.REVIEWER)).status_code == 403
    detected = client.post("/v1/rings/detect", headers=auth(Role.ADMIN))
    assert detected.status_code == 200, detected.text
    assert detected.json()["rings"] == 1
    listed = client.get("/v1/rings", headers=auth(Role.VIEWER)).json()
    [ring] = listed["rings"]
    assert ring["members"] == ["account:acct_1", "account:acct_2"]
    shared = {s["shown"]: s for s in ring["infrastructure"]}
    assert shared["device:dev_1"]["ref"] == "device:dev_1"
    assert shared["ip:203.0.113.x"]["ref"] is None
    assert RAW_IP not in json.dumps(listed)
    assert {f["name"] for f in ring["risk"]["factors"]} == {
        "labelled_bad",
        "shared_strong",
        "creation_burst",
        "size",
    }
    assert (
        client.get("/v1/rings", params={"min_size": 3}, headers=auth(Role.VIEWER)).json()["rings"]
        == []
    )
    one = client.get(f"/v1/rings/{ring['id']}", headers=auth(Role.VIEWER))
    assert one.status_code == 200 and one.json() == ring
    assert client.get("/v1/rings/ring_nope", headers=auth(Role.VIEWER)).status_code == 404
    page = client.get("/v1/entities/account/acct_2", headers=auth(Role.REVIEWER)).json()
    assert page["risk"]["ring"] == {"id": ring["id"], "size": 2, "risk": ring["risk"]["score"]}
    assert linked.rings.rings(SYSTEM)[0].id == ring["id"]
