"""The case page: what the rules saw, the subject's events, and the claim and resolve controls.

The review console adds the playbooks beside the case, masked content revealed on request
(audited), related cases, the subject's history and keyboard shortcuts (static/js/review.js).
"""

from collections.abc import Iterable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from garrison.domain.access import Permission
from garrison.domain.actions import ActionKind, ActionTemplate
from garrison.domain.cases import Case, Outcome
from garrison.domain.errors import Conflict, InvalidInput, Unauthenticated
from garrison.domain.ids import ActionId, CaseId, PrincipalId
from garrison.entrypoints.web.console.case_context import find_field, review_context
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.pages import is_htmx
from garrison.entrypoints.web.console.viewer import Viewer
from garrison.services.access import AccessService

RESOLUTION_KINDS = tuple(
    k for k in ActionKind if k is not ActionKind.ENQUEUE_REVIEW and not k.is_reversal
)
FORM_ERROR = "form"
"""The error key for a failure that belongs to no single field."""

DONE = {
    Outcome.VIOLATING: "Case resolved as violating.",
    Outcome.NOT_VIOLATING: "Case resolved as not violating.",
}
OUTCOMES = tuple(DONE)
"""The resolve form's outcomes; escalating has its own form, which asks for a reason."""


def parse_resolution(
    outcome: str, policy: str, actions: Iterable[str]
) -> tuple[Outcome, str | None, list[ActionTemplate]]:
    """The resolve form's fields as domain values; InvalidInput names the field at fault."""
    try:
        chosen = Outcome(outcome)
    except ValueError:
        raise InvalidInput("choose an outcome", field="outcome") from None
    if chosen not in OUTCOMES:
        raise InvalidInput("escalate with the Escalate form, giving a reason", field="outcome")
    templates: list[ActionTemplate] = []
    for text in actions:
        try:
            kind = ActionKind(text)
        except ValueError:
            raise InvalidInput(f"unknown action {text!r}", field="actions") from None
        if kind is ActionKind.ENQUEUE_REVIEW:
            raise InvalidInput("a resolution cannot enqueue another review", field="actions")
        templates.append(ActionTemplate(kind))
    return chosen, policy.strip() or None, templates


def people(access: AccessService, ids: Iterable[PrincipalId | None]) -> dict[str, str]:
    """Display names of the people a case mentions; an unknown or disabled id shows as itself."""
    names: dict[str, str] = {}
    for pid in {i for i in ids if i}:
        try:
            names[pid] = access.person(pid).name
        except Unauthenticated:
            names[pid] = pid
    return names


def panel_context(console: Console, viewer: Viewer, case: Case) -> dict[str, Any]:
    """What the action panel (status, claim button, resolve form) needs."""
    by = case.resolution.by if case.resolution else None
    queue = next(
        (
            s.queue
            for s in console.container.review.queues(viewer.principal)
            if s.queue.name == case.queue
        ),
        None,
    )
    return {
        "viewer": viewer,
        "case": case,
        "may_review": viewer.can(queue.required if queue else Permission.REVIEW_CASES),
        "names": people(console.container.access, [case.assignee, by]),
        "kinds": RESOLUTION_KINDS,
        "outcomes": list(OUTCOMES),
        "form": {"outcome": "", "policy": "", "actions": [], "note": ""},
        "errors": {},
    }


def router(console: Console) -> APIRouter:
    routes = console.router()
    review = console.container.review
    Seen = Annotated[Viewer, Depends(console.gate.viewer)]  # noqa: N806 - an alias bound to this gate
    Writer = Annotated[Viewer, Depends(console.gate.writer)]  # noqa: N806

    def case_page(
        request: Request,
        viewer: Viewer,
        case_id: str,
        *,
        form: Mapping[str, Any] | None = None,
        errors: Mapping[str, str] | None = None,
        status_code: int = 200,
        revealed: tuple[str, ...] = (),
    ) -> Response:
        found = review.case_file(viewer.principal, CaseId(case_id))
        context = panel_context(console, viewer, found.case)
        policies = sorted({hit.policy for d in found.decisions for hit in d.hits})
        context.update(file=found, policies=policies, errors=errors or {})
        context.update(review_context(console, viewer, found, revealed))
        if context["reveal_all"] and any(
            f.kind != "plain" for fs in context["fields"].values() for f in fs
        ):
            console.container.wellness.reveal(viewer.principal, found.case.id, "all")
        if form is not None:
            context["form"] = form
        return console.pages.render(request, "pages/case.html", context, status_code=status_code)

    @routes.get("/cases/{case_id}")
    def show_case(request: Request, viewer: Seen, case_id: str) -> Response:
        return case_page(request, viewer, case_id)

    @routes.post("/cases/{case_id}/claim")
    def claim(request: Request, viewer: Writer, case_id: str) -> Response:
        case = review.claim(viewer.principal, CaseId(case_id))
        if is_htmx(request):
            context = panel_context(console, viewer, case)
            return console.pages.render(request, "partials/action_panel.html", context)
        response = RedirectResponse(f"/cases/{case_id}", status_code=303)
        console.pages.flash(response, "You claimed this case.")
        return response

    @routes.post("/cases/{case_id}/resolve")
    def resolve(
        request: Request,
        viewer: Writer,
        case_id: str,
        outcome: Annotated[str, Form()] = "",
        policy: Annotated[str, Form()] = "",
        actions: Annotated[list[str] | None, Form()] = None,
        note: Annotated[str, Form()] = "",
    ) -> Response:
        form = {"outcome": outcome, "policy": policy, "actions": actions or [], "note": note}
        try:
            chosen, named, templates = parse_resolution(outcome, policy, actions or [])
            review.resolve(
                viewer.principal,
                CaseId(case_id),
                outcome=chosen,
                policy=named,
                actions=templates,
                note=note.strip(),
            )
        except InvalidInput as error:
            errors = {error.field or FORM_ERROR: error.message}
            return case_page(request, viewer, case_id, form=form, errors=errors, status_code=400)
        except Conflict as error:
            errors = {FORM_ERROR: error.message}
            return case_page(request, viewer, case_id, form=form, errors=errors, status_code=409)
        console.container.wellness.reviewed(viewer.principal)
        response = RedirectResponse(f"/cases/{case_id}", status_code=303)
        console.pages.flash(response, DONE[chosen])
        return response

    @routes.post("/cases/{case_id}/reveal")
    def reveal(
        request: Request, viewer: Writer, case_id: str, item: Annotated[str, Form()] = ""
    ) -> Response:
        """Unmask one item (audited, counted against the daily exposure budget)."""
        found = review.case_file(viewer.principal, CaseId(case_id))
        field = find_field(found, item)
        console.container.wellness.reveal(viewer.principal, found.case.id, item)
        if is_htmx(request):
            context = {"field": field, "case": found.case, "viewer": viewer, "revealed": {item}}
            return console.pages.render(request, "partials/masked_field.html", context)
        return case_page(request, viewer, case_id, revealed=(item,))

    @routes.post("/cases/{case_id}/actions/{action_id}/notice")
    def notice(request: Request, viewer: Writer, case_id: str, action_id: str) -> Response:
        """Issue the notice of one of the case's actions, then show it."""
        issued = console.container.transparency.issue(viewer.principal, ActionId(action_id))
        return RedirectResponse(f"/notices/{issued.id}", status_code=303)

    return routes
