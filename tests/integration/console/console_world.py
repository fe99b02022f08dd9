"""Helpers for console page tests: users, sign-in, CSRF tokens, a case made by the starter pack."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.testclient import TestClient

from garrison.adapters.fakes import ManualClock
from garrison.adapters.storage.memory import MemoryStore
from garrison.bootstrap import Container, bootstrap
from garrison.config import Settings
from garrison.domain.access import Role
from garrison.domain.cases import Case
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event
from garrison.domain.ids import EventId, QueueName

PASSWORD = "correct horse battery"
NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
CONTENT_TEXT = "a sample of reported text that reviewers only see on request"

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def new_container() -> Container:
    return bootstrap(
        Settings(database_url="memory://", secret_key="test"),
        store=MemoryStore(),
        clock=ManualClock(NOW),
    )


def make_user(container: Container, email: str, role: Role) -> None:
    container.access.create_user(email, role, PASSWORD, actor="test")


def csrf_token(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "page has no csrf_token field"
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    form = client.get("/login")
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(form.text)},
    )


def content_case(container: Container) -> Case:
    """A content.submitted event the starter pack sends to the content queue, as an open case."""
    event = Event(
        EventId("evt_content_1"),
        "content.submitted",
        NOW - timedelta(minutes=30),
        {EntityKind.ACCOUNT: "acct_1", EntityKind.CONTENT: "cnt_1"},
        {"text": CONTENT_TEXT, "moderation_score": 0.97, "category": "harassment"},
    )
    container.ingest.process(event)
    container.dispatcher.run_once()
    with container.uow() as uow:
        cases = uow.cases.list(queue=QueueName("content"), status=None, limit=10)
    assert len(cases) == 1, "the starter pack should send this event to the content queue"
    return cases[0]
