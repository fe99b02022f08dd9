"""Backtest in the console: a rule file (the live release's or the editor's) replayed over the
stored events of the last hour, day or week, as real time would have run it.

Synchronous on purpose: the console's event volume is small, and the replay is capped at
`MAX_EVENTS` (the page says when the cap was reached).
"""

from datetime import timedelta
from itertools import islice
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import Response

from garrison.adapters.backtest import PolarsBacktestEngine
from garrison.adapters.enrichment import OfflineEnricher
from garrison.bootstrap import Container
from garrison.domain.access import Permission
from garrison.domain.decisions import ScorePolicy
from garrison.domain.errors import InvalidInput
from garrison.domain.lists import compile_matcher
from garrison.domain.rules import Release, Stage
from garrison.domain.signals import ListMatcher
from garrison.entrypoints.web.console.charts import bars, day_columns
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.viewer import Viewer
from garrison.services.backtest import (
    BacktestReport,
    BacktestService,
    candidate_release,
    stored_events,
)

MAX_EVENTS = 200_000
PERIODS = {"1h": timedelta(hours=1), "24h": timedelta(hours=24), "7d": timedelta(days=7)}


def run_backtest(container: Container, text: str, period: str) -> BacktestReport:
    """Replay the stored events of `period` through `text`, compared with the acting rules."""
    if period not in PERIODS:
        raise InvalidInput(f"choose a period of {', '.join(PERIODS)}", field="period")
    candidate = candidate_release(text, "rules.toml")
    with container.uow() as uow:
        lineup = container.releases.lineup(uow)
    live = Release(
        lineup.release.version,
        tuple(compiled for compiled, stage in lineup.running if stage is Stage.LIVE),
    )
    engine = PolarsBacktestEngine(
        _lists(container, candidate.needs.lists | live.needs.lists), [OfflineEnricher.shipped()]
    )
    settings = container.settings
    policy = ScorePolicy(
        settings.policy_version,
        settings.score_review_at,
        settings.score_challenge_at,
        settings.score_block_at,
        settings.default_queue,
    )
    start = container.clock.now() - PERIODS[period]
    events = islice(stored_events(container.store.uow, start), MAX_EVENTS)
    return BacktestService(engine, policy).run(candidate, events, live=live)


def _lists(container: Container, names: frozenset[str] | set[str]) -> dict[str, ListMatcher]:
    found: dict[str, ListMatcher] = {}
    with container.uow() as uow:
        for name in sorted(names):
            stored = uow.lists.get(name)
            if stored is not None:
                found[name] = compile_matcher(stored.kind, stored.entries)
    return found


def charts(report: BacktestReport) -> dict[str, Any]:
    days = sorted(report.days)
    return {
        "hit_bars": bars((rule.name, rule.hits) for rule in report.rules),
        "day_bars": {rule.name: day_columns(rule.per_day, days) for rule in report.rules},
        "days": days,
        "capped": report.events + report.duplicates >= MAX_EVENTS,
    }


def router(console: Console) -> APIRouter:
    routes = console.router()
    container = console.container
    Seen = Annotated[Viewer, Depends(console.gate.viewer)]  # noqa: N806 - an alias bound to this gate
    Writer = Annotated[Viewer, Depends(console.gate.writer)]  # noqa: N806

    def page(request: Request, viewer: Viewer, text: str, period: str, **extra: Any) -> Response:
        context = {
            "viewer": viewer,
            "text": text,
            "period": period,
            "periods": list(PERIODS),
            "max_events": MAX_EVENTS,
            **extra,
        }
        return console.pages.render(request, "pages/rule_backtest.html", context)

    @routes.get("/rules/backtest")
    def form(request: Request, viewer: Seen) -> Response:
        viewer.principal.require(Permission.READ_DECISIONS)
        return page(request, viewer, container.rules.release().text, "24h")

    @routes.post("/rules/backtest")
    def run(
        request: Request,
        viewer: Writer,
        text: Annotated[str, Form()] = "",
        period: Annotated[str, Form()] = "24h",
    ) -> Response:
        viewer.principal.require(Permission.READ_DECISIONS)
        source = text if text.strip() else container.rules.release().text
        try:
            report = run_backtest(container, source, period)
        except InvalidInput as error:
            return page(request, viewer, source, period, error=str(error))
        return page(request, viewer, source, period, report=report, **charts(report))

    return routes
