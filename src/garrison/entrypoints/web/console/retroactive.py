"""Retroactive action in the console: preview (who and how many) -> confirm -> its page, where
another person approves it (over the threshold) and anyone who may act undoes it in one step.
The form sits on the ring page and under search results.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from garrison.domain.access import Permission
from garrison.domain.actions import ActionKind, ActionTemplate
from garrison.domain.entities import EntityKind
from garrison.domain.errors import InvalidInput
from garrison.domain.events import JsonValue
from garrison.domain.retroactive import Target, TargetKind
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.viewer import Viewer
from garrison.services.search_export import parse_since, shown_ref


def router(console: Console) -> APIRouter:
    routes = console.router()
    container = console.container
    Seen = Annotated[Viewer, Depends(console.gate.viewer)]  # noqa: N806 - an alias bound to this gate
    Writer = Annotated[Viewer, Depends(console.gate.writer)]  # noqa: N806

    def parsed(
        target_kind: str, target_ref: str, since: str, kind: str, label: str, subject: str
    ) -> tuple[Target, ActionTemplate, EntityKind]:
        try:
            target_kind_ = TargetKind(target_kind)
            subject_ = EntityKind(subject)
            kind_ = ActionKind(kind)
        except ValueError as bad:
            raise InvalidInput(str(bad), field="kind") from None
        start = (
            parse_since(since, container.clock.now()) if target_kind_ is TargetKind.QUERY else None
        )
        params: dict[str, JsonValue] = {"label": label.strip()} if label.strip() else {}
        return Target(target_kind_, target_ref, start), ActionTemplate(kind_, params), subject_

    @routes.post("/retroactive/preview")
    def preview(
        request: Request,
        viewer: Writer,
        target_kind: Annotated[str, Form()],
        target_ref: Annotated[str, Form()],
        kind: Annotated[str, Form()],
        since: Annotated[str, Form()] = "7d",
        label: Annotated[str, Form()] = "",
        subject: Annotated[str, Form()] = "account",
        reason: Annotated[str, Form()] = "",
    ) -> Response:
        target, template, subject_ = parsed(target_kind, target_ref, since, kind, label, subject)
        found = container.search.retroactive.preview(viewer.principal, target, template, subject_)
        reveal = viewer.can(Permission.READ_PII)
        context = {
            "viewer": viewer,
            "preview": found,
            "sample": [shown_ref(ref, reveal=reveal) for ref in found.sample],
            "form": {
                "target_kind": target_kind,
                "target_ref": target_ref,
                "since": since,
                "kind": kind,
                "label": label,
                "subject": subject,
                "reason": reason,
            },
        }
        return console.pages.render(request, "partials/retro_preview.html", context)

    @routes.post("/retroactive")
    def apply(
        viewer: Writer,
        target_kind: Annotated[str, Form()],
        target_ref: Annotated[str, Form()],
        kind: Annotated[str, Form()],
        reason: Annotated[str, Form()],
        since: Annotated[str, Form()] = "7d",
        label: Annotated[str, Form()] = "",
        subject: Annotated[str, Form()] = "account",
    ) -> Response:
        target, template, subject_ = parsed(target_kind, target_ref, since, kind, label, subject)
        retro = container.search.retroactive.request(
            viewer.principal, target, template, subject_, reason
        )
        response = RedirectResponse(f"/retroactive/{retro.id}", status_code=303)
        console.pages.flash(
            response,
            f"{retro.status.replace('_', ' ').capitalize()}: {len(retro.subjects)} subjects.",
        )
        return response

    @routes.get("/retroactive")
    def recent(request: Request, viewer: Seen) -> Response:
        found = container.search.retroactive.recent(viewer.principal)
        return console.pages.render(
            request, "pages/retroactive_list.html", {"viewer": viewer, "found": found}
        )

    @routes.get("/retroactive/{retro_id}")
    def one(request: Request, viewer: Seen, retro_id: str) -> Response:
        retro = container.search.retroactive.get(viewer.principal, retro_id)
        context = {
            "viewer": viewer,
            "retro": retro,
            "may_approve": viewer.can(Permission.APPROVE_ACTIONS)
            and viewer.principal.actor != retro.requested_by,
            "may_act": viewer.can(Permission.TAKE_ACTIONS),
        }
        return console.pages.render(request, "pages/retroactive.html", context)

    @routes.post("/retroactive/{retro_id}/{step}")
    def decide(viewer: Writer, retro_id: str, step: str) -> Response:
        steps = {
            "approve": container.search.retroactive.approve,
            "reject": container.search.retroactive.reject,
            "undo": container.search.retroactive.undo,
        }
        if step not in steps:
            raise InvalidInput(f"unknown step {step!r}", field="step")
        retro = steps[step](viewer.principal, retro_id)
        response = RedirectResponse(f"/retroactive/{retro.id}", status_code=303)
        console.pages.flash(response, f"Retroactive action {retro.status.replace('_', ' ')}.")
        return response

    return routes
