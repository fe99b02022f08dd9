"""The case page's work controls: escalate with a reason, release the lease, comment, and
attach a link as evidence. Each posts, then returns to the case page with a flash message;
bad input renders the console's error page (400) naming the field."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from starlette.responses import RedirectResponse, Response

from garrison.domain.ids import CaseId
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.viewer import Viewer


def back(console: Console, case_id: str, message: str) -> Response:
    response = RedirectResponse(f"/cases/{case_id}", status_code=303)
    console.pages.flash(response, message)
    return response


def router(console: Console) -> APIRouter:
    routes = console.router()
    container = console.container
    Writer = Annotated[Viewer, Depends(console.gate.writer)]  # noqa: N806 - an alias bound to this gate

    @routes.post("/cases/{case_id}/escalate")
    def escalate(viewer: Writer, case_id: str, reason: Annotated[str, Form()] = "") -> Response:
        """Hand the case you hold to the next tier, saying why."""
        moved = container.review.escalate(viewer.principal, CaseId(case_id), reason=reason)
        return back(console, case_id, f"Case escalated to {moved.queue} ({moved.tier}).")

    @routes.post("/cases/{case_id}/release")
    def release(viewer: Writer, case_id: str) -> Response:
        """Give the lease back: the case returns to its queue for someone else."""
        container.review.release(viewer.principal, CaseId(case_id))
        return back(console, case_id, "Case released to its queue.")

    @routes.post("/cases/{case_id}/comments")
    def comment(viewer: Writer, case_id: str, text: Annotated[str, Form()] = "") -> Response:
        container.case_work.comment(viewer.principal, CaseId(case_id), text)
        return back(console, case_id, "Comment added.")

    @routes.post("/cases/{case_id}/evidence")
    def evidence(
        viewer: Writer,
        case_id: str,
        name: Annotated[str, Form()] = "",
        url: Annotated[str, Form()] = "",
    ) -> Response:
        container.case_work.attach_link(viewer.principal, CaseId(case_id), name=name, url=url)
        return back(console, case_id, "Evidence attached.")

    return routes
