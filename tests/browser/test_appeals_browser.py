"""Approvals and appeals in Chromium: an admin approves a reviewer's ban and overturns an appeal."""

from __future__ import annotations

import pytest
from browser_world import ADMIN, PASSWORD, REVIEWER, LiveServer
from playwright.sync_api import Page, expect
from test_console_browser import sign_in, snapshot

from garrison.domain.actions import ActionKind
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.events import Event
from garrison.domain.ids import EventId
from garrison.services.enforcement import ActionRequest

pytestmark = pytest.mark.browser


def _known(server: LiveServer, name: str) -> EntityRef:
    event = Event(
        EventId(f"evt_browser_{name}"),
        "account.login",
        server.container.clock.now(),
        {EntityKind.ACCOUNT: name},
        {},
    )
    server.container.ingest.process(event)
    return EntityRef(EntityKind.ACCOUNT, name)


def test_an_admin_approves_a_ban_a_reviewer_asked_for(page: Page, server: LiveServer) -> None:
    reviewer = server.container.access.login(REVIEWER, PASSWORD)
    subject = _known(server, "acct_browser_ban")
    ban = server.container.enforcement.take(
        reviewer, ActionRequest(ActionKind.BAN_ACCOUNT, subject, {}, policy="fraud")
    )

    sign_in(page, ADMIN)
    page.get_by_role("link", name="Approvals", exact=True).click()
    row = page.locator(f'tr[data-approval="{ban.approval_id}"]')
    expect(row).to_contain_text("pending")
    snapshot(page, "approvals")
    row.get_by_role("button", name="Approve").click()

    expect(page.locator(".flash")).to_contain_text("approved")
    page.goto("/approvals?status=approved")
    expect(page.locator(f'tr[data-approval="{ban.approval_id}"]')).to_contain_text("approved")


def test_an_admin_overturns_an_appeal_of_a_reviewers_action(page: Page, server: LiveServer) -> None:
    reviewer = server.container.access.login(REVIEWER, PASSWORD)
    subject = _known(server, "acct_browser_appeal")
    action = server.container.enforcement.take(
        reviewer, ActionRequest(ActionKind.WARN, subject, {}, policy="spam")
    )
    server.container.dispatcher.run_once()
    appeal = server.container.appeals.file(reviewer, action.id, reason="it was a joke")

    sign_in(page, ADMIN)
    page.get_by_role("link", name="Appeals", exact=True).click()
    page.locator(f'tr[data-appeal="{appeal.id}"]').get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Appeal {appeal.id}")
    snapshot(page, "appeal")
    page.get_by_label("Overturn").check()
    page.get_by_label("Note").fill("context shows a joke")
    page.get_by_role("button", name="Decide appeal").click()

    expect(page.locator(".flash")).to_contain_text("overturned")
    expect(page.get_by_text("retract warning")).to_be_visible()
