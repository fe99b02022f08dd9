"""Appeal and approval pages: the appeals waiting for a decision (with the decide form), and the
high-impact actions waiting for a second approver (approve or reject)."""

from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from garrison.domain.appeals import AppealOutcome, AppealStatus
from garrison.domain.approvals import ApprovalStatus
from garrison.domain.errors import Conflict, InvalidInput, PermissionDenied
from garrison.domain.ids import AppealId, ApprovalId
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.viewer import Viewer

PAGE_SIZE = 100
FORM_ERROR = "form"


S = TypeVar("S", AppealStatus, ApprovalStatus)


def _status(kind: type[S], text: str | None) -> S | None:
    """A status filter; empty means every status."""
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        known = ", ".join(s.value for s in kind)
        raise InvalidInput(f"unknown status {text!r} (known: {known})", field="status") from None


def router(console: Console) -> APIRouter:
    routes = console.router()
    _appeal_routes(console, routes)
    _approval_routes(console, routes)
    return routes


def _appeal_routes(console: Console, routes: APIRouter) -> None:
    container = console.container
    Seen = Annotated[Viewer, Depends(console.gate.viewer)]  # noqa: N806 - an alias bound to this gate
    Writer = Annotated[Viewer, Depends(console.gate.writer)]  # noqa: N806

    def appeal_page(
        request: Request,
        viewer: Viewer,
        appeal_id: str,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Response:
        found = container.appeals.get(viewer.principal, AppealId(appeal_id))
        context: dict[str, Any] = {
            "viewer": viewer,
            "found": found,
            "now": container.clock.now(),
            "outcomes": list(AppealOutcome),
            "errors": errors or {},
        }
        return console.pages.render(request, "pages/appeal.html", context, status_code=status_code)

    @routes.get("/appeals")
    def appeal_list(request: Request, viewer: Seen, status: str | None = "open") -> Response:
        wanted = _status(AppealStatus, status)
        found = container.appeals.appeals(viewer.principal, status=wanted, limit=PAGE_SIZE)
        context = {
            "viewer": viewer,
            "appeals": found,
            "status": wanted,
            "statuses": list(AppealStatus),
            "now": container.clock.now(),
        }
        return console.pages.render(request, "pages/appeals.html", context)

    @routes.get("/appeals/{appeal_id}")
    def show_appeal(request: Request, viewer: Seen, appeal_id: str) -> Response:
        return appeal_page(request, viewer, appeal_id)

    @routes.post("/appeals/{appeal_id}/decide")
    def decide_appeal(
        request: Request,
        viewer: Writer,
        appeal_id: str,
        outcome: Annotated[str, Form()] = "",
        note: Annotated[str, Form()] = "",
    ) -> Response:
        try:
            chosen = AppealOutcome(outcome)
        except ValueError:
            errors = {"outcome": "choose uphold or overturn"}
            return appeal_page(request, viewer, appeal_id, errors, status_code=400)
        try:
            container.appeals.decide(
                viewer.principal, AppealId(appeal_id), outcome=chosen, note=note.strip()
            )
        except (PermissionDenied, Conflict) as error:
            code = 403 if isinstance(error, PermissionDenied) else 409
            return appeal_page(request, viewer, appeal_id, {FORM_ERROR: error.message}, code)
        response = RedirectResponse(f"/appeals/{appeal_id}", status_code=303)
        done = (
            "overturned: the action is being reversed"
            if chosen is AppealOutcome.OVERTURN
            else "upheld"
        )
        console.pages.flash(response, f"Appeal {done}.")
        return response


def _approval_routes(console: Console, routes: APIRouter) -> None:
    container = console.container
    Seen = Annotated[Viewer, Depends(console.gate.viewer)]  # noqa: N806 - an alias bound to this gate
    Writer = Annotated[Viewer, Depends(console.gate.writer)]  # noqa: N806

    @routes.get("/approvals")
    def approval_list(request: Request, viewer: Seen, status: str | None = "pending") -> Response:
        return approvals_page(request, viewer, _status(ApprovalStatus, status))

    def approvals_page(
        request: Request,
        viewer: Viewer,
        wanted: ApprovalStatus | None,
        error: str | None = None,
        status_code: int = 200,
    ) -> Response:
        found = container.approvals.approvals(viewer.principal, status=wanted, limit=PAGE_SIZE)
        files = [container.approvals.get(viewer.principal, a.id) for a in found]
        context = {
            "viewer": viewer,
            "files": files,
            "status": wanted,
            "statuses": list(ApprovalStatus),
            "error": error,
        }
        return console.pages.render(
            request, "pages/approvals.html", context, status_code=status_code
        )

    @routes.post("/approvals/{approval_id}/{verdict}")
    def decide_approval(
        request: Request,
        viewer: Writer,
        approval_id: str,
        verdict: str,
        note: Annotated[str, Form()] = "",
    ) -> Response:
        if verdict not in ("approve", "reject"):
            raise InvalidInput("approve or reject", field="verdict")
        try:
            container.approvals.decide(
                viewer.principal,
                ApprovalId(approval_id),
                approve=verdict == "approve",
                note=note.strip(),
            )
        except (PermissionDenied, Conflict) as error:
            code = 403 if isinstance(error, PermissionDenied) else 409
            return approvals_page(request, viewer, ApprovalStatus.PENDING, error.message, code)
        response = RedirectResponse("/approvals", status_code=303)
        console.pages.flash(response, f"Approval {approval_id} {verdict}d.")
        return response
