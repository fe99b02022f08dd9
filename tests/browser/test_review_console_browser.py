"""The review console in Chromium: keyboard review beside the playbook, a logged reveal, the
reviewer's dashboard."""

from __future__ import annotations

import re

import pytest
from browser_world import REVIEWER, LiveServer
from playwright.sync_api import Page, expect
from test_console_browser import sign_in, snapshot

from garrison.domain.cases import Case
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event
from garrison.domain.ids import CaseId, EventId

pytestmark = pytest.mark.browser
TEXT = "words a reviewer only sees after choosing to"


def fresh_content_case(server: LiveServer, n: int) -> Case:
    """A content case of its own, so the test does not depend on what others left open."""
    container = server.container
    event = Event(
        EventId(f"evt_review_console_{n}"),
        "content.submitted",
        container.clock.now(),
        {EntityKind.ACCOUNT: f"acct_rc_{n}", EntityKind.CONTENT: f"cnt_rc_{n}"},
        {"text": TEXT, "moderation_score": 0.97, "category": "harassment"},
    )
    container.ingest.process(event)
    while container.dispatcher.run_once().busy:
        pass
    assert event.subject is not None
    with container.uow() as uow:
        found = uow.cases.open_for(event.subject)
    assert found is not None, "the starter pack should open a content case"
    return found


def reveals(server: LiveServer, case_id: str) -> int:
    with server.container.uow() as uow:
        records = uow.audit.recent(limit=100, target=f"case:{case_id}")
    return sum(1 for r in records if r.action == "case.reveal")


def test_keyboard_review_with_the_playbook_and_a_logged_reveal(
    page: Page, server: LiveServer
) -> None:
    case = fresh_content_case(server, 1)
    sign_in(page, REVIEWER)
    page.goto(f"/cases/{case.id}")
    expect(page.get_by_test_id("playbook")).to_contain_text("Content queue")
    expect(page.get_by_test_id("revealed-text")).to_have_count(0)

    page.keyboard.press("?")
    expect(page.locator("#keyboard-help")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#keyboard-help")).to_be_hidden()

    page.keyboard.press("c")
    expect(page.locator("#action-panel").get_by_test_id("assignee")).to_have_text(REVIEWER)
    page.keyboard.press("r")
    expect(page.get_by_test_id("revealed-text").first).to_have_text(TEXT)
    assert reveals(server, case.id) >= 1
    page.keyboard.press("j")
    expect(page.locator("article.event").first).to_be_focused()

    page.keyboard.press("1")
    expect(page.get_by_label("Violating", exact=True)).to_be_checked()
    expect(page.locator("#policy")).to_be_focused()
    page.keyboard.type("harassment")
    snapshot(page, "review-console")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Case resolved as violating.")
    expect(page.get_by_test_id("resolution")).to_contain_text("harassment")


def test_next_case_key_and_the_dashboard(page: Page, server: LiveServer) -> None:
    first = fresh_content_case(server, 2)
    sign_in(page, REVIEWER)
    page.goto(f"/cases/{first.id}")
    page.keyboard.press("n")
    expect(page.get_by_role("status")).to_have_text("Next case claimed.")
    expect(page).to_have_url(re.compile(r"/cases/"))
    claimed_id = page.url.rsplit("/", 1)[-1]
    with server.container.uow() as uow:
        claimed = uow.cases.get(CaseId(claimed_id))
    assert claimed is not None and claimed.assignee is not None

    page.get_by_role("link", name="My review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My review")
    expect(page.get_by_test_id("exposure")).to_contain_text("sexual.minors")
    expect(page.get_by_test_id("queue-slas").locator('tr[data-queue="content"]')).to_be_visible()
    expect(page.locator(f'a[href="/cases/{claimed_id}"]')).to_be_visible()
    expect(page.get_by_test_id("reviewed-today")).to_have_text(re.compile(r"^\d+$"))
    snapshot(page, "dashboard")
