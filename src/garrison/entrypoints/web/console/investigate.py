"""Investigation pages: an entity's timeline, links and graph; the rings list and one ring.

Personal data (email and IP addresses) is shown redacted; people who may read it press Reveal,
which fetches the full values in an audited request. The graph is drawn by the vendored
cytoscape.js from `GET /v1/entities/{kind}/{id}/graph`, one hop more per node clicked.
"""

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from garrison.domain.access import Permission
from garrison.domain.actions import ActionKind
from garrison.domain.entities import EntityRef
from garrison.domain.redaction import is_pii, redact_ref
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.viewer import Viewer
from garrison.services.timeline import MAX_OFFSET

PAGE_SIZE = 50
RINGS_SHOWN = 100


def entity_href(ref: EntityRef) -> str:
    return f"/entities/{ref.kind.value}/{ref.id}"


def router(console: Console) -> APIRouter:
    routes = console.router()
    container = console.container
    Seen = Annotated[Viewer, Depends(console.gate.viewer)]  # noqa: N806 - an alias bound to this gate
    Writer = Annotated[Viewer, Depends(console.gate.writer)]  # noqa: N806

    @routes.get("/entities/{kind}/{entity_id}")
    def entity(
        request: Request, viewer: Seen, kind: str, entity_id: str, offset: int = 0
    ) -> Response:
        subject = EntityRef.parse(f"{kind}:{entity_id}", field="kind")
        offset = min(max(0, offset), MAX_OFFSET)
        page = container.investigations.entity_page(
            viewer.principal, subject, limit=PAGE_SIZE, offset=offset
        )
        context = {
            "viewer": viewer,
            "page": page,
            "graph_ref": str(subject),
            "may_reveal": viewer.can(Permission.READ_PII),
            "page_size": PAGE_SIZE,
            "href": entity_href,
        }
        return console.pages.render(request, "pages/entity.html", context)

    @routes.post("/entities/{kind}/{entity_id}/reveal")
    def reveal(
        request: Request, viewer: Writer, kind: str, entity_id: str, offset: int = 0
    ) -> Response:
        subject = EntityRef.parse(f"{kind}:{entity_id}", field="kind")
        found = container.investigations.reveal(
            viewer.principal, subject, limit=PAGE_SIZE, offset=min(max(0, offset), MAX_OFFSET)
        )
        context = {"viewer": viewer, "found": found, "parse": EntityRef.parse}
        return console.pages.render(request, "partials/revealed.html", context)

    @routes.get("/rings")
    def ring_list(request: Request, viewer: Seen, min_size: int = 2) -> Response:
        min_size = max(2, min_size)
        rings = container.rings.rings(viewer.principal, min_size=min_size, limit=RINGS_SHOWN)
        context = {
            "viewer": viewer,
            "rings": rings,
            "min_size": min_size,
            "shown": RINGS_SHOWN,
            "redact": redact_ref,
            "may_detect": viewer.can(Permission.OPERATE),
        }
        return console.pages.render(request, "pages/rings.html", context)

    @routes.post("/rings/detect")
    def detect(viewer: Writer) -> Response:
        viewer.principal.require(Permission.OPERATE)
        found = container.rings.detect(actor=viewer.principal.actor)
        response = RedirectResponse("/rings", status_code=303)
        console.pages.flash(
            response, f"Found {found.rings} rings; {found.flagged} opened a review case."
        )
        return response

    @routes.get("/rings/{ring_id}")
    def ring_page(request: Request, viewer: Seen, ring_id: str) -> Response:
        ring = container.rings.ring(viewer.principal, ring_id)
        context = {
            "viewer": viewer,
            "ring": ring,
            "graph_ref": str(ring.riskiest_member),
            "redact": redact_ref,
            "is_pii": is_pii,
            "href": entity_href,
            "may_act": viewer.can(Permission.TAKE_ACTIONS),
            "action_kinds": [k.value for k in ActionKind if not k.is_reversal],
        }
        return console.pages.render(request, "pages/ring.html", context)

    return routes
