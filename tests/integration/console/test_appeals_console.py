"""The /appeals and /approvals console pages: lists, the decide form, approve and reject."""

from __future__ import annotations

import pytest
from console_world import PASSWORD, csrf_token, sign_in
from starlette.testclient import TestClient

from garrison.bootstrap import Container
from garrison.domain.access import Principal, Role
from garrison.domain.actions import ActionKind, ActionStatus
from garrison.domain.appeals import Appeal
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.events import Event
from garrison.domain.ids import ActionId, EventId
from garrison.services.enforcement import ActionRequest

ACCOUNT = EntityRef(EntityKind.ACCOUNT, "acct_7")


def person(container: Container, email: str, role: Role) -> Principal:
    return container.access.create_user(email, role, PASSWORD, actor="test")


@pytest.fixture
def alice(container: Container) -> Principal:
    """A reviewer; `account:acct_7` has been seen in an event."""
    container.ingest.process(
        Event(
            EventId("evt_7"),
            "account.login",
            container.clock.now(),
            {EntityKind.ACCOUNT: ACCOUNT.id},
            {},
        )
    )
    return person(container, "alice@example.test", Role.REVIEWER)


@pytest.fixture
def appeal(container: Container, alice: Principal) -> Appeal:
    """Alice suspended the account; its owner appealed."""
    action = container.enforcement.take(
        alice, ActionRequest(ActionKind.SUSPEND_ACCOUNT, ACCOUNT, {}, policy="spam")
    )
    container.dispatcher.run_once()
    return container.appeals.file(alice, action.id, reason="I was hacked", appellant="acct_7")


def test_the_appeals_page_lists_open_appeals(
    client: TestClient, container: Container, appeal: Appeal
) -> None:
    sign_in(client, "alice@example.test")

    page = client.get("/appeals")

    assert page.status_code == 200
    assert f'data-appeal="{appeal.id}"' in page.text
    assert 'href="/appeals"' in page.text  # the nav link
    assert "No upheld appeals" in client.get("/appeals?status=upheld").text


def test_whoever_took_the_action_is_refused_on_the_form(
    client: TestClient, container: Container, appeal: Appeal
) -> None:
    sign_in(client, "alice@example.test")
    form = client.get(f"/appeals/{appeal.id}")

    refused = client.post(
        f"/appeals/{appeal.id}/decide",
        data={"outcome": "overturn", "csrf_token": csrf_token(form.text)},
    )

    assert refused.status_code == 403
    assert "another reviewer must decide" in refused.text
    assert container.appeals.get(alice_of(container), appeal.id).appeal.status == "open"


def alice_of(container: Container) -> Principal:
    return container.access.login("alice@example.test", PASSWORD)


def test_another_reviewer_overturns_and_the_action_is_reversed(
    client: TestClient, container: Container, appeal: Appeal
) -> None:
    person(container, "bob@example.test", Role.REVIEWER)
    sign_in(client, "bob@example.test")
    form = client.get(f"/appeals/{appeal.id}")
    assert 'action="/appeals/' in form.text

    done = client.post(
        f"/appeals/{appeal.id}/decide",
        data={"outcome": "overturn", "note": "hijack", "csrf_token": csrf_token(form.text)},
    )
    container.dispatcher.run_once()

    assert done.status_code == 303
    page = client.get(done.headers["location"])
    assert "Appeal overturned" in page.text
    assert "unsuspend account" in page.text
    with container.uow() as uow:
        original = uow.actions.get(ActionId(appeal.action_id))
    assert original is not None and original.status is ActionStatus.REVERTED


def test_an_approval_needs_someone_other_than_the_asker(
    client: TestClient, container: Container, alice: Principal
) -> None:
    sam = person(container, "sam@example.test", Role.SENIOR_REVIEWER)
    person(container, "pat@example.test", Role.SENIOR_REVIEWER)
    ban = container.enforcement.take(sam, ActionRequest(ActionKind.BAN_ACCOUNT, ACCOUNT, {}))
    sign_in(client, "sam@example.test")
    page = client.get("/approvals")
    assert f'data-approval="{ban.approval_id}"' in page.text

    own = client.post(
        f"/approvals/{ban.approval_id}/approve", data={"csrf_token": csrf_token(page.text)}
    )
    assert own.status_code == 403
    assert "another person must" in own.text

    client.post("/logout", data={"csrf_token": csrf_token(page.text)})
    sign_in(client, "pat@example.test")
    page = client.get("/approvals")
    rejected = client.post(
        f"/approvals/{ban.approval_id}/reject",
        data={"note": "not enough", "csrf_token": csrf_token(page.text)},
    )

    assert rejected.status_code == 303
    with container.uow() as uow:
        stored = uow.actions.get(ban.id)
    assert stored is not None and stored.status is ActionStatus.REJECTED
