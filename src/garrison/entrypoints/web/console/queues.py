"""Queue pages: every queue with its counts and SLA, and the cases waiting in one queue."""

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from garrison.domain.cases import CaseStatus
from garrison.domain.errors import InvalidInput, NotFound
from garrison.domain.ids import QueueName
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.viewer import Viewer

PAGE_SIZE = 50


def parse_status(text: str | None) -> CaseStatus | None:
    """The status filter of a queue page; empty means every status."""
    if not text:
        return None
    try:
        return CaseStatus(text)
    except ValueError:
        known = ", ".join(s.value for s in CaseStatus)
        raise InvalidInput(
            f"unknown case status {text!r} (known: {known})", field="status"
        ) from None


def router(console: Console) -> APIRouter:
    routes = console.router()
    review = console.container.review
    Seen = Annotated[Viewer, Depends(console.gate.viewer)]  # noqa: N806 - an alias bound to this gate

    @routes.get("/")
    def home() -> Response:
        return RedirectResponse("/queues", status_code=303)

    @routes.get("/queues")
    def queue_list(request: Request, viewer: Seen) -> Response:
        summaries = review.queues(viewer.principal)
        context = {"viewer": viewer, "summaries": summaries, "statuses": list(CaseStatus)}
        return console.pages.render(request, "pages/queues.html", context)

    @routes.get("/queues/{name}")
    def queue_page(
        request: Request,
        viewer: Seen,
        name: str,
        status: str | None = None,
        offset: int = 0,
    ) -> Response:
        wanted = parse_status(status)
        offset = max(0, offset)
        cases = review.cases(
            viewer.principal,
            queue=QueueName(name),
            status=wanted,
            limit=PAGE_SIZE + 1,
            offset=offset,
        )
        summary = next((s for s in review.queues(viewer.principal) if s.queue.name == name), None)
        if summary is None:
            raise NotFound(f"no queue named {name!r}", field="queue")
        context = {
            "viewer": viewer,
            "summary": summary,
            "cases": cases[:PAGE_SIZE],
            "status": wanted,
            "statuses": list(CaseStatus),
            "offset": offset,
            "page_size": PAGE_SIZE,
            "has_more": len(cases) > PAGE_SIZE,
        }
        return console.pages.render(request, "pages/queue.html", context)

    return routes
