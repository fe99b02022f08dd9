"""The quality page: precision of every rule, model and policy with its interval drawn as a bar,
the recall estimated from the QA sample, appeal overturn rates and reviewer agreement."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.requests import Request
from starlette.responses import Response

from garrison.domain.access import Permission
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.viewer import Viewer

PERIODS = {"7d": 7, "30d": 30, "90d": 90}


def router(console: Console) -> APIRouter:
    routes = console.router()
    quality = console.container.quality
    Seen = Annotated[Viewer, Depends(console.gate.viewer)]  # noqa: N806 - an alias bound to this gate

    @routes.get("/quality")
    def quality_page(
        request: Request, viewer: Seen, period: Annotated[str, Query()] = "30d"
    ) -> Response:
        viewer.principal.require(Permission.READ_DECISIONS)
        chosen = period if period in PERIODS else "30d"
        days = PERIODS[chosen]
        since = console.container.clock.now() - timedelta(days=days)
        principal = viewer.principal
        context = {
            "viewer": viewer,
            "report": quality.measure.report(principal, days=days),
            "overturns": quality.overturns.report(principal, since=since),
            "double": quality.reports.double_reviews(principal, since=since),
            "golden": quality.reports.golden(principal, since=since),
            "period": chosen,
            "periods": tuple(PERIODS),
        }
        return console.pages.render(request, "pages/quality.html", context)

    return routes
