"""Review over the API: cases opened by the dispatcher, case files, claims, resolution."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from garrison.bootstrap import Container
from garrison.domain.access import Role


@pytest.fixture
def case_id(client: TestClient, container: Container, auth: Any, event: Any) -> str:
    """A case in the fraud queue, opened by the dispatcher for a chargeback."""
    client.post("/v1/events", json=event(), headers=auth(Role.INGEST))
    report = container.dispatcher.run_once()
    assert report.cases_opened == 1
    [case] = client.get("/v1/cases", headers=auth(Role.VIEWER)).json()["cases"]
    return str(case["id"])


def test_the_dispatcher_opens_a_case_that_the_case_list_shows(
    client: TestClient, auth: Any, case_id: str
) -> None:
    response = client.get("/v1/cases", params={"queue": "fraud"}, headers=auth(Role.VIEWER))

    assert response.status_code == 200
    [case] = response.json()["cases"]
    assert case["id"] == case_id
    assert case["subject"] == "account:acct_1"
    assert case["status"] == "open"
    assert case["assignee"] is None
    assert len(case["decision_ids"]) == 1
    assert (
        client.get("/v1/cases", params={"queue": "content"}, headers=auth(Role.VIEWER)).json()[
            "cases"
        ]
        == []
    )
    assert (
        client.get("/v1/cases", params={"status": "resolved"}, headers=auth(Role.VIEWER)).json()[
            "cases"
        ]
        == []
    )


def test_queues_count_their_cases(client: TestClient, auth: Any, case_id: str) -> None:
    queues = {
        q["name"]: q for q in client.get("/v1/queues", headers=auth(Role.VIEWER)).json()["queues"]
    }

    shipped = {"default", "fraud", "content", "escalations", "sensitive", "policy-legal"}
    assert shipped <= set(queues)
    assert queues["fraud"]["counts"] == {"open": 1, "claimed": 0, "resolved": 0}
    assert queues["escalations"]["required_permission"] == "review_escalations"


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "lost"}, "status"), ({"limit": 0}, "limit"), ({"offset": -1}, "offset")],
)
def test_a_bad_case_filter_is_a_422_naming_it(
    client: TestClient, auth: Any, params: dict[str, Any], field: str
) -> None:
    response = client.get("/v1/cases", params=params, headers=auth(Role.VIEWER))

    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_an_unknown_queue_is_a_404(client: TestClient, auth: Any) -> None:
    response = client.get("/v1/cases", params={"queue": "nope"}, headers=auth(Role.VIEWER))

    assert response.status_code == 404
    assert response.json()["error"]["field"] == "queue"


def test_the_case_file_holds_the_decision_events_and_actions_and_its_read_is_audited(
    client: TestClient, auth: Any, case_id: str
) -> None:
    response = client.get(f"/v1/cases/{case_id}", headers=auth(Role.REVIEWER))

    assert response.status_code == 200
    found = response.json()
    assert found["case"]["id"] == case_id
    [decision] = found["decisions"]
    assert decision["reasons"][0]["rule"] == "chargeback_review"
    assert [e["id"] for e in found["events"]] == ["evt_1"]
    assert [a["kind"] for a in found["actions"]] == ["enqueue_review"]
    assert found["actions"][0]["status"] == "executed"
    assert found["labels"] == []
    audit = client.get(
        "/v1/audit", params={"target": f"case:{case_id}"}, headers=auth(Role.ADMIN)
    ).json()["records"]
    assert [(r["action"], r["actor"]) for r in audit] == [("case.read", "machine:reviewer-key")]


def test_a_viewer_may_list_cases_but_not_open_their_content(
    client: TestClient, auth: Any, case_id: str
) -> None:
    response = client.get(f"/v1/cases/{case_id}", headers=auth(Role.VIEWER))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_an_unknown_case_is_a_404(client: TestClient, auth: Any) -> None:
    response = client.get("/v1/cases/case_nope", headers=auth(Role.REVIEWER))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_claim_then_resolve_records_a_label_plans_actions_and_audits(
    client: TestClient, container: Container, auth: Any, case_id: str
) -> None:
    reviewer = auth(Role.REVIEWER)
    claimed = client.post(f"/v1/cases/{case_id}/claim", headers=reviewer)
    assert claimed.status_code == 200
    assert claimed.json()["status"] == "claimed"
    assert claimed.json()["assignee"]

    resolved = client.post(
        f"/v1/cases/{case_id}/resolve",
        json={
            "outcome": "violating",
            "policy": "fraud.chargebacks",
            "actions": [{"kind": "suspend_account", "params": {"days": 7}}],
            "note": "three chargebacks on stolen cards",
        },
        headers=reviewer,
    )

    assert resolved.status_code == 200
    case = resolved.json()
    assert case["status"] == "resolved"
    assert case["resolution"]["outcome"] == "violating"
    assert case["resolution"]["actions"] == [
        {"kind": "suspend_account", "params": {"days": 7}, "target": None}
    ]
    found = client.get(f"/v1/cases/{case_id}", headers=reviewer).json()
    [label] = found["labels"]
    assert (label["value"], label["policy"], label["provenance"]) == (
        "violating",
        "fraud.chargebacks",
        "review",
    )
    suspend = [a for a in found["actions"] if a["kind"] == "suspend_account"]
    assert [(a["status"], a["case_id"]) for a in suspend] == [("planned", case_id)]
    actions = [
        r["action"]
        for r in client.get(
            "/v1/audit", params={"target": f"case:{case_id}"}, headers=auth(Role.ADMIN)
        ).json()["records"]
    ]
    assert actions[:3] == ["case.read", "case.resolve", "case.claim"]


def test_resolving_a_case_someone_else_claimed_is_a_409(
    client: TestClient, auth: Any, case_id: str
) -> None:
    client.post(f"/v1/cases/{case_id}/claim", headers=auth(Role.REVIEWER))
    other = auth(Role.SENIOR_REVIEWER)

    claim = client.post(f"/v1/cases/{case_id}/claim", headers=other)
    resolve = client.post(
        f"/v1/cases/{case_id}/resolve", json={"outcome": "not_violating"}, headers=other
    )

    assert claim.status_code == 409
    assert resolve.status_code == 409
    assert resolve.json()["error"]["code"] == "invalid_transition"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"outcome": "guilty"}, "outcome"),
        ({"outcome": "violating"}, "policy"),
        ({"outcome": "not_violating", "actions": [{"kind": "warn"}]}, "actions"),
        (
            {"outcome": "violating", "policy": "p", "actions": [{"kind": "smite"}]},
            "actions[0].kind",
        ),
        (
            {"outcome": "violating", "policy": "p", "actions": [{"kind": "warn", "target": "x"}]},
            "actions[0].target",
        ),
    ],
)
def test_an_invalid_resolution_is_a_422_naming_the_field(
    client: TestClient, auth: Any, case_id: str, body: dict[str, Any], field: str
) -> None:
    client.post(f"/v1/cases/{case_id}/claim", headers=auth(Role.REVIEWER))
    response = client.post(f"/v1/cases/{case_id}/resolve", json=body, headers=auth(Role.REVIEWER))

    assert response.status_code == 422
    assert response.json()["error"]["field"] == field
    case = client.get("/v1/cases", headers=auth(Role.VIEWER)).json()["cases"][0]
    assert case["status"] == "claimed"


def test_escalation_moves_the_case_to_a_queue_only_senior_reviewers_may_claim(
    client: TestClient, auth: Any, case_id: str
) -> None:
    reviewer = auth(Role.REVIEWER)
    client.post(f"/v1/cases/{case_id}/claim", headers=reviewer)

    escalated = client.post(
        f"/v1/cases/{case_id}/resolve",
        json={"outcome": "escalate", "note": "looks like a ring"},
        headers=reviewer,
    )

    assert escalated.status_code == 200
    assert escalated.json()["queue"] == "escalations"
    assert escalated.json()["status"] == "open"
    refused = client.post(f"/v1/cases/{case_id}/claim", headers=reviewer)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    senior = client.post(f"/v1/cases/{case_id}/claim", headers=auth(Role.SENIOR_REVIEWER))
    assert senior.status_code == 200


def test_a_decision_can_be_read_back(client: TestClient, auth: Any, event: Any) -> None:
    made = client.post("/v1/events", json=event(), headers=auth(Role.INGEST)).json()

    response = client.get(f"/v1/decisions/{made['decision_id']}", headers=auth(Role.VIEWER))

    assert response.status_code == 200
    read = response.json()
    assert {k: read[k] for k in ("decision_id", "verdict", "score", "reasons")} == {
        k: made[k] for k in ("decision_id", "verdict", "score", "reasons")
    }
    assert [a["id"] for a in read["actions"]] == [a["id"] for a in made["actions"]]
    missing = client.get("/v1/decisions/dec_nope", headers=auth(Role.VIEWER))
    assert missing.status_code == 404


def test_the_audit_log_is_newest_first_and_limited(
    client: TestClient, auth: Any, case_id: str
) -> None:
    admin = auth(Role.ADMIN)
    client.post(f"/v1/cases/{case_id}/claim", headers=auth(Role.REVIEWER))

    records = client.get("/v1/audit", params={"limit": 2}, headers=admin).json()["records"]

    assert len(records) == 2
    assert records[0]["action"] == "case.claim"
    assert records[0]["seq"] > records[1]["seq"]
    assert records[0]["prev_hash"] == records[1]["hash"]
