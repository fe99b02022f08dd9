"""The console in Chromium, over a server seeded with simulated traffic."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from browser_world import ADMIN, PASSWORD, REVIEWER, LiveServer
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def sign_in(page: Page, email: str) -> None:
    page.goto("/queues")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fqueues$"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("who")).to_have_text(email)


def snapshot(page: Page, name: str) -> None:
    """Keep a picture of the page for design review when GARRISON_BROWSER_SHOTS names a folder."""
    folder = os.environ.get("GARRISON_BROWSER_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def test_review_a_simulated_case_and_find_it_in_the_audit_log(
    page: Page, server: LiveServer
) -> None:
    case = server.open_case("content")
    sign_in(page, REVIEWER)
    expect(page).to_have_url(f"{server.url}/queues")

    page.get_by_role("link", name="content", exact=True).click()
    page.locator(f'a[href="/cases/{case.id}"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(case.id)
    masked = page.locator(".masked-text").first
    expect(masked.get_by_test_id("revealed-text")).to_have_count(0)
    masked.get_by_role("button").click()
    expect(masked.get_by_test_id("revealed-text")).to_be_visible()

    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("button", name="Claim this case").click()
    panel = page.locator("#action-panel")
    expect(panel.get_by_test_id("assignee")).to_have_text(REVIEWER)
    assert page.evaluate("window.stillTheSamePage === true"), "claim should swap, not reload"

    panel.get_by_label("Violating", exact=True).check()
    panel.get_by_label("Policy").fill("content.violating")
    panel.get_by_label("remove content").check()
    panel.get_by_label("Note").fill("Resolved in the browser test")
    snapshot(page, "case")
    panel.get_by_role("button", name="Submit resolution").click()
    expect(page.get_by_role("status")).to_have_text("Case resolved as violating.")
    resolution = page.get_by_test_id("resolution")
    expect(resolution).to_contain_text("content.violating")
    expect(resolution).to_contain_text("remove content")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    sign_in(page, ADMIN)
    page.get_by_role("link", name="Audit log").click()
    page.get_by_label("Target").fill(f"case:{case.id}")
    page.get_by_role("button", name="Filter").click()
    row = page.locator(f'tr[data-action="case.resolve"][data-target="case:{case.id}"]')
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"person:{REVIEWER}")
    expect(row).to_contain_text('"outcome": "violating"')
    page.get_by_role("link", name="Verify chain").click()
    expect(page.get_by_test_id("chain-intact")).to_be_visible()
    snapshot(page, "audit")


def test_resolve_errors_show_next_to_the_field(page: Page, server: LiveServer) -> None:
    case = server.open_case("fraud")
    sign_in(page, REVIEWER)
    page.goto(f"/cases/{case.id}")
    page.get_by_role("button", name="Claim this case").click()
    panel = page.locator("#action-panel")

    panel.get_by_label("Violating", exact=True).check()
    panel.get_by_label("Note").fill("no policy given")
    panel.get_by_role("button", name="Submit resolution").click()

    policy = page.get_by_label("Policy")
    expect(policy).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#policy-error")).to_contain_text("must name the policy")
    expect(page.get_by_label("Violating", exact=True)).to_be_checked()
    expect(page.get_by_label("Note")).to_have_value("no policy given")
    snapshot(page, "field-error")
