"""Search, saved queries, CSV export and retroactive action over the API."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from starlette.testclient import TestClient

from garrison.bootstrap import Container
from garrison.domain.access import Role
from garrison.domain.retroactive import RetroLimits

RAW_IP = "203.0.113.9"


@pytest.fixture
def chargebacks(client: TestClient, auth: Any, event: Any) -> None:
    """Four chargebacks (accounts acct_0..3, one IP), 10 minutes apart, two of them large."""
    for i in range(4):
        body = event(
            f"evt_{i}",
            occurred_at=f"2025-01-31T10:{10 * i:02d}:00Z",
            entities={"account": f"acct_{i}", "ip": RAW_IP, "payment_method": "pm_1"},
            attributes={"amount_usd": 100 * i},
        )
        response = client.post("/v1/events", json=body, headers=auth(Role.INGEST))
        assert response.status_code == 200, response.text


@pytest.mark.usefixtures("chargebacks")
def test_search_returns_events_histogram_and_redacted_entities(
    client: TestClient, auth: Any
) -> None:
    body = {"expression": "attr.amount_usd >= 200", "since": "1d"}
    found = client.post("/v1/search", json=body, headers=auth(Role.REVIEWER)).json()
    assert found["matched"] == 2 and found["scanned"] == 4
    assert [e["id"] for e in found["events"]] == ["evt_3", "evt_2"]
    assert sum(b["count"] for b in found["histogram"]) == 2
    assert found["events"][0]["entities"]["ip"] != RAW_IP
    assert f"ip:{RAW_IP}" not in {e["ref"] for e in found["entities"]}
    revealed = client.post("/v1/search", json=body, headers=auth(Role.INVESTIGATOR)).json()
    assert revealed["events"][0]["entities"]["ip"] == RAW_IP


def test_a_bad_query_is_a_422_with_its_position(client: TestClient, auth: Any) -> None:
    body = {"expression": "attr.amount_usd >= ", "since": "1d"}
    response = client.post("/v1/search", json=body, headers=auth(Role.REVIEWER))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "expression" and error["message"].startswith("<query>:1:")
    bad_since = client.post(
        "/v1/search",
        json={"expression": "attr.amount_usd > 1", "since": "yesterday"},
        headers=auth(Role.REVIEWER),
    )
    assert bad_since.status_code == 422 and bad_since.json()["error"]["field"] == "since"
    viewer = client.post("/v1/search", json=body, headers=auth(Role.VIEWER))
    assert viewer.status_code == 403


@pytest.mark.usefixtures("chargebacks")
def test_csv_export_streams_every_match(client: TestClient, auth: Any) -> None:
    response = client.get(
        "/v1/search/export",
        params={"expression": 'type == "payment.chargeback"', "since": "1d"},
        headers=auth(Role.REVIEWER),
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["id"] for r in rows] == ["evt_0", "evt_1", "evt_2", "evt_3"]
    assert RAW_IP not in response.text and rows[0]["subject"] == "account:acct_0"


@pytest.mark.usefixtures("chargebacks")
def test_saved_queries_are_stored_shared_and_run(client: TestClient, auth: Any) -> None:
    mine = auth(Role.INVESTIGATOR)
    body = {"name": "big", "expression": "attr.amount_usd >= 200", "window": "1d", "shared": True}
    created = client.post("/v1/saved-queries", json=body, headers=mine)
    assert created.status_code == 201, created.text
    query_id = created.json()["id"]
    listed = client.get("/v1/saved-queries", headers=auth(Role.REVIEWER)).json()["queries"]
    assert [q["name"] for q in listed] == ["big"]
    ran = client.post(f"/v1/saved-queries/{query_id}/run", headers=mine).json()
    assert ran["matched"] == 2
    refused = client.delete(f"/v1/saved-queries/{query_id}", headers=auth(Role.REVIEWER))
    assert refused.status_code == 403
    assert client.delete(f"/v1/saved-queries/{query_id}", headers=mine).status_code == 204
    bad = client.post("/v1/saved-queries", json={**body, "expression": "attr."}, headers=mine)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "expression"


@pytest.mark.usefixtures("chargebacks")
def test_retroactive_action_preview_apply_and_undo(client: TestClient, auth: Any) -> None:
    body = {
        "target": {"kind": "query", "ref": 'type == "payment.chargeback"', "since": "1d"},
        "action": {"kind": "add_label", "params": {"label": "chargeback_ring"}},
        "subject": "account",
        "reason": "shared card",
    }
    investigator = auth(Role.INVESTIGATOR)
    preview = client.post("/v1/retroactive/preview", json=body, headers=investigator).json()
    assert preview["count"] == 4 and preview["sample"][0] == "account:acct_0"
    created = client.post("/v1/retroactive", json=body, headers=investigator)
    assert created.status_code == 201, created.text
    retro = created.json()
    assert retro["status"] == "applied" and len(retro["action_ids"]) == 4
    undone = client.post(f"/v1/retroactive/{retro['id']}/undo", headers=investigator).json()
    assert undone["status"] == "undone"
    again = client.post(f"/v1/retroactive/{retro['id']}/undo", headers=investigator)
    assert again.status_code == 409
    listed = client.get("/v1/retroactive", headers=auth(Role.VIEWER)).json()["retroactive"]
    assert [r["id"] for r in listed] == [retro["id"]]


@pytest.mark.usefixtures("chargebacks")
def test_retroactive_action_over_the_threshold_waits_and_over_the_cap_is_refused(
    client: TestClient, auth: Any, container: Container
) -> None:
    container.search.retroactive.limits = RetroLimits(cap=10, approval_over=2)
    body = {
        "target": {"kind": "query", "ref": 'type == "payment.chargeback"', "since": "1d"},
        "action": {"kind": "warn"},
        "reason": "warned",
    }
    held = client.post("/v1/retroactive", json=body, headers=auth(Role.INVESTIGATOR)).json()
    assert held["status"] == "pending_approval" and held["action_ids"] == []
    own = client.post(f"/v1/retroactive/{held['id']}/approve", headers=auth(Role.INVESTIGATOR))
    assert own.status_code == 403
    approved = client.post(f"/v1/retroactive/{held['id']}/approve", headers=auth(Role.ADMIN))
    assert approved.status_code == 200 and approved.json()["status"] == "applied"
    container.search.retroactive.limits = RetroLimits(cap=3, approval_over=2)
    refused = client.post("/v1/retroactive", json=body, headers=auth(Role.INVESTIGATOR))
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "target"
    unknown = client.post(
        "/v1/retroactive/preview",
        json={**body, "target": {"kind": "ring", "ref": "ring_nope"}},
        headers=auth(Role.INVESTIGATOR),
    )
    assert unknown.status_code == 404
