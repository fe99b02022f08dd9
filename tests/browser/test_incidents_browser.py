"""Incidents in Chromium: declare one from the alert a simulated scam burst raised, link a case
and a rule, post an update, and close it with a post-mortem."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from browser_world import ADMIN, LiveServer
from playwright.sync_api import Page, expect
from test_console_browser import sign_in, snapshot

from garrison.domain.anomaly import Sensitivity
from garrison.domain.trend_alerts import TrendAlert, TrendAlertId
from garrison.domain.trend_scan import scan
from garrison.services.trends import alert_of
from garrison.simulator.bursts import Burst, observations, with_burst
from garrison.simulator.simulation import Simulation

pytestmark = pytest.mark.browser
START = datetime(2026, 1, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)
SEGMENT = "type=account.signup,country=VN"


def burst_alert(server: LiveServer) -> TrendAlert:
    """Detect the burst in simulated traffic (events only) and store its alert on the server."""
    simulation = Simulation(seed=5, rate=0.05, duration_s=74 * 3600, start=START, abuse_share=0)
    events, _ = with_burst(simulation, Burst(start_s=72.5 * 3600, per_hour=20))
    found = scan(
        observations(events),
        start=START,
        end=START + 73 * HOUR,
        bucket=HOUR,
        sensitivity=Sensitivity(),
        evaluate=1,
    )
    candidate = next(c for c in found.candidates if c.key == SEGMENT)
    alert = alert_of(candidate, TrendAlertId("tra_browser_1"), START + 73 * HOUR)
    with server.container.uow() as uow:
        uow.trend_alerts.add(alert)
        uow.commit()
    return alert


def test_declare_from_alert_link_update_and_close(page: Page, server: LiveServer) -> None:
    alert = burst_alert(server)
    case = server.any_case()
    sign_in(page, ADMIN)
    page.get_by_role("link", name="Trends", exact=True).click()
    row = page.locator(f'tr[data-alert="{alert.id}"]')
    expect(row).to_contain_text(SEGMENT)
    expect(row.get_by_role("link", name="search")).to_have_attribute("href", alert.search_url)
    snapshot(page, "trends")
    row.get_by_role("button", name="Declare incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Spike in {SEGMENT}")
    links = page.get_by_test_id("incident-links")
    expect(links).to_contain_text(alert.id)

    page.get_by_label("Kind", exact=True).select_option("case")
    page.get_by_label("Id, entity (kind:id) or search URL").fill(case.id)
    page.get_by_role("button", name="Link", exact=True).click()
    expect(links.locator('[data-link-kind="case"]')).to_contain_text(case.id)
    page.get_by_label("Kind", exact=True).select_option("rule")
    page.get_by_label("Id, entity (kind:id) or search URL").fill("disposable_email_free_tier")
    page.get_by_role("button", name="Link", exact=True).click()
    expect(links.locator('[data-link-kind="rule"]')).to_contain_text("disposable_email_free_tier")

    page.get_by_label("New timeline entry").fill("Blocked signups from the burst's IP ranges")
    page.get_by_role("button", name="Post", exact=True).click()
    timeline = page.get_by_test_id("incident-timeline")
    expect(timeline.locator('[data-entry-kind="update"]')).to_contain_text("Blocked signups")

    page.get_by_label("Summary").fill("A scam wave of new free accounts from VN")
    page.get_by_label("Root cause").fill("No rule looked at giveaway texts")
    page.get_by_label("Action items").fill(
        'Catch giveaway texts :: contains(lower(attr.text), "giveaway")'
    )
    page.get_by_role("button", name="Save post-mortem").click()
    expect(page.get_by_test_id("postmortem")).to_contain_text("Catch giveaway texts")
    page.get_by_label("Move to").select_option("closed")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_test_id("incident-status")).to_contain_text("closed")
    expect(timeline).to_contain_text("-> closed")
    snapshot(page, "incident-closed")
