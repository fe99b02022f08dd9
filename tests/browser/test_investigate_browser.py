"""Investigations in Chromium: open a ring, open a member, expand its graph, reveal its PII."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_world import ADMIN, PASSWORD, LiveServer, build_app, build_container, serve
from playwright.sync_api import Page, expect

from garrison.domain.access import SYSTEM
from garrison.services.investigate import rebuild_links

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def investigated(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own: seeded traffic, links rebuilt from the event log, rings detected."""
    container = build_container(tmp_path_factory.mktemp("investigate"))
    try:
        rebuild_links(container.uow)
        assert container.rings.detect().rings >= 1, "the seeded traffic left no ring"
        with serve(build_app(container)) as url:
            yield LiveServer(url, container, {"admin": ADMIN})
    finally:
        container.close()


@pytest.fixture
def page(browser, investigated: LiveServer) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=investigated.url, viewport={"width": 1360, "height": 900}
    )
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


def sign_in(page: Page, email: str) -> None:
    page.goto("/rings")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("who")).to_have_text(email)


def snapshot(page: Page, name: str) -> None:
    """Keep a picture of the page for design review when GARRISON_BROWSER_SHOTS names a folder."""
    folder = os.environ.get("GARRISON_BROWSER_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def graph_nodes(page: Page) -> int:
    return int(page.locator("#graph").get_attribute("data-nodes") or 0)


def click_unexpanded_account(page: Page) -> None:
    """Click, with the mouse, an account node other than the centre."""
    point = page.evaluate(
        """() => {
            const cy = window.garrisonGraph;
            const node = cy.nodes().filter(n => n.data('kind') === 'account'
                && !n.data('center') && n.data('ref')).first();
            const box = document.getElementById('graph').getBoundingClientRect();
            const at = node.renderedPosition();
            return {x: box.left + at.x, y: box.top + at.y, id: node.id()};
        }"""
    )
    page.mouse.click(point["x"], point["y"])
    expect(page.locator("#graph-selection")).to_contain_text("account")


def test_open_a_ring_then_a_member_and_expand_its_graph(
    page: Page, investigated: LiveServer
) -> None:
    ring = investigated.container.rings.rings(SYSTEM)[0]
    sign_in(page, ADMIN)
    expect(page.get_by_role("link", name="Rings")).to_have_attribute("aria-current", "page")

    page.locator(f'a[href="/rings/{ring.id}"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ring.id)
    expect(page.get_by_test_id("members").get_by_role("link")).to_have_count(ring.size)
    expect(page.get_by_test_id("graph-status")).to_have_text(re.compile(r"^\d+ nodes"))
    snapshot(page, "ring")

    member = ring.members[-1]
    page.get_by_test_id("members").get_by_role("link", name=member.id).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(member))
    expect(page.get_by_test_id("ring-link")).to_have_text(ring.id)
    status = page.get_by_test_id("graph-status")
    expect(status).to_have_text(re.compile(r"^\d+ nodes, \d+ links"))
    before = graph_nodes(page)
    assert before > ring.size, "two hops from a member reach the ring's shared identifiers"

    click_unexpanded_account(page)
    expect(page.locator("#graph")).not_to_have_attribute("data-nodes", str(before))
    assert graph_nodes(page) > before

    page.get_by_role("button", name="Reveal").click()
    revealed = page.get_by_test_id("revealed")
    expect(revealed).to_contain_text("recorded in the audit log")
    expect(revealed.locator("tbody tr").first).to_be_visible()
    snapshot(page, "entity")
