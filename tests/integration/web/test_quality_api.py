"""Measured quality over the API: QA sample, golden items, labels import, adjudication,
calibration, active learning, and the quality sheet."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from garrison.bootstrap import Container
from garrison.domain.access import Role


def _resolve(client: TestClient, headers: Any, case_id: str, outcome: str, policy: Any) -> None:
    assert client.post(f"/v1/cases/{case_id}/claim", headers=headers).status_code == 200
    body = {"outcome": outcome, "policy": policy, "actions": [], "note": ""}
    response = client.post(f"/v1/cases/{case_id}/resolve", json=body, headers=headers)
    assert response.status_code == 200, response.text


def test_sample_allowed_traffic_then_read_the_recall_estimate(
    client: TestClient, container: Container, auth: Any, event: Any
) -> None:
    for n in range(6):
        body = event(
            f"evt_ok{n}",
            type="account.login",
            entities={"account": f"acct_{n}"},
            attributes={"tier": "free"},
        )
        assert client.post("/v1/events", json=body, headers=auth(Role.INGEST)).status_code in (
            200,
            201,
        )
    lead = auth(Role.SENIOR_REVIEWER)
    sweep = client.post("/v1/quality/samples", json={"days": 2, "rate": 1.0}, headers=lead)
    assert sweep.status_code == 200, sweep.text
    items = sweep.json()["enqueued"]
    allowed = [i for i in items if i["queue"] == "qa"]
    assert allowed and all(i["kind"] == "sample" for i in allowed)
    reviewer = auth(Role.REVIEWER)
    _resolve(client, reviewer, allowed[0]["case_id"], "violating", "abuse.spam")
    for item in allowed[1:]:
        _resolve(client, reviewer, item["case_id"], "not_violating", None)
    sheet = client.get("/v1/quality", headers=auth(Role.VIEWER))
    assert sheet.status_code == 200
    overall = sheet.json()["overall"]
    assert overall["missed"]["violating"] == 1
    assert overall["missed"]["total"] >= 1.0
    assert overall["missed"]["strata"][0]["segment"].endswith("|free")
    assert client.post("/v1/quality/samples", json={"rate": 0}, headers=lead).status_code == 422
    assert client.post("/v1/quality/samples", json={}, headers=reviewer).status_code == 403


def test_golden_item_and_its_accuracy(client: TestClient, auth: Any) -> None:
    lead = auth(Role.SENIOR_REVIEWER)
    body = {"subject": "account:gold_1", "value": "violating", "policy": "fraud", "queue": "fraud"}
    made = client.post("/v1/quality/golden", json=body, headers=lead)
    assert made.status_code == 201, made.text
    again = client.post("/v1/quality/golden", json=body, headers=lead)
    assert again.status_code == 409
    bad = client.post("/v1/quality/golden", json={**body, "subject": "nope"}, headers=lead)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "subject"
    _resolve(client, auth(Role.REVIEWER), made.json()["case_id"], "not_violating", None)
    accuracy = client.get("/v1/quality/golden", headers=auth(Role.VIEWER)).json()
    assert (accuracy["overall"]["successes"], accuracy["overall"]["n"]) == (0, 1)
    assert accuracy["overall"]["interval"]["high"] > 0.5


def test_import_conflict_and_adjudication(client: TestClient, auth: Any) -> None:
    lead = auth(Role.SENIOR_REVIEWER)
    text = (
        '{"subject": "account:a1", "value": "violating", "policy": "spam", "author": "vendor:a"}\n'
        '{"subject": "account:a1", "value": "not_violating", "author": "vendor:b"}\n'
    )
    imported = client.post(
        "/v1/labels/import", json={"format": "jsonl", "text": text, "source": "t"}, headers=lead
    )
    assert imported.status_code == 200 and imported.json()["imported"] == 2
    bad = client.post(
        "/v1/labels/import",
        json={"format": "csv", "text": "subject,value\nx,violating\n"},
        headers=lead,
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "line 2: subject"
    [conflict] = client.get("/v1/quality/conflicts", headers=lead).json()["conflicts"]
    assert (conflict["subject"], conflict["policy"]) == ("account:a1", "spam")
    body = {"subject": "account:a1", "policy": "spam", "value": "not_violating"}
    assert (
        client.post("/v1/quality/adjudications", json=body, headers=auth(Role.REVIEWER)).status_code
        == 403
    )
    ruled = client.post("/v1/quality/adjudications", json=body, headers=lead)
    assert ruled.status_code == 201 and ruled.json()["provenance"] == "adjudication"
    assert client.get("/v1/quality/conflicts", headers=lead).json()["conflicts"] == []
    labels = client.get("/v1/labels", params={"subject": "account:a1"}, headers=lead).json()
    assert labels["labels"][0]["provenance"] == "adjudication"
    assert client.post("/v1/quality/adjudications", json=body, headers=lead).status_code == 409


def test_calibration_session_and_active_learning(
    client: TestClient, container: Container, auth: Any
) -> None:
    lead = auth(Role.SENIOR_REVIEWER)
    reviewer = auth(Role.REVIEWER)
    body = {
        "name": "weekly",
        "subjects": ["account:c1", "account:c2"],
        "participants": ["machine:reviewer-key", "machine:admin-key"],
    }
    made = client.post("/v1/quality/calibrations", json=body, headers=lead)
    assert made.status_code == 201, made.text
    session = made.json()["id"]
    for subject in body["subjects"]:
        answer = {"subject": subject, "value": "not_violating"}
        url = f"/v1/quality/calibrations/{session}/answers"
        assert client.post(url, json=answer, headers=reviewer).status_code == 200
        assert client.post(url, json=answer, headers=auth(Role.ADMIN)).status_code == 200
    report = client.get(f"/v1/quality/calibrations/{session}", headers=reviewer).json()
    assert report["answered"] == 4 and report["fleiss"]["value"] is None  # one category only
    assert client.get("/v1/quality/calibrations/cal_nope", headers=lead).status_code == 404

    rows = [
        {"subject": "account:u1", "model": "spam_v1", "score": 0.49},
        {"subject": "account:u2", "model": "spam_v1", "score": 0.97},
    ]
    done = client.post("/v1/quality/uncertain", json={"rows": rows, "k": 1}, headers=lead)
    assert done.status_code == 200, done.text
    [item] = done.json()["enqueued"]
    assert (item["subject"], item["queue"], item["kind"]) == (
        "account:u1",
        "labelling",
        "uncertain",
    )
    assert client.get("/v1/quality/overturns", headers=reviewer).json()["overall"]["n"] == 0
    assert client.get("/v1/quality/agreement", headers=reviewer).json()["pairs"] == 0
    assert client.get("/v1/quality/accuracy", headers=reviewer).status_code == 200
