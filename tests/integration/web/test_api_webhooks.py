"""Webhook deliveries: dead letters are visible over the API and can be put back in line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from garrison.adapters.fakes import RecordingTransport
from garrison.bootstrap import Container
from garrison.domain.access import Role
from garrison.entrypoints.web.app import create_app


@pytest.fixture
def transport() -> RecordingTransport:
    return RecordingTransport.answering([500])


@pytest.fixture
def container(make_container: Callable[..., Container], transport: RecordingTransport) -> Container:
    """Webhooks on, one attempt each: the first failure dead-letters a delivery."""
    return make_container(
        webhook_url="https://host.example/hooks",
        webhook_secret="s3cret",
        webhook_max_attempts=1,
        transport=transport,
    )


@pytest.fixture
def dead_id(client: TestClient, container: Container, auth: Any, event: Any) -> str:
    """A chargeback blocked by velocity suspends the account: its webhook dies on a 500."""
    headers = auth(Role.INGEST)
    client.post("/v1/events", json=event("evt_1"), headers=headers)
    client.post("/v1/events", json=event("evt_2"), headers=headers)
    report = container.dispatcher.run_once()
    assert report.dead == 1
    deliveries = client.get("/v1/webhooks/deliveries", headers=auth(Role.ADMIN)).json()
    return str(deliveries["deliveries"][0]["id"])


def test_dead_lettered_deliveries_are_listed_by_status(
    client: TestClient, auth: Any, dead_id: str
) -> None:
    admin = auth(Role.ADMIN)

    dead = client.get("/v1/webhooks/deliveries", params={"status": "dead"}, headers=admin)
    pending = client.get("/v1/webhooks/deliveries", params={"status": "pending"}, headers=admin)

    assert dead.status_code == 200
    [delivery] = dead.json()["deliveries"]
    assert delivery["id"] == dead_id
    assert delivery["attempts"] == 1
    assert delivery["last_error"] == "host answered HTTP 500"
    assert delivery["url"] == "https://host.example/hooks"
    assert pending.json()["deliveries"] == []


def test_a_dead_delivery_is_retried_once_and_then_delivered(
    client: TestClient,
    container: Container,
    auth: Any,
    dead_id: str,
    transport: RecordingTransport,
) -> None:
    admin = auth(Role.ADMIN)

    retried = client.post(f"/v1/webhooks/deliveries/{dead_id}/retry", headers=admin)
    again = client.post(f"/v1/webhooks/deliveries/{dead_id}/retry", headers=admin)

    assert retried.status_code == 200
    assert retried.json()["status"] == "pending"
    assert again.status_code == 409
    assert container.dispatcher.run_once().delivered == 1
    assert len(transport.sent) == 2
    [record] = client.get(
        "/v1/audit", params={"target": f"delivery:{dead_id}", "limit": 1}, headers=admin
    ).json()["records"]
    assert (record["action"], record["actor"]) == ("webhook.retry", "machine:admin-key")


def test_retrying_an_unknown_delivery_is_a_404(client: TestClient, auth: Any) -> None:
    response = client.post("/v1/webhooks/deliveries/dlv_nope/retry", headers=auth(Role.ADMIN))

    assert response.status_code == 404
    assert response.json()["error"]["field"] == "delivery_id"


def test_a_bad_status_filter_is_a_422(container: Container, auth: Any) -> None:
    client = TestClient(create_app(container))

    response = client.get(
        "/v1/webhooks/deliveries", params={"status": "lost"}, headers=auth(Role.ADMIN)
    )

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "status"
