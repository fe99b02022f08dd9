"""The rule editor: a rule file checked as you type, its examples run, and proposed as a release."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from garrison.domain.access import Permission
from garrison.domain.language import EventSchemas, RuleFileCheck, check_rule_file, run_rule_file
from garrison.domain.release_check import ReleaseRefused
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.pages import is_htmx
from garrison.entrypoints.web.console.viewer import Viewer
from garrison.rulepacks import load_schemas

RULES_PATH = "rules.toml"
"""How the editor's text is named in error messages."""


def checked(text: str, schemas: EventSchemas) -> dict[str, Any]:
    """What the check partial shows: every error, or the number of rules, examples and tests."""
    check = check_rule_file(text, RULES_PATH, schemas)
    return {"check": check, **counts(check)}


def counts(check: RuleFileCheck) -> dict[str, int]:
    entries = check.file.entries
    return {
        "rules": len(entries),
        "examples": sum(len(entry.examples) for entry in entries),
        "tests": len(check.file.tests),
    }


def router(console: Console) -> APIRouter:
    routes = console.router()
    container = console.container
    schemas = load_schemas(container.settings.schemas_path)
    Seen = Annotated[Viewer, Depends(console.gate.viewer)]  # noqa: N806 - an alias bound to this gate
    Writer = Annotated[Viewer, Depends(console.gate.writer)]  # noqa: N806
    Text = Annotated[str, Form()]  # noqa: N806

    def editor(request: Request, viewer: Viewer, text: str, **extra: Any) -> Response:
        context = {
            "viewer": viewer,
            "text": text,
            "may_manage": viewer.can(Permission.MANAGE_RULES),
            "releases": container.rules.releases(limit=20),
            **checked(text, schemas),
            **extra,
        }
        status = 422 if extra.get("refused") else 200
        return console.pages.render(request, "pages/rule_editor.html", context, status_code=status)

    @routes.get("/rules/editor")
    def editor_page(request: Request, viewer: Seen, version: int | None = None) -> Response:
        viewer.principal.require(Permission.READ_DECISIONS)
        release = container.rules.release(version)
        return editor(request, viewer, release.text, version=release.version)

    @routes.post("/rules/check")
    def check(request: Request, viewer: Writer, text: Text = "") -> Response:
        viewer.principal.require(Permission.READ_DECISIONS)
        context = {"viewer": viewer, **checked(text, schemas)}
        return console.pages.render(request, "partials/rule_check.html", context)

    @routes.post("/rules/test")
    def run_examples(request: Request, viewer: Writer, text: Text = "") -> Response:
        viewer.principal.require(Permission.READ_DECISIONS)
        context = {"viewer": viewer, **checked(text, schemas)}
        found: RuleFileCheck = context["check"]
        if found.ok:
            context["results"] = run_rule_file(found.file, found.compiled)
        return console.pages.render(request, "partials/rule_check.html", context)

    @routes.post("/rules/propose")
    def propose(
        request: Request, viewer: Writer, text: Text = "", notes: Annotated[str, Form()] = ""
    ) -> Response:
        viewer.principal.require(Permission.MANAGE_RULES)
        try:
            release = container.rules.propose(
                text, actor=viewer.principal.actor, notes=notes.strip(), path=RULES_PATH
            )
        except ReleaseRefused as refused:
            if is_htmx(request):
                context = {"viewer": viewer, "refused": refused, **checked(text, schemas)}
                return console.pages.render(
                    request, "partials/rule_check.html", context, status_code=422
                )
            return editor(request, viewer, text, refused=refused)
        if is_htmx(request):
            context = {"viewer": viewer, "proposed": release, **checked(text, schemas)}
            return console.pages.render(request, "partials/rule_check.html", context)
        response = RedirectResponse(f"/releases/{release.version}", status_code=303)
        console.pages.flash(response, f"Release {release.version} proposed: {release.status}.")
        return response

    return routes
