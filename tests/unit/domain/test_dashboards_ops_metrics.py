"""Queue health with the backlog forecast, reviewer throughput and appeal overturn rates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from garrison.domain.cases import Case, CaseStatus, Outcome, Queue, Resolution
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.ids import CaseId, PrincipalId, QueueName
from garrison.domain.ops_metrics import forecast_clear, overturn_rates, queue_health, throughput

NOW = datetime(2026, 1, 2, tzinfo=UTC)
Q = Queue(QueueName("fraud"), "", 3600)


def case(n: int, created_h: float, resolved_h: float | None = None, by: str = "ana") -> Case:
    created = NOW - timedelta(hours=created_h)
    resolution = None
    if resolved_h is not None:
        at = NOW - timedelta(hours=resolved_h)
        resolution = Resolution(Outcome.VIOLATING, None, (), "", PrincipalId(by), at)
    status = CaseStatus.RESOLVED if resolution else CaseStatus.OPEN
    subject = EntityRef(EntityKind.ACCOUNT, f"a{n}")
    return Case(
        CaseId(f"c{n}"), Q.name, subject, status, 0, created, created, resolution=resolution
    )


def test_forecast_divides_the_backlog_by_the_net_drain() -> None:
    assert forecast_clear(10, 2.0, 7.0) == 2.0
    assert forecast_clear(10, 5.0, 5.0) is None
    assert forecast_clear(0, 5.0, 1.0) == 0.0


def test_queue_health_counts_backlog_age_overdue_sla_and_rates() -> None:
    cases = [case(1, 3.0), case(2, 0.5), case(3, 5.0, 4.5), case(4, 5.0, 2.0), case(5, 30, 29)]
    health = queue_health(Q, cases, NOW, timedelta(hours=10))
    assert (health.open, health.claimed, health.overdue) == (2, 0, 1)
    assert health.oldest_age_s == 3 * 3600
    assert health.sla_met == 0.5  # one of the two resolved in the window took over an hour
    assert health.inflow_per_h == 0.4 and health.outflow_per_h == 0.2
    assert health.clears_in_h is None


def test_throughput_per_reviewer_with_median_handling_time() -> None:
    cases = [case(1, 3.0, 2.0, "ana"), case(2, 3.0, 1.0, "ana"), case(3, 1.0, 0.5, "bo")]
    found = throughput(cases, NOW - timedelta(hours=24))
    assert [(t.reviewer, t.resolved, t.median_handle_s) for t in found] == [
        ("ana", 2, 1.5 * 3600),
        ("bo", 1, 0.5 * 3600),
    ]


def test_overturn_rates_overall_and_per_key() -> None:
    rates = overturn_rates([(True, ["policy:spam"]), (False, ["policy:spam"]), (False, [])])
    assert [(r.key, r.decided, r.overturned) for r in rates] == [
        ("all", 3, 1),
        ("policy:spam", 2, 1),
    ]
    assert rates[1].rate == 0.5
