"""Policies, playbooks, notices, the DSA export and reviewer wellness over the REST API."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from starlette.testclient import TestClient

from garrison.adapters.shipped_policies import dsa_statement_schema
from garrison.bootstrap import Container
from garrison.domain.access import Role


@pytest.fixture
def suspended(client: TestClient, container: Container, auth: Any, event: Any) -> str:
    """The id of a suspend action a reviewer took on a chargeback case."""
    client.post("/v1/events", json=event(), headers=auth(Role.INGEST))
    container.dispatcher.run_once()
    reviewer = auth(Role.REVIEWER)
    [case] = client.get("/v1/cases", params={"queue": "fraud"}, headers=reviewer).json()["cases"]
    client.post(f"/v1/cases/{case['id']}/claim", headers=reviewer)
    body = {
        "outcome": "violating",
        "policy": "fraud.chargebacks",
        "actions": [{"kind": "suspend_account"}],
        "note": "three chargebacks",
    }
    assert client.post(f"/v1/cases/{case['id']}/resolve", json=body, headers=reviewer).is_success
    found = client.get(f"/v1/cases/{case['id']}", headers=reviewer).json()
    [action] = [a for a in found["actions"] if a["kind"] == "suspend_account"]
    return str(action["id"])


def test_read_edit_publish_and_diff_the_taxonomy(client: TestClient, auth: Any) -> None:
    viewer, admin = auth(Role.VIEWER), auth(Role.ADMIN)
    first = client.get("/v1/policies", headers=viewer).json()
    assert first["version"] == 1
    assert {p["id"] for p in first["policies"]} >= {"hate", "fraud.card_testing"}
    text = client.get("/v1/policies/text", headers=viewer).text
    edited = text.replace('title = "Privacy"', 'title = "Privacy and surveillance"')

    made = client.post(
        "/v1/policies", json={"text": edited, "note": "rename", "base": 1}, headers=admin
    )
    assert made.status_code == 201 and made.json()["version"] == 2
    stale = client.post("/v1/policies", json={"text": text, "base": 1}, headers=admin)
    assert stale.status_code == 409 and stale.json()["error"]["field"] == "base"
    bad = client.post("/v1/policies", json={"text": "[[policy]]\nid = 'x'\n"}, headers=admin)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "policy[0].severity"
    refused = client.post("/v1/policies", json={"text": edited}, headers=auth(Role.REVIEWER))
    assert refused.status_code == 403

    diff = client.get("/v1/policies/diff", params={"old": 1, "new": 2}, headers=viewer).json()
    assert diff["changed"] == [{"id": "privacy", "fields": ["title"]}]
    assert '+title = "Privacy and surveillance"' in diff["lines"]
    versions = client.get("/v1/policies/versions", headers=viewer).json()["versions"]
    assert [v["version"] for v in versions] == [2, 1]
    old = client.get("/v1/policies", params={"version": 1}, headers=viewer).json()
    assert next(p for p in old["policies"] if p["id"] == "privacy")["title"] == "Privacy"
    missing = client.get("/v1/policies", params={"version": 7}, headers=viewer)
    assert missing.status_code == 404


def test_moderation_scores_map_to_policies(client: TestClient, auth: Any) -> None:
    body = {"scores": {"hate/threatening": 0.8, "sexual": 0.1}}
    mapped = client.post("/v1/policies/moderation-map", json=body, headers=auth(Role.VIEWER))
    assert mapped.json()["policies"] == {"sexual": 0.1, "hate.threatening": 0.8}
    unknown = client.post(
        "/v1/policies/moderation-map", json={"scores": {"nsfw": 1}}, headers=auth(Role.VIEWER)
    )
    assert unknown.status_code == 422 and unknown.json()["error"]["field"] == "categories"


def test_playbooks_versions_and_diff(client: TestClient, auth: Any) -> None:
    viewer, senior = auth(Role.VIEWER), auth(Role.SENIOR_REVIEWER)
    keys = [p["key"] for p in client.get("/v1/playbooks", headers=viewer).json()["playbooks"]]
    assert "queue:fraud" in keys and "policy:self_harm" in keys
    saved = client.put(
        "/v1/playbooks/queue:fraud", json={"text": "# Fraud\n- [ ] one step\n"}, headers=senior
    )
    assert saved.status_code == 200
    assert saved.json()["version"] == 2 and saved.json()["steps"] == ["one step"]
    history = client.get("/v1/playbooks/queue:fraud/history", headers=viewer).json()["playbooks"]
    assert [p["version"] for p in history] == [2, 1]
    diff = client.get(
        "/v1/playbooks/queue:fraud/diff", params={"old": 1, "new": 2}, headers=viewer
    ).json()
    assert "+- [ ] one step" in diff["lines"]
    bad_key = client.get("/v1/playbooks/team:x", headers=viewer)
    assert bad_key.status_code == 422 and bad_key.json()["error"]["field"] == "playbook"
    nowhere = client.put("/v1/playbooks/queue:nowhere", json={"text": "# x"}, headers=senior)
    assert nowhere.status_code == 422
    assert client.get("/v1/playbooks/policy:spam", headers=viewer).status_code == 404


def test_a_notice_for_an_action_and_the_dsa_export(
    client: TestClient, auth: Any, suspended: str
) -> None:
    reviewer = auth(Role.REVIEWER)
    issued = client.post("/v1/notices", json={"action_id": suspended}, headers=reviewer)
    assert issued.status_code == 201
    notice = issued.json()
    assert notice["policy"] == "fraud.chargebacks" and notice["policy_version"] == 1
    assert notice["automation"] == "partially"
    assert "Appeal this decision" in notice["text"]
    assert client.get(f"/v1/notices/{notice['id']}", headers=reviewer).json() == notice
    missing = client.post("/v1/notices", json={"action_id": "act_none"}, headers=reviewer)
    assert missing.status_code == 404 and missing.json()["error"]["field"] == "action_id"

    export = client.get(
        "/v1/transparency/dsa", params={"since": "2025-01-01T00:00:00Z"}, headers=auth(Role.ADMIN)
    )
    assert export.status_code == 200
    [body] = export.json()["statements"]
    jsonschema.validate(body, dsa_statement_schema())
    assert body["decision_account"] == "DECISION_ACCOUNT_SUSPENDED"
    forbidden = client.get(
        "/v1/transparency/dsa", params={"since": "2025-01-01T00:00:00Z"}, headers=reviewer
    )
    assert forbidden.status_code == 403


def test_wellness_settings_routing_and_reveals(
    client: TestClient, container: Container, auth: Any, event: Any
) -> None:
    reviewer = auth(Role.REVIEWER)
    me = client.get("/v1/wellness/me", headers=reviewer).json()
    assert me["reviewed_today"] == 0 and not me["break_due"]
    assert {b["category"] for b in me["budgets"]} >= {"self_harm", "sexual.minors"}
    saved = client.put(
        "/v1/wellness/me",
        json={"opted_out": ["violence"], "reveal_by_default": False},
        headers=reviewer,
    )
    assert saved.json()["opted_out"] == ["violence"]
    bad = client.put("/v1/wellness/me", json={"opted_out": ["nope"]}, headers=reviewer)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "opted_out"
    check = client.get(
        "/v1/wellness/may-receive", params={"category": "violence.graphic"}, headers=reviewer
    )
    assert check.json() == {"category": "violence.graphic", "may_receive": False}

    client.post("/v1/events", json=event(), headers=auth(Role.INGEST))
    container.dispatcher.run_once()
    [case] = client.get("/v1/cases", headers=reviewer).json()["cases"]
    revealed = client.post(
        f"/v1/wellness/cases/{case['id']}/reveals", json={"item": "event:evt_1"}, headers=reviewer
    )
    assert revealed.status_code == 204
    records = client.get(
        "/v1/audit", params={"target": f"case:{case['id']}"}, headers=auth(Role.ADMIN)
    ).json()["records"]
    assert records[0]["action"] == "case.reveal"
    assert (
        client.post(
            "/v1/wellness/cases/case_none/reveals", json={"item": "x"}, headers=reviewer
        ).status_code
        == 404
    )
