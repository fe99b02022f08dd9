"""The rules page: the live release's rules with today's hits, precision from review labels and
owners, and the lifecycle controls (restore a demoted rule, lift a snooze, acknowledge an alert,
the shadow report)."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from garrison.domain.access import Permission
from garrison.domain.rule_controls import AlertId, SnoozeId
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.viewer import Viewer
from garrison.services.rule_quality import RuleQuality

SHADOW_WINDOW = timedelta(hours=24)


def router(console: Console) -> APIRouter:
    routes = console.router()
    container = console.container
    controls = container.rule_controls
    quality = RuleQuality(container.store.uow, container.clock)
    Seen = Annotated[Viewer, Depends(console.gate.viewer)]  # noqa: N806 - an alias bound to this gate
    Writer = Annotated[Viewer, Depends(console.gate.writer)]  # noqa: N806

    @routes.get("/rules")
    def rules_page(request: Request, viewer: Seen) -> Response:
        viewer.principal.require(Permission.READ_DECISIONS)
        context = {
            "viewer": viewer,
            "sheet": container.rules.rules(),
            "quality": quality.sheet(),
            "snoozes": controls.snoozes(),
            "alerts": controls.alerts(),
            "may_manage": viewer.can(Permission.MANAGE_RULES),
        }
        return console.pages.render(request, "pages/rules.html", context)

    @routes.get("/rules/shadow")
    def shadow_page(request: Request, viewer: Seen) -> Response:
        viewer.principal.require(Permission.READ_DECISIONS)
        report = container.shadow.report(container.clock.now() - SHADOW_WINDOW)
        context = {"viewer": viewer, "report": report}
        return console.pages.render(request, "pages/rules_shadow.html", context)

    @routes.post("/rules/{name}/restore")
    def restore(viewer: Writer, name: str) -> Response:
        viewer.principal.require(Permission.MANAGE_RULES)
        controls.restore(name, actor=viewer.principal.actor)
        return done(f"Rule {name} acts again at its declared stage.")

    @routes.post("/snoozes/{snooze_id}/lift")
    def lift(viewer: Writer, snooze_id: str) -> Response:
        viewer.principal.require(Permission.MANAGE_RULES)
        lifted = controls.lift(SnoozeId(snooze_id), actor=viewer.principal.actor)
        return done(f"Snooze of {lifted.rule} for {lifted.entity} lifted.")

    @routes.post("/alerts/{alert_id}/acknowledge")
    def acknowledge(viewer: Writer, alert_id: str) -> Response:
        viewer.principal.require(Permission.MANAGE_RULES)
        controls.acknowledge(AlertId(alert_id), actor=viewer.principal.actor)
        return done("Alert acknowledged.")

    def done(message: str) -> Response:
        response = RedirectResponse("/rules", status_code=303)
        console.pages.flash(response, message)
        return response

    return routes
