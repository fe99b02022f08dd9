"""A smoke run of the API on a migrated SQLite file: the same answers as on memory storage."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

try:
    from garrison.adapters.storage.sql import SqlStore  # noqa: F401 - probing for the adapter
except ImportError as missing:
    pytest.skip(f"SQL storage is not available: {missing}", allow_module_level=True)

from garrison.adapters.fakes import ManualClock, RecordingTransport, SequentialIds
from garrison.bootstrap import Container, bootstrap, migrate
from garrison.config import Settings
from garrison.domain.access import Role
from garrison.domain.ids import EventId
from garrison.entrypoints.web.app import create_app


@pytest.fixture
def container(tmp_path: Path) -> Iterator[Container]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'garrison.db'}",
        secret_key="test",
        dispatch_in_server=False,
    )
    migrate(settings)
    built = bootstrap(
        settings,
        clock=ManualClock(datetime(2025, 1, 31, 12, 0, tzinfo=UTC)),
        ids=SequentialIds(),
        transport=RecordingTransport(),
    )
    yield built
    built.close()


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container)) as test_client:
        yield test_client


def test_ingest_review_and_audit_on_sqlite(
    client: TestClient, container: Container, auth: Any, event: Any
) -> None:
    ingest, reviewer = auth(Role.INGEST), auth(Role.REVIEWER)
    first = client.post("/v1/events", json=event(), headers=ingest)
    again = client.post("/v1/events", json=event(), headers=ingest)
    clash = client.post("/v1/events", json=event(attributes={}), headers=ingest)
    batch = client.post(
        "/v1/events/batch",
        json={"events": [event("evt_2", type="account.login"), event("evt_3", id="")]},
        headers=ingest,
    )

    assert first.status_code == 200 and first.json()["verdict"] == "review"
    assert again.json()["replayed"] is True
    assert again.json()["decision_id"] == first.json()["decision_id"]
    assert clash.status_code == 409
    assert [r.get("status") for r in batch.json()["results"]] == [None, 422]

    container.dispatcher.run_once()
    [case] = client.get("/v1/cases", params={"queue": "fraud"}, headers=reviewer).json()["cases"]
    assert client.post(f"/v1/cases/{case['id']}/claim", headers=reviewer).status_code == 200
    resolved = client.post(
        f"/v1/cases/{case['id']}/resolve",
        json={"outcome": "not_violating", "note": "friendly fraud"},
        headers=reviewer,
    )
    assert resolved.status_code == 200
    assert resolved.json()["status"] == "resolved"
    found = client.get(f"/v1/cases/{case['id']}", headers=reviewer).json()
    assert [label["value"] for label in found["labels"]] == ["not_violating"]
    audit = client.get("/v1/audit", headers=auth(Role.ADMIN)).json()["records"]
    assert "case.resolve" in [r["action"] for r in audit]
    assert client.get("/readyz").status_code == 200


def test_a_batch_on_sqlite_is_one_transaction_with_replays_and_conflicts_per_item(
    client: TestClient, container: Container, auth: Any, event: Any
) -> None:
    ingest = auth(Role.INGEST)
    client.post("/v1/events", json=event("evt_seen"), headers=ingest)
    batch = [
        event("evt_a"),
        event("evt_a"),
        event("evt_a", attributes={"amount_usd": 999}),
        event("evt_seen"),
        event("evt_b", type="account.login", attributes={}),
    ]
    response = client.post("/v1/events/batch", json={"events": batch}, headers=ingest)

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r.get("replayed") for r in results] == [False, True, None, True, False]
    assert results[1]["decision_id"] == results[0]["decision_id"]
    assert results[2]["status"] == 409 and results[2]["error"]["field"] == "id"
    again = client.post("/v1/events", json=event("evt_a"), headers=ingest).json()
    assert again["replayed"] is True and again["decision_id"] == results[0]["decision_id"]
    with container.store.uow() as uow:
        assert uow.events.get(EventId("evt_b")) is not None
        assert uow.events.get(EventId("evt_missing")) is None
