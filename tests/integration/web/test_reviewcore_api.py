"""Review operations over the API: reports, next case with leases, queue settings, routing, SLA."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from garrison.adapters.fakes import ManualClock
from garrison.bootstrap import Container
from garrison.domain.access import Role

Auth = Any


def file(client: TestClient, auth: Auth, **body: Any) -> Any:
    payload = {"reporter": "u1", "subject": "content:post_1", "report_type": "harassment"}
    payload.update(body)
    return client.post("/v1/reports", json=payload, headers=auth(Role.INGEST))


def test_a_report_opens_a_case_that_next_leases_to_one_reviewer(
    client: TestClient, auth: Auth, container: Container
) -> None:
    filed = file(client, auth, text="they keep messaging me", language="en")
    assert filed.status_code == 201, filed.text
    assert filed.json()["queue"] == "content"
    case_id = filed.json()["case_id"]

    got = client.post("/v1/queues/content/next", headers=auth(Role.REVIEWER))
    assert got.status_code == 200
    case = got.json()["case"]
    assert (case["id"], case["status"]) == (case_id, "claimed")
    assert case["lease_expires_at"] is not None
    # Nobody else gets it, and claiming it by id is refused with the field named.
    assert client.post("/v1/queues/content/next", headers=auth(Role.SENIOR_REVIEWER)).json() == {
        "case": None
    }
    refused = client.post(f"/v1/cases/{case_id}/claim", headers=auth(Role.SENIOR_REVIEWER))
    assert refused.status_code == 409
    assert refused.json()["error"]["field"] == "case_id"
    reports = client.get(f"/v1/cases/{case_id}/reports", headers=auth(Role.REVIEWER)).json()
    assert [r["text"] for r in reports["reports"]] == ["they keep messaging me"]
    case_file = client.get(f"/v1/cases/{case_id}", headers=auth(Role.REVIEWER)).json()
    assert len(case_file["reports"]) == 1

    assert isinstance(container.clock, ManualClock)
    container.clock.advance(container.settings.review_lease_seconds)
    again = client.post("/v1/queues/content/next", headers=auth(Role.SENIOR_REVIEWER)).json()
    assert again["case"]["id"] == case_id


def test_release_gives_the_case_back(client: TestClient, auth: Auth) -> None:
    case_id = file(client, auth).json()["case_id"]
    client.post(f"/v1/cases/{case_id}/claim", headers=auth(Role.REVIEWER))
    released = client.post(f"/v1/cases/{case_id}/release", headers=auth(Role.REVIEWER))
    assert released.json()["status"] == "open"
    assert (
        client.post(f"/v1/cases/{case_id}/release", headers=auth(Role.REVIEWER)).status_code == 409
    )


def test_bad_reports_name_the_field(client: TestClient, auth: Auth) -> None:
    cases = [
        ({"subject": "planet:mars"}, "subject"),
        ({"report_type": "Bad Type"}, "report_type"),
        ({"reporter_kind": "robot"}, "reporter_kind"),
    ]
    for body, field in cases:
        response = file(client, auth, **body)
        assert response.status_code == 422, body
        assert field in response.json()["error"]["field"]
    assert file(client, auth, id="r1").status_code == 201
    assert file(client, auth, id="r1").status_code == 200
    assert file(client, auth, id="r1", text="other").status_code == 409
    reviewer_try = client.post(
        "/v1/reports",
        json={"reporter": "u", "subject": "content:c", "report_type": "spam"},
        headers=auth(Role.REVIEWER),
    )
    assert reviewer_try.status_code == 403


def test_muting_over_the_api(client: TestClient, auth: Auth) -> None:
    file(client, auth, reporter="troll")
    path = "/v1/reporters/troll/mute"
    assert client.post(path, json={"reason": "x"}, headers=auth(Role.REVIEWER)).status_code == 403
    muted = client.post(path, json={"reason": "brigading"}, headers=auth(Role.SENIOR_REVIEWER))
    assert muted.json()["muted"] is True
    filed = file(client, auth, reporter="troll", subject="content:post_2").json()
    assert (filed["case_id"], filed["report"]["status"]) == (None, "muted")
    listed = client.get("/v1/reporters", params={"muted": True}, headers=auth(Role.VIEWER)).json()
    assert [r["id"] for r in listed["reporters"]] == ["troll"]
    assert listed["reporters"][0]["reputation"] == 0.5
    assert client.get("/v1/reporters/nobody", headers=auth(Role.VIEWER)).status_code == 404


def test_queue_settings_and_routing_rules(client: TestClient, auth: Auth) -> None:
    body = {
        "description": "German content",
        "sla_seconds": 7200,
        "playbook": "content-de",
        "wellness": "graphic",
    }
    assert (
        client.put(
            "/v1/queues/content-de", json=body, headers=auth(Role.SENIOR_REVIEWER)
        ).status_code
        == 403
    )
    made = client.put("/v1/queues/content-de", json=body, headers=auth(Role.ADMIN))
    assert made.status_code == 200, made.text
    assert (made.json()["playbook"], made.json()["wellness"]) == ("content-de", "graphic")
    rule = {"queue": "content-de", "position": 5, "languages": ["de"], "sources": ["report"]}
    put = client.put("/v1/routing/rules/german", json=rule, headers=auth(Role.ADMIN))
    assert put.status_code == 200, put.text
    preview = client.post(
        "/v1/routing/preview",
        json={"source": "report", "language": "de"},
        headers=auth(Role.VIEWER),
    )
    assert preview.json() == {"queue": "content-de"}
    assert file(client, auth, language="de").json()["queue"] == "content-de"
    missing = client.put(
        "/v1/routing/rules/bad", json={"queue": "nope", "position": 1}, headers=auth(Role.ADMIN)
    )
    assert (missing.status_code, missing.json()["error"]["field"]) == (422, "queue")
    rules = client.get("/v1/routing/rules", headers=auth(Role.VIEWER)).json()["rules"]
    assert rules[0]["name"] == "german"
    assert client.delete("/v1/routing/rules/german", headers=auth(Role.ADMIN)).status_code == 204
    assert client.delete("/v1/routing/rules/german", headers=auth(Role.ADMIN)).status_code == 404


def test_sla_watch_warns_then_reports_the_breach(
    client: TestClient, auth: Auth, container: Container
) -> None:
    case_id = file(client, auth).json()["case_id"]  # content queue: 12 h SLA
    assert isinstance(container.clock, ManualClock)
    watch = lambda: client.get("/v1/queues/sla", headers=auth(Role.VIEWER)).json()  # noqa: E731
    assert watch()["cases"] == []
    container.clock.advance(10 * 3600)
    warned = watch()
    assert warned["warn_at"] == 0.8
    assert [(c["case"]["id"], c["state"]) for c in warned["cases"]] == [(case_id, "warning")]
    container.clock.advance(2 * 3600)
    assert watch()["cases"][0]["state"] == "breached"
    early = client.get(
        "/v1/queues/sla", params={"warn_at": 1.0, "queue": "fraud"}, headers=auth(Role.VIEWER)
    )
    assert early.json()["cases"] == []
    unknown = client.get("/v1/queues/sla", params={"queue": "nope"}, headers=auth(Role.VIEWER))
    assert unknown.status_code == 404


def test_escalation_tiers_need_a_reason_and_the_right_role(client: TestClient, auth: Auth) -> None:
    case_id = file(client, auth).json()["case_id"]
    client.post(f"/v1/cases/{case_id}/claim", headers=auth(Role.REVIEWER))
    path = f"/v1/cases/{case_id}/escalate"
    empty = client.post(path, json={"reason": ""}, headers=auth(Role.REVIEWER))
    assert (empty.status_code, empty.json()["error"]["field"]) == (422, "reason")
    up = client.post(path, json={"reason": "threat of violence"}, headers=auth(Role.REVIEWER))
    assert up.status_code == 200, up.text
    assert (up.json()["queue"], up.json()["tier"]) == ("escalations", "senior")
    assert up.json()["escalations"][0]["reason"] == "threat of violence"
    client.post(f"/v1/cases/{case_id}/claim", headers=auth(Role.SENIOR_REVIEWER))
    legal = client.post(
        path, json={"reason": "law enforcement"}, headers=auth(Role.SENIOR_REVIEWER)
    )
    assert legal.json()["queue"] == "policy-legal"
    refused = client.post(f"/v1/cases/{case_id}/claim", headers=auth(Role.SENIOR_REVIEWER))
    assert refused.status_code == 403
    assert client.post(f"/v1/cases/{case_id}/claim", headers=auth(Role.ADMIN)).status_code == 200
