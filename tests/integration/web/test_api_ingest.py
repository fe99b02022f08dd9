"""POST /v1/events and /v1/events/batch: decisions, idempotency, conflicts and field-level 422s."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from garrison.domain.access import Role
from garrison.entrypoints.web.schemas.decisions import BatchOut, IngestOut

Counts = Callable[[], tuple[int, int]]


def test_a_chargeback_is_decided_with_reasons_and_an_enqueue_review(
    client: TestClient, auth: Any, event: Any
) -> None:
    response = client.post("/v1/events", json=event(), headers=auth(Role.INGEST))

    assert response.status_code == 200
    body = response.json()
    IngestOut.model_validate(body)
    assert body["event_id"] == "evt_1"
    assert body["verdict"] == "review"
    assert body["replayed"] is False
    assert body["release_version"] == "1"  # the starter pack, published on the first start
    assert body["policy_version"] == "default-1"
    assert [r["rule"] for r in body["reasons"]] == ["chargeback_review"]
    assert body["reasons"][0]["policy"] == "fraud.chargebacks"
    assert body["reasons"][0]["explanation"]
    [action] = body["actions"]
    assert action["kind"] == "enqueue_review"
    assert action["subject"] == "account:acct_1"
    assert action["params"] == {"queue": "fraud"}
    assert action["status"] == "planned"


def test_an_event_no_rule_fires_on_is_allowed(client: TestClient, auth: Any, event: Any) -> None:
    body = event(type="account.login", attributes={})
    response = client.post("/v1/events", json=body, headers=auth(Role.INGEST))

    assert response.status_code == 200
    assert response.json()["verdict"] == "allow"
    assert response.json()["reasons"] == []
    assert response.json()["actions"] == []


def test_the_same_event_twice_returns_the_stored_decision(
    client: TestClient, auth: Any, event: Any, stored: Counts
) -> None:
    first = client.post("/v1/events", json=event(), headers=auth(Role.INGEST)).json()
    again = client.post("/v1/events", json=event(), headers=auth(Role.INGEST))

    assert again.status_code == 200
    assert again.json()["decision_id"] == first["decision_id"]
    assert again.json()["replayed"] is True
    assert again.json()["actions"] == first["actions"]
    assert stored() == (1, 1)


def test_the_same_instant_in_another_timezone_is_the_same_event(
    client: TestClient, auth: Any, event: Any
) -> None:
    client.post("/v1/events", json=event(), headers=auth(Role.INGEST))
    again = event(occurred_at="2025-01-31T12:00:00+01:00")
    response = client.post("/v1/events", json=again, headers=auth(Role.INGEST))

    assert response.status_code == 200
    assert response.json()["replayed"] is True


def test_a_reused_id_with_another_body_is_a_conflict(
    client: TestClient, auth: Any, event: Any, stored: Counts
) -> None:
    client.post("/v1/events", json=event(), headers=auth(Role.INGEST))
    response = client.post(
        "/v1/events", json=event(attributes={"amount_usd": 21}), headers=auth(Role.INGEST)
    )

    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "conflict",
            "message": "event evt_1 was already ingested with a different body",
            "field": "id",
        }
    }
    assert stored() == (1, 1)


def _without(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def change(body: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in body.items() if k != name}

    return change


def _with(**fields: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda body: {**body, **fields}


INVALID = [
    ("missing id", _without("id"), "id", "field required"),
    ("empty id", _with(id=""), "id", "non-empty string"),
    ("long id", _with(id="x" * 201), "id", "at most 200"),
    ("missing type", _without("type"), "type", "field required"),
    ("type not dotted", _with(type="Payment"), "type", "lowercase dotted"),
    ("bad occurred_at", _with(occurred_at="yesterday"), "occurred_at", "ISO-8601"),
    ("naive occurred_at", _with(occurred_at="2025-01-31T11:00:00"), "occurred_at", "timezone"),
    ("numeric occurred_at", _with(occurred_at=1738321200), "occurred_at", "ISO-8601"),
    ("unknown entity kind", _with(entities={"planet": "mars"}), "entities.planet", "unknown"),
    ("entity id not text", _with(entities={"account": 42}), "entities.account", "string"),
    ("entities not object", _with(entities=["account"]), "entities", "object"),
    ("attributes not object", _with(attributes=[1, 2]), "attributes", "JSON object"),
    ("unknown field", _with(subject="x"), "subject", "unknown field"),
]


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [case[1:] for case in INVALID],
    ids=[case[0] for case in INVALID],
)
def test_an_invalid_event_is_a_422_naming_the_field_and_nothing_is_written(
    client: TestClient,
    auth: Any,
    event: Any,
    stored: Counts,
    change: Callable[[dict[str, Any]], dict[str, Any]],
    field: str,
    reason: str,
) -> None:
    response = client.post("/v1/events", json=change(event()), headers=auth(Role.INGEST))

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["field"] == field
    assert reason in error["message"]
    assert stored() == (0, 0)


@pytest.mark.parametrize("body", [b"", b"{", b"[1,", b"\xff"])
def test_a_body_that_is_not_json_is_a_422(
    client: TestClient, auth: Any, stored: Counts, body: bytes
) -> None:
    response = client.post(
        "/v1/events",
        content=body,
        headers={**auth(Role.INGEST), "Content-Type": "application/json"},
    )

    assert response.status_code == 422
    assert "not valid JSON" in response.json()["error"]["message"]
    assert stored() == (0, 0)


def test_a_batch_answers_each_event_in_order(
    client: TestClient, auth: Any, event: Any, stored: Counts
) -> None:
    client.post("/v1/events", json=event("evt_seen"), headers=auth(Role.INGEST))
    batch = [
        event("evt_a"),
        event("evt_seen"),
        event("evt_seen", attributes={"amount_usd": 999}),
        event("evt_b", occurred_at="not a time"),
        event("evt_c", type="account.login", attributes={}),
    ]
    response = client.post("/v1/events/batch", json={"events": batch}, headers=auth(Role.INGEST))

    assert response.status_code == 200
    BatchOut.model_validate(response.json())
    results = response.json()["results"]
    assert [r.get("event_id") for r in results] == ["evt_a", "evt_seen", None, None, "evt_c"]
    assert [r.get("replayed") for r in results] == [False, True, None, None, False]
    assert results[2]["status"] == 409
    assert results[2]["error"]["code"] == "conflict"
    assert results[3]["status"] == 422
    assert results[3]["error"]["field"] == "events[3].occurred_at"
    assert stored() == (3, 3)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "events"),
        ({"events": []}, "events"),
        ({"events": {"id": "x"}}, "events"),
        ([1, 2], "events"),
        ({"events": [], "extra": 1}, "extra"),
    ],
)
def test_an_invalid_batch_envelope_is_a_422(
    client: TestClient, auth: Any, body: Any, field: str
) -> None:
    response = client.post("/v1/events/batch", json=body, headers=auth(Role.INGEST))

    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_a_batch_over_1000_events_is_refused_whole(
    client: TestClient, auth: Any, event: Any, stored: Counts
) -> None:
    batch = [event(f"evt_{i}") for i in range(1001)]
    response = client.post("/v1/events/batch", json={"events": batch}, headers=auth(Role.INGEST))

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "events"
    assert "1 to 1000" in response.json()["error"]["message"]
    assert stored() == (0, 0)


def test_ingestion_is_documented_in_openapi(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    single = spec["paths"]["/v1/events"]["post"]
    batch = spec["paths"]["/v1/events/batch"]["post"]

    schema = single["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["id", "type", "occurred_at", "entities"]
    assert "IngestOut" in str(single["responses"]["200"])
    assert batch["requestBody"]["content"]["application/json"]["schema"]["title"] == "EventBatch"
    assert "409" in single["responses"] and "422" in single["responses"]
