"""An API app on in-memory storage with the starter pack, a manual clock and fake webhooks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from garrison.adapters.fakes import ManualClock, RecordingTransport, SequentialIds
from garrison.adapters.storage.memory import MemoryStore
from garrison.bootstrap import Container, bootstrap
from garrison.config import Settings
from garrison.domain.access import Role
from garrison.entrypoints.web.app import create_app

START = datetime(2025, 1, 31, 12, 0, tzinfo=UTC)

Headers = dict[str, str]
AuthFor = Callable[[Role], Headers]
MakeEvent = Callable[..., dict[str, Any]]


def settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": "memory://",
        "secret_key": "test",
        "dispatch_in_server": False,
    }
    values.update(overrides)
    return Settings(**values)


def memory_container(**overrides: Any) -> Container:
    transport = overrides.pop("transport", None) or RecordingTransport()
    return bootstrap(
        settings(**overrides),
        store=MemoryStore(),
        clock=ManualClock(START),
        ids=SequentialIds(),
        transport=transport,
    )


@pytest.fixture
def make_container() -> Callable[..., Container]:
    """Build another container; keyword arguments override settings (or pass `transport=`)."""
    return memory_container


@pytest.fixture
def container() -> Container:
    return memory_container()


@pytest.fixture
def app(container: Container) -> FastAPI:
    return create_app(container)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def auth(container: Container) -> AuthFor:
    """Headers with an API key of the given role (one key per role)."""
    keys: dict[Role, str] = {}

    def headers(role: Role) -> Headers:
        if role not in keys:
            keys[role] = container.access.create_api_key(f"{role}-key", role, actor="test").key
        return {"Authorization": f"Bearer {keys[role]}"}

    return headers


@pytest.fixture
def event() -> MakeEvent:
    """An event body; by default a chargeback, which the starter pack sends to the fraud queue."""

    def make(event_id: str = "evt_1", **fields: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": event_id,
            "type": "payment.chargeback",
            "occurred_at": "2025-01-31T11:00:00Z",
            "entities": {"account": "acct_1", "ip": "203.0.113.9"},
            "attributes": {"amount_usd": 20},
        }
        body.update(fields)
        return body

    return make


@pytest.fixture
def stored(container: Container) -> Callable[[], tuple[int, int]]:
    """How many events and decisions the store holds."""

    def counts() -> tuple[int, int]:
        store = container.store
        assert isinstance(store, MemoryStore)
        return len(store.state.events), len(store.state.decisions)

    return counts
