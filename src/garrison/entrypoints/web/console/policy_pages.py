"""Policy pages: the taxonomy (any version), its diffs and editor; playbooks with their history,
diffs and editor; and notices. Editing publishes a new version; nothing changes in place."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from garrison.domain.access import Permission
from garrison.domain.errors import Conflict, InvalidInput
from garrison.domain.playbooks import PlaybookKey
from garrison.domain.policies import Taxonomy
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.viewer import Viewer


def tree(taxonomy: Taxonomy) -> list[tuple[int, Any]]:
    """Policies in tree order, each with its depth."""
    rows: list[tuple[int, Any]] = []

    def walk(parent: str | None, depth: int) -> None:
        for policy in taxonomy.children(parent):
            rows.append((depth, policy))
            walk(policy.id, depth + 1)

    walk(None, 0)
    return rows


def router(console: Console) -> APIRouter:
    routes = console.router()
    policies = console.container.policies
    Seen = Annotated[Viewer, Depends(console.gate.viewer)]  # noqa: N806 - an alias bound to this gate
    Writer = Annotated[Viewer, Depends(console.gate.writer)]  # noqa: N806

    def render(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
        return console.pages.render(request, name, context, status_code=status_code)

    @routes.get("/policies")
    def taxonomy_page(request: Request, viewer: Seen, version: int | None = None) -> Response:
        taxonomy = policies.taxonomy(viewer.principal, version)
        versions = policies.versions(viewer.principal)
        return render(
            request,
            "pages/policies.html",
            viewer=viewer,
            taxonomy=taxonomy,
            rows=tree(taxonomy),
            versions=versions,
            newest=versions[0].version if versions else taxonomy.version,
        )

    @routes.get("/policies/diff")
    def taxonomy_diff(request: Request, viewer: Seen, old: int, new: int) -> Response:
        changes = policies.diff(viewer.principal, old, new)
        return render(
            request, "pages/policy_diff.html", viewer=viewer, changes=changes, old=old, new=new
        )

    def edit_page(
        request: Request, viewer: Viewer, text: str, note: str, error: str | None, status: int
    ) -> Response:
        newest = policies.taxonomy(viewer.principal)
        return render(
            request,
            "pages/policy_edit.html",
            status_code=status,
            viewer=viewer,
            newest=newest,
            text=text or newest.text,
            note=note,
            error=error,
        )

    @routes.get("/policies/edit")
    def edit_taxonomy(request: Request, viewer: Seen) -> Response:
        viewer.principal.require(Permission.MANAGE_POLICIES)
        return edit_page(request, viewer, "", "", None, 200)

    @routes.post("/policies/edit")
    def publish_taxonomy(
        request: Request,
        viewer: Writer,
        text: Annotated[str, Form()] = "",
        note: Annotated[str, Form()] = "",
        base: Annotated[int | None, Form()] = None,
    ) -> Response:
        try:
            made = policies.publish(viewer.principal, text, note, base=base)
        except (InvalidInput, Conflict) as error:
            where = f" ({error.field})" if error.field else ""
            status = 409 if isinstance(error, Conflict) else 400
            return edit_page(request, viewer, text, note, error.message + where, status)
        response = RedirectResponse(f"/policies?version={made.version}", status_code=303)
        console.pages.flash(response, f"Published taxonomy version {made.version}.")
        return response

    @routes.get("/playbooks")
    def playbook_list(request: Request, viewer: Seen) -> Response:
        found = policies.playbooks(viewer.principal)
        return render(request, "pages/playbooks.html", viewer=viewer, playbooks=found)

    @routes.get("/playbooks/{key}")
    def playbook_page(
        request: Request, viewer: Seen, key: str, version: int | None = None
    ) -> Response:
        parsed = PlaybookKey.parse(key)
        shown = policies.playbook(viewer.principal, parsed, version)
        history = policies.history(viewer.principal, parsed)
        return render(
            request, "pages/playbook.html", viewer=viewer, playbook=shown, history=history
        )

    @routes.get("/playbooks/{key}/diff")
    def playbook_diff(request: Request, viewer: Seen, key: str, old: int, new: int) -> Response:
        parsed = PlaybookKey.parse(key)
        lines = policies.playbook_diff(viewer.principal, parsed, old, new)
        return render(
            request,
            "pages/playbook_diff.html",
            viewer=viewer,
            key=parsed,
            lines=lines,
            old=old,
            new=new,
        )

    @routes.post("/playbooks/{key}")
    def save_playbook(
        request: Request, viewer: Writer, key: str, text: Annotated[str, Form()] = ""
    ) -> Response:
        saved = policies.save_playbook(viewer.principal, PlaybookKey.parse(key), text)
        response = RedirectResponse(f"/playbooks/{saved.key}", status_code=303)
        console.pages.flash(response, f"Saved version {saved.version} of {saved.key}.")
        return response

    @routes.get("/notices/{notice_id}")
    def notice_page(request: Request, viewer: Seen, notice_id: str) -> Response:
        notice = console.container.transparency.notice(viewer.principal, notice_id)
        return render(request, "pages/notice.html", viewer=viewer, notice=notice)

    return routes
