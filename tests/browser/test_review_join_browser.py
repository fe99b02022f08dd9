"""The joined review console in Chromium: next case (a lease), a comment, then an escalation
with a reason typed after the `e` key."""

from __future__ import annotations

import re

import pytest
from browser_world import REVIEWER, LiveServer
from playwright.sync_api import Page, expect
from test_console_browser import sign_in, snapshot
from test_review_console_browser import fresh_content_case

from garrison.domain.cases import CaseStatus
from garrison.domain.escalation import EscalationTier
from garrison.domain.ids import CaseId

pytestmark = pytest.mark.browser
REASON = "looks coordinated, needs a senior"


def test_next_case_comment_then_escalate_with_a_reason(page: Page, server: LiveServer) -> None:
    start = fresh_content_case(server, 30)
    sign_in(page, REVIEWER)
    page.goto(f"/cases/{start.id}")
    page.get_by_role("button", name=re.compile(r"^Next case")).click()
    expect(page.get_by_role("status")).to_have_text("Next case claimed.")
    case_id = CaseId(page.url.rsplit("/", 1)[-1])
    with server.container.uow() as uow:
        leased = uow.cases.get(case_id)
    assert leased is not None and leased.lease_expires_at is not None

    page.get_by_role("textbox", name="Comment").fill("seen this pattern before")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_role("status")).to_have_text("Comment added.")
    expect(page.get_by_test_id("comments")).to_contain_text("seen this pattern before")
    expect(page.get_by_test_id("case-timeline")).to_contain_text("seen this pattern before")

    page.keyboard.press("e")
    expect(page.locator("#escalate-reason")).to_be_focused()
    page.keyboard.type(REASON)
    snapshot(page, "review-escalate")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^Case escalated to "))
    expect(page.get_by_test_id("case-timeline")).to_contain_text(REASON)
    with server.container.uow() as uow:
        moved = uow.cases.get(case_id)
    assert moved is not None and moved.status is CaseStatus.OPEN
    assert moved.tier is not EscalationTier.REVIEWER
    assert [e.reason for e in moved.escalations][-1:] == [REASON]
