"""The incident pages: the list with a declare form, and one incident with its timeline, links,
communications and post-mortem, and a form for each thing that can be done to it."""

from enum import StrEnum
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Form, Query
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from garrison.domain.access import Permission
from garrison.domain.errors import InvalidInput
from garrison.domain.incidents import (
    ORDER,
    ActionItem,
    EntryKind,
    IncidentId,
    IncidentStatus,
    LinkKind,
    Severity,
    SourceKind,
)
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.viewer import Viewer

Text = Annotated[str, Form()]


def parse_items(written: str) -> tuple[ActionItem, ...]:
    """One action item per line: `text` or `text :: rule expression`."""
    items = []
    for line in written.splitlines():
        text, _, rule = line.partition("::")
        if text.strip():
            items.append(ActionItem(text.strip(), rule_text=rule.strip()))
    return tuple(items)


E = TypeVar("E", bound=StrEnum)


def _enum(kind: type[E], value: str, field: str) -> E:
    try:
        return kind(value)
    except ValueError:
        raise InvalidInput(f"unknown {field} {value!r}", field=field) from None


def router(console: Console) -> APIRouter:
    routes = console.router()
    service = console.container.watch.incidents
    Seen = Annotated[Viewer, Depends(console.gate.viewer)]  # noqa: N806 - an alias bound to this gate
    Writer = Annotated[Viewer, Depends(console.gate.writer)]  # noqa: N806

    def manager(viewer: Viewer) -> str:
        viewer.principal.require(Permission.MANAGE_INCIDENTS)
        return viewer.principal.actor

    @routes.get("/incidents")
    def incidents_page(
        request: Request,
        viewer: Seen,
        source: Annotated[str, Query()] = "manual",
        source_ref: Annotated[str, Query()] = "",
        title: Annotated[str, Query()] = "",
    ) -> Response:
        """The list, and a declare form that `?source=case&source_ref=cas_1&title=...` fills in
        (how a case, ring or search page links to "declare an incident from here")."""
        viewer.principal.require(Permission.READ_DECISIONS)
        context = {
            "prefill": {"source": source, "source_ref": source_ref, "title": title},
            "viewer": viewer,
            "nav": "incidents",
            "incidents": service.list(limit=200),
            "severities": list(Severity),
            "sources": list(SourceKind),
            "may_manage": viewer.can(Permission.MANAGE_INCIDENTS),
        }
        return console.pages.render(request, "pages/incidents.html", context)

    @routes.post("/incidents")
    def declare(
        viewer: Writer,
        title: Text,
        severity: Text = "sev3",
        source: Text = "manual",
        source_ref: Text = "",
        summary: Text = "",
    ) -> Response:
        incident = service.declare(
            title=title,
            severity=_enum(Severity, severity, "severity"),
            source=_enum(SourceKind, source, "source"),
            source_ref=source_ref.strip(),
            summary=summary,
            actor=manager(viewer),
        )
        return done(incident.id, f"Incident {incident.id} declared.")

    @routes.get("/incidents/{incident_id}")
    def incident_page(request: Request, viewer: Seen, incident_id: str) -> Response:
        viewer.principal.require(Permission.READ_DECISIONS)
        incident = service.get(IncidentId(incident_id))
        here = ORDER.index(incident.status)
        moves = list(ORDER[here + 1 :])
        if incident.status is IncidentStatus.RESOLVED:
            moves.insert(0, IncidentStatus.INVESTIGATING)
        context = {
            "viewer": viewer,
            "nav": "incidents",
            "incident": incident,
            "moves": moves,
            "link_kinds": list(LinkKind),
            "may_manage": viewer.can(Permission.MANAGE_INCIDENTS),
            "may_draft": viewer.can(Permission.MANAGE_RULES),
        }
        return console.pages.render(request, "pages/incident.html", context)

    @routes.post("/incidents/{incident_id}/updates")
    def post(viewer: Writer, incident_id: str, text: Text, kind: Text = "update") -> Response:
        entry = _enum(EntryKind, kind, "kind")
        service.post(IncidentId(incident_id), entry, text, actor=manager(viewer))
        return done(incident_id, f"{entry.capitalize()} posted.")

    @routes.post("/incidents/{incident_id}/links")
    def link(viewer: Writer, incident_id: str, kind: Text, ref: Text, note: Text = "") -> Response:
        linked = _enum(LinkKind, kind, "kind")
        service.link(IncidentId(incident_id), linked, ref, actor=manager(viewer), note=note)
        return done(incident_id, f"Linked {linked} {ref.strip()}.")

    @routes.post("/incidents/{incident_id}/status")
    def move(viewer: Writer, incident_id: str, status: Text, note: Text = "") -> Response:
        to = _enum(IncidentStatus, status, "status")
        service.move(IncidentId(incident_id), to, actor=manager(viewer), note=note)
        return done(incident_id, f"Incident is now {to}.")

    @routes.post("/incidents/{incident_id}/owner")
    def assign(viewer: Writer, incident_id: str, owner: Text) -> Response:
        service.assign(IncidentId(incident_id), owner, actor=manager(viewer))
        return done(incident_id, f"Incident handed to {owner.strip()}.")

    @routes.post("/incidents/{incident_id}/communications")
    def communicate(
        viewer: Writer, incident_id: str, audience: Text, message: Text, channel: Text = "email"
    ) -> Response:
        service.communicate(
            IncidentId(incident_id),
            audience=audience,
            channel=channel,
            message=message,
            actor=manager(viewer),
        )
        return done(incident_id, "Communication logged.")

    @routes.post("/incidents/{incident_id}/postmortem")
    def postmortem(
        viewer: Writer,
        incident_id: str,
        summary: Text,
        root_cause: Text = "",
        impact: Text = "",
        items: Text = "",
    ) -> Response:
        service.postmortem(
            IncidentId(incident_id),
            summary=summary,
            root_cause=root_cause,
            impact=impact,
            action_items=parse_items(items),
            actor=manager(viewer),
        )
        return done(incident_id, "Post-mortem saved.")

    @routes.post("/incidents/{incident_id}/postmortem/items/{item}/draft-rule")
    def draft_rule(
        viewer: Writer, incident_id: str, item: int, name: Text, policy: Text
    ) -> Response:
        actor = manager(viewer)
        viewer.principal.require(Permission.MANAGE_RULES)
        _, version = service.draft_rule(
            IncidentId(incident_id),
            item - 1,
            name=name.strip(),
            policy=policy.strip(),
            actor=actor,
        )
        return done(incident_id, f"Draft rule {name.strip()} proposed as release {version}.")

    def done(incident_id: str, message: str) -> Response:
        response = RedirectResponse(f"/incidents/{incident_id}", status_code=303)
        console.pages.flash(response, message)
        return response

    return routes
