"""Bulk actions: preview first, then execute exactly what was previewed, with a cap."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from garrison.domain.access import Role

Auth = Any


def cases(client: TestClient, auth: Auth, count: int) -> list[str]:
    made = []
    for i in range(count):
        body = {"reporter": f"u{i}", "subject": f"content:p{i}", "report_type": "spam"}
        made.append(
            client.post("/v1/reports", json=body, headers=auth(Role.INGEST)).json()["case_id"]
        )
    return made


def test_preview_then_execute_a_bulk_resolve(client: TestClient, auth: Auth) -> None:
    ids = cases(client, auth, 3)
    client.post(f"/v1/cases/{ids[2]}/claim", headers=auth(Role.REVIEWER))
    senior = auth(Role.SENIOR_REVIEWER)
    body = {
        "kind": "resolve",
        "case_ids": [*ids, "case_404"],
        "outcome": "not_violating",
        "reason": "spam wave, benign",
    }

    preview = client.post("/v1/cases/bulk/preview", json=body, headers=senior)
    assert preview.status_code == 200, preview.text
    shown = preview.json()
    assert [c["id"] for c in shown["eligible"]] == ids[:2]
    refused = {r["case_id"]: r["reason"] for r in shown["refused"]}
    assert refused.keys() == {ids[2], "case_404"}
    assert refused[ids[2]].startswith("claimed by ") and refused["case_404"] == "no such case"
    assert client.get("/v1/cases?status=resolved", headers=senior).json()["cases"] == []

    changed = {**body, "case_ids": ids[:1], "token": shown["token"]}
    assert client.post("/v1/cases/bulk/execute", json=changed, headers=senior).status_code == 422
    done = client.post(
        "/v1/cases/bulk/execute", json={**body, "token": shown["token"]}, headers=senior
    )
    assert done.status_code == 200, done.text
    assert done.json()["done"] == ids[:2]
    resolved = client.get("/v1/cases", params={"status": "resolved"}, headers=senior).json()[
        "cases"
    ]
    assert sorted(c["id"] for c in resolved) == sorted(ids[:2])


def test_bulk_reassign_and_escalate_and_the_rules(
    client: TestClient, auth: Auth, make_container: Any
) -> None:
    ids = cases(client, auth, 2)
    senior = auth(Role.SENIOR_REVIEWER)
    move = {"kind": "reassign", "case_ids": ids, "queue": "fraud"}
    token = client.post("/v1/cases/bulk/preview", json=move, headers=senior).json()["token"]
    moved = client.post("/v1/cases/bulk/execute", json={**move, "token": token}, headers=senior)
    assert moved.json()["done"] == ids
    assert {c["queue"] for c in client.get("/v1/cases", headers=senior).json()["cases"]} == {
        "fraud"
    }

    up = {"kind": "escalate", "case_ids": ids[:1], "reason": "coordinated"}
    token = client.post("/v1/cases/bulk/preview", json=up, headers=senior).json()["token"]
    assert (
        client.post("/v1/cases/bulk/execute", json={**up, "token": token}, headers=senior).json()[
            "done"
        ]
        == ids[:1]
    )

    refused = [
        ({"kind": "escalate", "case_ids": ids}, "reason"),
        ({"kind": "resolve", "case_ids": ids}, "outcome"),
        ({"kind": "resolve", "case_ids": ids, "outcome": "violating"}, "policy"),
        ({"kind": "reassign", "case_ids": ids}, "queue"),
    ]
    for body, field in refused:
        answer = client.post("/v1/cases/bulk/preview", json=body, headers=senior)
        assert (answer.status_code, answer.json()["error"]["field"]) == (422, field), body
    reviewer = client.post("/v1/cases/bulk/preview", json=move, headers=auth(Role.REVIEWER))
    assert reviewer.status_code == 403


def test_bulk_cap(make_container: Any) -> None:
    from garrison.entrypoints.web.app import create_app

    container = make_container(bulk_max_cases=2)
    with TestClient(create_app(container)) as client:
        key = container.access.create_api_key("s", Role.SENIOR_REVIEWER, actor="t").key
        body = {"kind": "reassign", "case_ids": ["a", "b", "c"], "queue": "fraud"}
        answer = client.post(
            "/v1/cases/bulk/preview", json=body, headers={"Authorization": f"Bearer {key}"}
        )
    assert (answer.status_code, answer.json()["error"]["field"]) == (422, "case_ids")
