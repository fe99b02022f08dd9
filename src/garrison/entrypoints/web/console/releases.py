"""Rule releases: the list, one release with its text and its diff from the version before,
and the approve and reject controls for a pending one."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from garrison.domain.access import Permission
from garrison.domain.errors import NotFound
from garrison.domain.release_diff import ReleaseDiff
from garrison.domain.releases import ReleaseStatus
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.viewer import Viewer
from garrison.services.rules import RulesService

LISTED = 100


def previous_diff(rules: RulesService, version: int) -> ReleaseDiff | None:
    """From the newest stored version before `version` to it (None for the first)."""
    for before in range(version - 1, 0, -1):
        try:
            return rules.diff(before, version)
        except NotFound:
            continue
    return None


def router(console: Console) -> APIRouter:
    routes = console.router()
    rules = console.container.rules
    Seen = Annotated[Viewer, Depends(console.gate.viewer)]  # noqa: N806 - an alias bound to this gate
    Writer = Annotated[Viewer, Depends(console.gate.writer)]  # noqa: N806

    @routes.get("/releases")
    def list_page(request: Request, viewer: Seen) -> Response:
        viewer.principal.require(Permission.READ_DECISIONS)
        context = {"viewer": viewer, "releases": rules.releases(limit=LISTED)}
        return console.pages.render(request, "pages/releases.html", context)

    @routes.get("/releases/{version}")
    def release_page(request: Request, viewer: Seen, version: int) -> Response:
        viewer.principal.require(Permission.READ_DECISIONS)
        release = rules.release(version)
        context = {
            "viewer": viewer,
            "release": release,
            "diff": previous_diff(rules, version),
            "pending": release.status is ReleaseStatus.PENDING_APPROVAL,
            "may_manage": viewer.can(Permission.MANAGE_RULES),
        }
        return console.pages.render(request, "pages/release.html", context)

    @routes.post("/releases/{version}/approve")
    def approve(viewer: Writer, version: int) -> Response:
        viewer.principal.require(Permission.MANAGE_RULES)
        rules.approve(version, actor=viewer.principal.actor)
        return done(version, f"Release {version} approved and published.")

    @routes.post("/releases/{version}/reject")
    def reject(viewer: Writer, version: int, reason: Annotated[str, Form()] = "") -> Response:
        viewer.principal.require(Permission.MANAGE_RULES)
        rules.reject(version, actor=viewer.principal.actor, reason=reason.strip())
        return done(version, f"Release {version} rejected.")

    def done(version: int, message: str) -> Response:
        response = RedirectResponse(f"/releases/{version}", status_code=303)
        console.pages.flash(response, message)
        return response

    return routes
