"""A reviewer's own pages: the dashboard (today's items, exposure, SLA of their queues, their
claimed cases) and wellness settings (category opt-outs, reveal preference, breaks)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from garrison.domain.cases import Case, CaseStatus
from garrison.domain.policies import Severity
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.viewer import Viewer

SLA_LOOKED_AT = 200
"""Open cases per queue the dashboard looks at for its SLA figures."""


@dataclass(frozen=True, slots=True)
class QueueSla:
    name: str
    sla_seconds: int
    open: int
    claimed: int
    overdue: int
    at_risk: int
    oldest: datetime | None


def queue_slas(console: Console, viewer: Viewer, now: datetime) -> list[QueueSla]:
    """The queues this reviewer may work, with how their open cases stand against the SLA."""
    review = console.container.review
    found = []
    for summary in review.queues(viewer.principal):
        queue = summary.queue
        if not viewer.can(queue.required):
            continue
        waiting = review.cases(
            viewer.principal, queue=queue.name, status=CaseStatus.OPEN, limit=SLA_LOOKED_AT
        )
        ages = [(now - c.created_at).total_seconds() for c in waiting]
        found.append(
            QueueSla(
                queue.name,
                queue.sla_seconds,
                summary.counts.get(CaseStatus.OPEN, 0),
                summary.counts.get(CaseStatus.CLAIMED, 0),
                sum(1 for a in ages if a > queue.sla_seconds),
                sum(1 for a in ages if 0.8 * queue.sla_seconds < a <= queue.sla_seconds),
                min((c.created_at for c in waiting), default=None),
            )
        )
    return found


def my_cases(console: Console, viewer: Viewer) -> list[Case]:
    claimed = console.container.review.cases(
        viewer.principal, status=CaseStatus.CLAIMED, limit=SLA_LOOKED_AT
    )
    return [c for c in claimed if c.assignee == viewer.principal.id]


def router(console: Console) -> APIRouter:
    routes = console.router()
    container = console.container
    Seen = Annotated[Viewer, Depends(console.gate.viewer)]  # noqa: N806 - an alias bound to this gate
    Writer = Annotated[Viewer, Depends(console.gate.writer)]  # noqa: N806

    @routes.get("/me")
    def dashboard(request: Request, viewer: Seen) -> Response:
        context: dict[str, Any] = {
            "viewer": viewer,
            "wellness": container.wellness.today(viewer.principal),
            "slas": queue_slas(console, viewer, container.clock.now()),
            "mine": my_cases(console, viewer),
        }
        return console.pages.render(request, "pages/dashboard.html", context)

    @routes.get("/me/wellness")
    def settings_page(request: Request, viewer: Seen) -> Response:
        taxonomy = container.policies.taxonomy(viewer.principal)
        choices = [p for p in taxonomy.policies if not p.parent or p.severity is Severity.SEVERE]
        context = {
            "viewer": viewer,
            "settings": container.wellness.settings(viewer.principal),
            "choices": choices,
            "rules": container.wellness.rules,
        }
        return console.pages.render(request, "pages/wellness.html", context)

    @routes.post("/me/wellness")
    def save_settings(
        viewer: Writer,
        opted_out: Annotated[list[str] | None, Form()] = None,
        reveal_by_default: Annotated[str, Form()] = "",
    ) -> Response:
        container.wellness.save_settings(
            viewer.principal,
            opted_out=opted_out or [],
            reveal_by_default=reveal_by_default == "on",
        )
        response = RedirectResponse("/me/wellness", status_code=303)
        console.pages.flash(response, "Wellness settings saved.")
        return response

    @routes.post("/me/break")
    def take_break(viewer: Writer, back: Annotated[str, Form()] = "/me") -> Response:
        container.wellness.take_break(viewer.principal)
        target = back if back.startswith("/") and not back.startswith("//") else "/me"
        response = RedirectResponse(target, status_code=303)
        console.pages.flash(response, "Break recorded. Welcome back.")
        return response

    return routes
