"""Reports: every dashboard metric as a table (CSV), and the weekly operations report's content.

The weekly report gathers the week's volumes, rule hit rates, queue health, reviewer throughput,
appeal overturns, trend alerts and incidents; `adapters.report_html` renders it as one
self-contained HTML file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from garrison.domain.incidents import Incident
from garrison.domain.ops_metrics import OverturnRate, QueueHealth, Throughput
from garrison.domain.trend_alerts import TrendAlert
from garrison.services.dashboards import (
    VOLUME_DIMENSIONS,
    Appeals,
    DashboardService,
    Metric,
    RuleRate,
    Series,
    Table,
    rule_rates,
    top_series,
)
from garrison.services.incidents import IncidentService
from garrison.services.ports import Clock
from garrison.services.trends import TrendService

WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class WeeklyReport:
    since: datetime
    until: datetime
    generated_at: datetime
    events: int
    volumes: tuple[Series, ...]
    rules: tuple[RuleRate, ...]
    queues: tuple[QueueHealth, ...]
    reviewers: tuple[Throughput, ...]
    appeals: Appeals
    alerts: tuple[TrendAlert, ...]
    incidents: tuple[Incident, ...]


def volume_table(series: Series) -> Table:
    values = list(series.lines)
    rows: list[tuple[object, ...]] = [
        (start.isoformat(), *(series.lines[v][i] for v in values))
        for i, start in enumerate(series.starts)
    ]
    return Table(("bucket_start", *values), rows)


def queue_table(health: list[QueueHealth]) -> Table:
    header = (
        "queue",
        "open",
        "claimed",
        "oldest_age_s",
        "overdue",
        "sla_met",
        "inflow_per_h",
        "outflow_per_h",
        "clears_in_h",
    )
    rows: list[tuple[object, ...]] = [
        (
            q.queue,
            q.open,
            q.claimed,
            round(q.oldest_age_s),
            q.overdue,
            "" if q.sla_met is None else round(q.sla_met, 4),
            q.inflow_per_h,
            q.outflow_per_h,
            "" if q.clears_in_h is None else round(q.clears_in_h, 2),
        )
        for q in health
    ]
    return Table(header, rows)


def overturn_table(rates: tuple[OverturnRate, ...]) -> Table:
    rows: list[tuple[object, ...]] = [
        (r.key, r.decided, r.overturned, round(r.rate, 4)) for r in rates
    ]
    return Table(("key", "decided", "overturned", "rate"), rows)


def to_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows(table.rows)
    return out.getvalue()


class ReportService:
    def __init__(
        self,
        dashboards: DashboardService,
        trends: TrendService,
        incidents: IncidentService,
        clock: Clock,
    ) -> None:
        self._clock = clock
        self._dashboards = dashboards
        self._trends = trends
        self._incidents = incidents

    def metric(self, metric: Metric, since: datetime, until: datetime, bucket: timedelta) -> Table:
        """One metric over [since, until) as a table (one row per bucket for volumes)."""
        d = self._dashboards
        if metric in VOLUME_DIMENSIONS:
            return volume_table(d.volumes(VOLUME_DIMENSIONS[metric], since, until, bucket))
        window = until - since
        if metric is Metric.RULE_HITS:
            rates = d.rule_hits(since, until)
            return Table(
                ("rule", "hits", "rate"), [(r.rule, r.hits, round(r.rate, 6)) for r in rates]
            )
        if metric is Metric.QUEUE_HEALTH:
            return queue_table(d.queues(window))
        if metric is Metric.REVIEWER_THROUGHPUT:
            rows: list[tuple[object, ...]] = [
                (t.reviewer, t.resolved, round(t.median_handle_s)) for t in d.throughput(window)
            ]
            return Table(("reviewer", "resolved", "median_handle_s"), rows)
        return overturn_table(d.appeals(window).rates)

    def weekly(self, until: datetime | None = None) -> WeeklyReport:
        """The week before `until` (default: the end of the current day bucket)."""
        d = self._dashboards
        since, end = d.window(7, timedelta(days=1))
        if until is not None:
            since, end = until - WEEK, until
        observations = d.observations(since, end)
        day = timedelta(days=1)
        alerts = [a for a in self._trends.alerts(limit=500) if a.detected_at >= since]
        incidents = [i for i in self._incidents.list(limit=500) if i.updated_at >= since]
        return WeeklyReport(
            since=since,
            until=end,
            generated_at=self._clock.now(),
            events=len(observations),
            volumes=tuple(
                top_series(observations, dim, since, end, day) for dim in VOLUME_DIMENSIONS.values()
            ),
            rules=tuple(rule_rates(observations)[:20]),
            queues=tuple(d.queues(WEEK)),
            reviewers=tuple(d.throughput(WEEK)[:20]),
            appeals=d.appeals(WEEK),
            alerts=tuple(alerts),
            incidents=tuple(incidents),
        )
