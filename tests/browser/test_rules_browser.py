"""The rule editor in Chromium: the file is checked as it is typed, without a page reload."""

from __future__ import annotations

import re

import pytest
from browser_world import ADMIN, LiveServer
from playwright.sync_api import Page, expect
from test_console_browser import sign_in, snapshot

pytestmark = pytest.mark.browser

RULE = '''[[rule]]
name = "big_content"
policy = "content.violating"
verdict = "review"
when = """
type == "content.submitted" and attr.moderation_score >= {threshold}
"""
'''


def test_the_editor_checks_as_you_type(page: Page, server: LiveServer) -> None:
    sign_in(page, ADMIN)
    page.get_by_role("link", name="Rules", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rules")
    expect(page.get_by_test_id("rules-table")).to_contain_text("content_high_risk")
    snapshot(page, "rules")

    page.get_by_role("link", name="Editor", exact=True).click()
    expect(page.get_by_test_id("check-ok")).to_contain_text("OK: ")
    page.evaluate("window.stillTheSamePage = true")
    editor = page.get_by_label("Rule file")

    editor.fill("")
    editor.press_sequentially(RULE.format(threshold=""), delay=0)
    errors = page.get_by_test_id("check-errors")
    expect(errors).to_contain_text(re.compile(r"\b6:\d+: "))
    expect(errors.locator(".caret")).to_be_visible()
    snapshot(page, "rule-editor-error")

    editor.fill(RULE.format(threshold="0.9"))
    editor.press("End")
    expect(page.get_by_test_id("check-ok")).to_have_text("OK: 1 rule, 0 examples")

    page.get_by_role("button", name="Run examples").click()
    expect(page.get_by_test_id("example-results")).to_contain_text("0 of 0 examples")
    editor.fill(RULE.format(threshold=""))
    page.get_by_role("button", name="Propose release").click()
    expect(page.get_by_test_id("refused")).to_contain_text("nothing was stored")
    assert page.evaluate("window.stillTheSamePage === true"), "checks should swap, not reload"
