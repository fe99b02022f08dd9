"""Queue pages: every queue with its counts and SLA, the cases waiting in one queue, and
"next case", which leases the first claimable case the reviewer may receive (wellness opt-outs
and daily exposure budgets route the others to someone else)."""

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from garrison.domain.cases import Case, CaseStatus
from garrison.domain.errors import InvalidInput, NotFound
from garrison.domain.ids import CaseId, QueueName
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.viewer import Viewer

PAGE_SIZE = 50
NEXT_CANDIDATES = 50
"""How many open cases "next case" looks at, highest priority first."""
DECISIONS_LOOKED_AT = 5


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


def case_policies(console: Console, viewer: Viewer, case: Case) -> list[str]:
    """The policies the rules named in a case's first decisions (no content is read)."""
    review = console.container.review
    policies: list[str] = []
    for decision_id in case.decision_ids[:DECISIONS_LOOKED_AT]:
        decision, _ = review.decision(viewer.principal, decision_id)
        policies.extend(hit.policy for hit in decision.hits if hit.policy)
    return policies


def next_case(console: Console, viewer: Viewer, queue: QueueName) -> tuple[Case | None, int]:
    """Lease the first claimable case of the queue this reviewer may receive; also how many were
    passed over for wellness (an opt-out or a used-up exposure budget).

    The wellness check reads decisions and settings, so it runs before the lease is taken (not
    inside its unit of work): the lease only goes to a case that was looked at and allowed."""
    container = console.container
    allowed: set[CaseId] = set()
    skipped = 0
    for status in (CaseStatus.OPEN, CaseStatus.CLAIMED):  # claimed: leases that may have run out
        for case in container.review.cases(
            viewer.principal, queue=queue, status=status, limit=NEXT_CANDIDATES
        ):
            policies = case_policies(console, viewer, case)
            if container.wellness.refusal(viewer.principal.id, policies):
                skipped += 1
            else:
                allowed.add(case.id)
    claimed = container.review.next_case(
        viewer.principal, queue, accept=lambda case: case.id in allowed
    )
    return claimed, skipped


def router(console: Console) -> APIRouter:
    routes = console.router()
    review = console.container.review
    Seen = Annotated[Viewer, Depends(console.gate.viewer)]  # noqa: N806 - an alias bound to this gate
    Writer = Annotated[Viewer, Depends(console.gate.writer)]  # noqa: N806

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

    @routes.post("/queues/{name}/next")
    def claim_next(viewer: Writer, name: str) -> Response:
        claimed, skipped = next_case(console, viewer, QueueName(name))
        if claimed is None:
            response = RedirectResponse(f"/queues/{name}", status_code=303)
            routed = f" ({skipped} routed to others for your wellness settings)" if skipped else ""
            console.pages.flash(response, f"No case for you in {name} now{routed}.", kind="info")
            return response
        response = RedirectResponse(f"/cases/{claimed.id}", status_code=303)
        console.pages.flash(response, "Next case claimed.")
        return response

    return routes
