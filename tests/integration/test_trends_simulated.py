"""Done-when, end to end: a scam burst injected into simulated traffic, ingested by the engine,
raises alerts for its segments in the first scan after its first bucket, once; clean hours
before it raise none; its texts form an emerging cluster with the accounts behind them."""

from __future__ import annotations

import pytest
from trends_world import BURST_HOUR, BurstWorld, burst_world

from garrison.domain.incidents import LinkKind, Severity, SourceKind
from garrison.domain.trend_alerts import TrendAlertStatus


@pytest.fixture(scope="module")
def world() -> BurstWorld:
    return burst_world()


def test_burst_is_alerted_on_its_segments_within_one_bucket_and_deduplicated(
    world: BurstWorld,
) -> None:
    trends = world.container.watch.trends
    before = [trends.scan(until=world.at_hour(h)) for h in (70, 71, 72)]
    assert [a.segment for r in before for a in r.raised] == []
    first = trends.scan(until=world.at_hour(BURST_HOUR + 0.5))  # the burst's first bucket ends
    raised = {a.segment: a for a in first.raised}
    for segment in world.truth.segments:
        assert segment in raised, sorted(raised)
    signup = raised["type=account.signup,country=VN"]
    assert signup.started_at == world.at_hour(72)
    assert signup.samples and signup.query == 'type == "account.signup" and attr.country == "VN"'
    again = trends.scan(until=world.at_hour(BURST_HOUR + 1.5))
    assert not {a.segment for a in again.raised} & set(world.truth.segments)
    stored = [a for a in trends.alerts() if a.segment == "type=account.signup,country=VN"]
    assert len(stored) == 1


def test_an_incident_declared_from_the_alert_links_it_and_its_search(world: BurstWorld) -> None:
    watch = world.container.watch
    watch.trends.scan(until=world.at_hour(BURST_HOUR + 0.5))  # alerts once, whatever ran before
    alert = next(a for a in watch.trends.alerts() if a.segment.startswith("type=account.signup"))
    incident = watch.incidents.declare(
        title="Scam wave",
        severity=Severity.SEV2,
        source=SourceKind.ALERT,
        source_ref=alert.id,
        actor="person:ana",
    )
    assert {(lk.kind, lk.ref) for lk in incident.links} == {
        (LinkKind.ALERT, alert.id),
        (LinkKind.QUERY, alert.search_url),
    }
    escalated = watch.trends.alert(alert.id)
    assert escalated.status is TrendAlertStatus.INCIDENT and escalated.incident_id == incident.id


def test_the_burst_texts_form_an_emerging_cluster_with_its_accounts(world: BurstWorld) -> None:
    found = world.container.watch.clusters.emerging(until=world.at_hour(BURST_HOUR + 1.5))
    scam = next(c for c in found if "giveaway" in c.top_terms or "wallet" in c.top_terms)
    assert scam.size >= 10 and scam.unmatched
    assert {a for a, _ in scam.accounts} <= set(world.truth.accounts)
