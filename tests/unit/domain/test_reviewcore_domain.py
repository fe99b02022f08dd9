"""Pure review-operations rules: leases, reputation, report priority, routing, SLA standing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from garrison.domain.cases import DEFAULT_QUEUES, Case, CaseStatus
from garrison.domain.entities import EntityKind, EntityRef, Tier
from garrison.domain.errors import InvalidInput, InvalidTransition
from garrison.domain.ids import CaseId, PrincipalId, QueueName
from garrison.domain.policies import Severity
from garrison.domain.routing import DEFAULT_ROUTES, RoutingRule, WorkItem, WorkSource, route
from garrison.domain.sla import SlaState, standing
from garrison.domain.user_reports import Reporter, ReporterKind, report_priority, reputation

T0 = datetime(2026, 1, 1, tzinfo=UTC)
ALICE, BOB = PrincipalId("alice"), PrincipalId("bob")


def open_case(priority: int = 0, created: datetime = T0) -> Case:
    subject = EntityRef(EntityKind.ACCOUNT, "a1")
    return Case(
        CaseId("c1"), QueueName("fraud"), subject, CaseStatus.OPEN, priority, created, created
    )


def test_a_lease_keeps_others_out_until_it_runs_out() -> None:
    held = open_case().claim(ALICE, T0, T0 + timedelta(minutes=30))

    with pytest.raises(InvalidTransition) as refused:
        held.claim(BOB, T0 + timedelta(minutes=29))
    assert refused.value.field == "case_id"
    assert held.claimable(ALICE, T0 + timedelta(minutes=29))
    taken = held.claim(BOB, T0 + timedelta(minutes=30))
    assert (taken.assignee, taken.lease_expires_at) == (BOB, None)


def test_release_and_move_put_the_case_back_unclaimed() -> None:
    held = open_case().claim(ALICE, T0)
    with pytest.raises(InvalidTransition):
        held.release(BOB, T0)
    released = held.release(ALICE, T0 + timedelta(seconds=5))
    assert (released.status, released.assignee) == (CaseStatus.OPEN, None)
    moved = held.move(QueueName("sensitive"), T0 + timedelta(hours=2))
    assert (moved.queue, moved.status, moved.entered_queue_at) == (
        "sensitive",
        CaseStatus.OPEN,
        T0 + timedelta(hours=2),
    )


def test_claim_order_trades_harm_against_time_in_queue() -> None:
    old_low = open_case(priority=0, created=T0)
    new_high = open_case(priority=90, created=T0 + timedelta(hours=1))
    new_mid = open_case(priority=30, created=T0 + timedelta(hours=1))
    assert new_high.rank_at < old_low.rank_at < new_mid.rank_at


def test_reputation_starts_neutral_and_follows_the_record() -> None:
    assert reputation(0, 0) == 0.5
    assert reputation(8, 0) == pytest.approx(0.9)
    assert reputation(0, 8) == pytest.approx(0.1)
    reporter = Reporter("u1", ReporterKind.PERSON).settle(True).settle(True).settle(False)
    assert (reporter.upheld, reporter.rejected) == (2, 1)
    assert reporter.reputation == pytest.approx(0.6)


def test_report_priority_scales_claimed_harm_by_reputation() -> None:
    neutral = report_priority("harassment", 0.5)
    assert neutral == 120
    assert report_priority("harassment", 0.9) > neutral > report_priority("harassment", 0.1)
    assert report_priority("violent_threat", 0.5) > report_priority("spam", 0.5)
    assert report_priority("never_heard_of", 0.5) == report_priority("other", 0.5)


def test_muting_needs_a_reason() -> None:
    with pytest.raises(InvalidInput) as refused:
        Reporter("u1", ReporterKind.PERSON).mute("  ")
    assert refused.value.field == "reason"
    assert Reporter("u1", ReporterKind.PERSON).mute("brigading").unmute().muted is False


@pytest.mark.parametrize(
    ("item", "queue"),
    [
        (WorkItem(WorkSource.REPORT, tier=Tier.ENTERPRISE, report_type="spam"), "sensitive"),
        (
            WorkItem(WorkSource.DECISION, tier=Tier.ENTERPRISE, severity=Severity.SEVERE),
            "sensitive",
        ),
        (WorkItem(WorkSource.REPORT, severity=Severity.SEVERE), "escalations"),
        (WorkItem(WorkSource.DECISION, policy="fraud.card_testing"), "fraud"),
        (WorkItem(WorkSource.REPORT, report_type="scam"), "fraud"),
        (WorkItem(WorkSource.REPORT, report_type="harassment"), "content"),
        (WorkItem(WorkSource.DECISION, policy="abuse.spam"), "default"),
    ],
)
def test_default_routes(item: WorkItem, queue: str) -> None:
    assert route(DEFAULT_ROUTES, item) == queue


def test_disabled_rules_and_languages() -> None:
    german = RoutingRule("german", QueueName("content-de"), 1, languages=("de",))
    off = RoutingRule("off", QueueName("nowhere"), 0, enabled=False)
    assert route([off, german], WorkItem(WorkSource.REPORT, language="de")) == "content-de"
    assert route([off, german], WorkItem(WorkSource.REPORT, language="fr")) == "default"
    with pytest.raises(InvalidInput):
        RoutingRule("Bad Name", QueueName("x"), 1)


def test_sla_standing_warns_before_the_breach() -> None:
    fraud = next(q for q in DEFAULT_QUEUES if q.name == "fraud")  # 8 hours
    case = open_case()
    assert standing(case, fraud, T0 + timedelta(hours=6), 0.8).state is SlaState.OK
    warned = standing(case, fraud, T0 + timedelta(hours=7), 0.8)
    assert (warned.state, warned.due_at) == (SlaState.WARNING, T0 + timedelta(hours=8))
    assert standing(case, fraud, T0 + timedelta(hours=8), 0.8).state is SlaState.BREACHED


def test_escalation_climbs_the_tiers_with_a_reason_each_step() -> None:
    held = open_case().claim(ALICE, T0)
    with pytest.raises(InvalidInput) as refused:
        held.escalate(ALICE, " ", T0)
    assert refused.value.field == "reason"
    with pytest.raises(InvalidTransition):
        held.escalate(BOB, "not mine", T0)

    senior = held.escalate(ALICE, "looks like a ring", T0 + timedelta(minutes=1))
    assert (senior.queue, senior.tier, senior.status) == ("escalations", "senior", CaseStatus.OPEN)
    legal = senior.claim(BOB, T0).escalate(BOB, "court order involved", T0 + timedelta(hours=1))
    assert (legal.queue, legal.tier) == ("policy-legal", "policy_legal")
    assert [(e.to, e.reason, e.by, e.from_queue) for e in legal.escalations] == [
        ("senior", "looks like a ring", ALICE, "fraud"),
        ("policy_legal", "court order involved", BOB, "escalations"),
    ]
    with pytest.raises(InvalidTransition):
        legal.claim(ALICE, T0).escalate(ALICE, "higher?", T0)
