"""Investigations end to end in Chromium: open an entity, expand its graph, run a search over
the traffic, and start a retroactive action on the results (preview, then confirm)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_world import ADMIN, PASSWORD, LiveServer, build_app, build_container, serve
from playwright.sync_api import Page, expect

from garrison.domain.access import SYSTEM

pytestmark = pytest.mark.browser
SINCE = "2025-12-31T00:00:00+00:00"
"""Before the simulated traffic starts (2026-01-01)."""


@pytest.fixture(scope="module")
def investigated(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own over simulated traffic; links came with ingestion, rings detected."""
    container = build_container(tmp_path_factory.mktemp("investigations"))
    try:
        assert container.rings.detect().rings >= 1, "ingestion recorded no links to ring"
        with serve(build_app(container)) as url:
            yield LiveServer(url, container, {"admin": ADMIN})
    finally:
        container.close()


@pytest.fixture
def page(browser, investigated: LiveServer) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=investigated.url, viewport={"width": 1360, "height": 900}
    )
    context.set_default_timeout(15_000)
    opened = context.new_page()
    yield opened
    context.close()


def sign_in(page: Page, email: str) -> None:
    page.goto("/rings")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("who")).to_have_text(email)


def expand_an_account(page: Page) -> None:
    """Click, with the mouse, an account node other than the centre; the graph grows."""
    before = page.locator("#graph").get_attribute("data-nodes")
    point = page.evaluate(
        """() => {
            const cy = window.garrisonGraph;
            const node = cy.nodes().filter(n => n.data('kind') === 'account'
                && !n.data('center') && n.data('ref')).first();
            const box = document.getElementById('graph').getBoundingClientRect();
            const at = node.renderedPosition();
            return {x: box.left + at.x, y: box.top + at.y};
        }"""
    )
    page.mouse.click(point["x"], point["y"])
    expect(page.locator("#graph")).not_to_have_attribute("data-nodes", str(before))


def test_entity_graph_search_and_retroactive_action(page: Page, investigated: LiveServer) -> None:
    ring = investigated.container.rings.rings(SYSTEM)[0]
    member = ring.members[0]
    sign_in(page, ADMIN)

    page.goto(f"/entities/account/{member.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(str(member))
    expect(page.get_by_test_id("graph-status")).to_have_text(re.compile(r"^\d+ nodes, \d+ links"))
    expand_an_account(page)

    page.get_by_role("link", name="Search").click()
    expect(page.get_by_role("link", name="Search")).to_have_attribute("aria-current", "page")
    page.get_by_label("Expression").fill(f'entity.account == "{member.id}"')
    page.get_by_label("Since").fill(SINCE)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("search-summary")).to_have_text(re.compile(r"^[1-9]\d* of \d+"))
    expect(page.get_by_test_id("search-histogram")).to_be_visible()
    expect(page.get_by_test_id("search-results").locator("tbody tr").first).to_be_visible()

    form = page.get_by_test_id("retroactive-form")
    form.get_by_label("Action").select_option("add_label")
    form.get_by_label("Label (for add label)").fill("browser_checked")
    form.get_by_label("Reason").fill("checked in the browser test")
    form.get_by_role("button", name="Preview").click()
    expect(page.get_by_test_id("retro-count")).to_have_text("1")
    page.get_by_role("button", name=re.compile(r"^Confirm: act on 1")).click()
    expect(page.get_by_test_id("retro-status")).to_contain_text("applied")
    expect(page.get_by_test_id("retro-actions")).to_have_text("1")
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_test_id("retro-status")).to_contain_text("undone")
