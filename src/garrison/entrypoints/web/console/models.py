"""The models page: registered versions with their metrics and status, promote and retire
controls, and the drift of one version (PSI of its score and top features)."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from garrison.domain.access import Permission
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.viewer import Viewer

DRIFT_WINDOWS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}
SHOWN_METRICS = ("auprc", "roc_auc", "brier", "positives", "rows")


def router(console: Console) -> APIRouter:
    routes = console.router()
    models = console.container.models
    Seen = Annotated[Viewer, Depends(console.gate.viewer)]  # noqa: N806 - an alias bound to this gate
    Writer = Annotated[Viewer, Depends(console.gate.writer)]  # noqa: N806

    @routes.get("/models")
    def models_page(request: Request, viewer: Seen) -> Response:
        viewer.principal.require(Permission.READ_DECISIONS)
        context = {
            "viewer": viewer,
            "versions": models.versions(),
            "metrics": SHOWN_METRICS,
            "may_manage": viewer.can(Permission.MANAGE_MODELS),
        }
        return console.pages.render(request, "pages/models.html", context)

    @routes.get("/models/{name}/{version}")
    def model_page(
        request: Request,
        viewer: Seen,
        name: str,
        version: int,
        since: Annotated[str, Query()] = "7d",
    ) -> Response:
        viewer.principal.require(Permission.READ_DECISIONS)
        window = since if since in DRIFT_WINDOWS else "7d"
        chosen = models.get(name, version)
        report = (
            models.drift(name, version, since=DRIFT_WINDOWS[window]) if chosen.baseline else None
        )
        context = {
            "viewer": viewer,
            "model": chosen,
            "report": report,
            "since": window,
            "windows": tuple(DRIFT_WINDOWS),
            "may_manage": viewer.can(Permission.MANAGE_MODELS),
        }
        return console.pages.render(request, "pages/model.html", context)

    @routes.post("/models/{name}/{version}/promote")
    def promote(viewer: Writer, name: str, version: int) -> Response:
        promoted = models.promote(viewer.principal, name, version)
        return done(f'Model {promoted.key} is live; rules reading score("{name}") use it now.')

    @routes.post("/models/{name}/{version}/retire")
    def retire(viewer: Writer, name: str, version: int) -> Response:
        retired = models.retire(viewer.principal, name, version)
        return done(f"Model {retired.key} retired.")

    def done(message: str) -> Response:
        response = RedirectResponse("/models", status_code=303)
        console.pages.flash(response, message)
        return response

    return routes
