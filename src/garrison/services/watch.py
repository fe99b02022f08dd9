"""The "watch" services wired together: trends, incidents, dashboards, clusters and operations
reports (built once by `bootstrap`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from garrison.domain.language.schemas import EventSchemas
from garrison.services.clusters import ClusterService, ClusterSettings, SimilarTexts
from garrison.services.dashboards import DashboardService
from garrison.services.incidents import IncidentService
from garrison.services.ports import Clock, IdGenerator
from garrison.services.reports import ReportService
from garrison.services.rules import RulesService
from garrison.services.trends import TrendService, TrendSettings
from garrison.services.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class Watch:
    trends: TrendService
    incidents: IncidentService
    dashboards: DashboardService
    clusters: ClusterService
    reports: ReportService


def build_watch(
    uow: UnitOfWorkFactory,
    readers: UnitOfWorkFactory,
    clock: Clock,
    ids: IdGenerator,
    rules: RulesService,
    *,
    trends: TrendSettings,
    similar: SimilarTexts | None = None,
) -> Watch:
    trend_service = TrendService(uow, clock, ids, trends, readers=readers)
    incidents = IncidentService(uow, clock, ids, rules, readers=readers)
    dashboards = DashboardService(readers, clock, max_events=trends.max_events)
    clusters = ClusterService(readers, clock, ClusterSettings(), similar)
    reports = ReportService(dashboards, trend_service, incidents, clock)
    return Watch(trend_service, incidents, dashboards, clusters, reports)


def trend_settings(
    bucket: timedelta,
    lookback_days: float,
    sensitivity: float,
    dedupe_hours: float,
    schemas: EventSchemas | None = None,
) -> TrendSettings:
    """Trend settings from the configured values (`sensitivity` scales the default knobs)."""
    season = round(timedelta(days=1) / bucket) if bucket <= timedelta(hours=6) else 0
    knobs = replace(TrendSettings().sensitivity, season=season).scaled(sensitivity)
    return TrendSettings(
        bucket=bucket,
        lookback=timedelta(days=lookback_days),
        dedupe=timedelta(hours=dedupe_hours),
        sensitivity=knobs,
        schemas=schemas,
    )
