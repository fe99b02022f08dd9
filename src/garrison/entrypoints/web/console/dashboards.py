"""The dashboards and trends pages: volume charts (uPlot), rule hit rates, queue health with the
backlog forecast, reviewer throughput, appeal overturns; trend alerts and emerging clusters,
with a scan button and a way to declare an incident from an alert or a cluster."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from garrison.domain.access import Permission
from garrison.domain.trend_alerts import TrendAlertId
from garrison.domain.trends import Dimension
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.viewer import Viewer
from garrison.services.dashboards import Metric, Series, rule_rates, top_series
from garrison.services.trends import parse_bucket

CHART_DIMENSIONS = (
    Dimension.POLICY,
    Dimension.VERDICT,
    Dimension.COUNTRY,
    Dimension.TIER,
    Dimension.TYPE,
)
BUCKETS = ("15m", "1h", "1d")


def chart_data(series: Series) -> dict[str, Any]:
    """What `static/js/charts.js` draws: x as Unix seconds, one y list per line."""
    return {
        "title": f"Events by {series.dimension}",
        "x": [int(start.timestamp()) for start in series.starts],
        "lines": [{"label": name, "values": values} for name, values in series.lines.items()],
    }


def router(console: Console) -> APIRouter:
    routes = console.router()
    watch = console.container.watch
    Seen = Annotated[Viewer, Depends(console.gate.viewer)]  # noqa: N806 - an alias bound to this gate
    Writer = Annotated[Viewer, Depends(console.gate.writer)]  # noqa: N806

    @routes.get("/dashboards")
    def dashboards_page(
        request: Request,
        viewer: Seen,
        days: Annotated[float, Query(gt=0, le=366)] = 7,
        bucket: Annotated[str, Query()] = "1h",
    ) -> Response:
        viewer.principal.require(Permission.READ_DECISIONS)
        width = parse_bucket(bucket)
        board = watch.dashboards
        since, until = board.window(days, width)
        observations = board.observations(since, until)
        charts = [
            chart_data(top_series(observations, dim, since, until, width))
            for dim in CHART_DIMENSIONS
        ]
        context = {
            "viewer": viewer,
            "nav": "dashboards",
            "days": days,
            "bucket": bucket,
            "buckets": BUCKETS,
            "events": len(observations),
            "charts": charts,
            "rules": rule_rates(observations)[:25],
            "queues": board.queues(until - since),
            "reviewers": board.throughput(until - since)[:25],
            "appeals": board.appeals(until - since),
            "metrics": list(Metric),
        }
        return console.pages.render(request, "pages/dashboards.html", context)

    @routes.get("/trends")
    def trends_page(request: Request, viewer: Seen) -> Response:
        viewer.principal.require(Permission.READ_DECISIONS)
        context = {
            "viewer": viewer,
            "nav": "trends",
            "alerts": watch.trends.alerts(limit=100),
            "clusters": watch.clusters.emerging()[:20],
            "may_manage": viewer.can(Permission.MANAGE_INCIDENTS),
        }
        return console.pages.render(request, "pages/trends.html", context)

    @routes.post("/trends/scan")
    def scan(viewer: Writer) -> Response:
        viewer.principal.require(Permission.MANAGE_INCIDENTS)
        found = watch.trends.scan(actor=viewer.principal.actor)
        message = f"Scanned {found.segments} segments: {len(found.raised)} new alerts."
        return done("/trends", message)

    @routes.post("/trends/alerts/{alert_id}/acknowledge")
    def acknowledge(viewer: Writer, alert_id: str) -> Response:
        viewer.principal.require(Permission.MANAGE_INCIDENTS)
        watch.trends.acknowledge(TrendAlertId(alert_id), actor=viewer.principal.actor)
        return done("/trends", "Alert acknowledged.")

    def done(target: str, message: str) -> Response:
        response = RedirectResponse(target, status_code=303)
        console.pages.flash(response, message)
        return response

    return routes
