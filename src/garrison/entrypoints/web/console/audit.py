"""The audit view: recent records, filtered by target, and a check of the hash chain."""

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from garrison.domain.access import Permission
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.pages import is_htmx
from garrison.entrypoints.web.console.viewer import Viewer
from garrison.services import audit

SHOWN = 200


def router(console: Console) -> APIRouter:
    routes = console.router()
    container = console.container
    Seen = Annotated[Viewer, Depends(console.gate.viewer)]  # noqa: N806 - an alias bound to this gate

    @routes.get("/audit")
    def audit_page(
        request: Request, viewer: Seen, target: str = "", verify: bool = False
    ) -> Response:
        wanted = target.strip() or None
        records = audit.recent(container.uow, viewer.principal, limit=SHOWN, target=wanted)
        context = {
            "viewer": viewer,
            "records": records,
            "target": wanted or "",
            "shown": SHOWN,
            "result": audit.verify(container.uow) if verify else None,
        }
        return console.pages.render(request, "pages/audit.html", context)

    @routes.get("/audit/verify")
    def verify_chain(request: Request, viewer: Seen) -> Response:
        """The chain check alone, for the htmx button (plain browsers go to `/audit?verify=1`)."""
        viewer.principal.require(Permission.READ_AUDIT)
        if not is_htmx(request):
            return RedirectResponse("/audit?verify=1", status_code=303)
        context = {"viewer": viewer, "result": audit.verify(container.uow)}
        return console.pages.render(request, "partials/verification.html", context)

    return routes
