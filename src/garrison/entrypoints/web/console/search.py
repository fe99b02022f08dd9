"""The search page: an expression of the rule language over a time range, its histogram, the
entities it names, the matching events, saved and shared queries, CSV export and a retroactive
action on every result (see `console.retroactive`).
"""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from garrison.domain.access import Permission
from garrison.domain.actions import ActionKind
from garrison.domain.entities import EntityKind
from garrison.domain.errors import InvalidInput
from garrison.domain.language import RuleError
from garrison.entrypoints.web.console.charts import bars
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.investigate import entity_href
from garrison.entrypoints.web.console.viewer import Viewer
from garrison.services.search import SearchRequest, SearchResult
from garrison.services.search_export import parse_since, shown_event, shown_ref

RESULTS_SHOWN = 100
ACTION_KINDS = [k.value for k in ActionKind if not k.is_reversal]


def histogram(result: SearchResult) -> list[Any]:
    label = "%Y-%m-%d %H:%M" if result.bucket_seconds < 86400 else "%Y-%m-%d"
    return bars((b.start.strftime(label), b.count) for b in result.histogram)


def router(console: Console) -> APIRouter:
    routes = console.router()
    container = console.container
    Seen = Annotated[Viewer, Depends(console.gate.viewer)]  # noqa: N806 - an alias bound to this gate
    Writer = Annotated[Viewer, Depends(console.gate.writer)]  # noqa: N806

    @routes.get("/search")
    def search(request: Request, viewer: Seen, expression: str = "", since: str = "7d") -> Response:
        viewer.principal.require(Permission.READ_CONTENT)
        reveal = viewer.can(Permission.READ_PII)
        result, error = None, None
        if expression.strip():
            try:
                start = parse_since(since, container.clock.now())
                request_ = SearchRequest(expression, start, None, RESULTS_SHOWN)
                result = container.search.queries.search(viewer.principal, request_)
            except RuleError as bad:
                error = {"field": "expression", "message": str(bad)}
            except InvalidInput as bad:
                error = {"field": bad.field or "expression", "message": bad.message}
        context = {
            "viewer": viewer,
            "expression": expression,
            "since": since,
            "result": result,
            "error": error,
            "bars": histogram(result) if result else [],
            "events": [shown_event(e, reveal=reveal) for e in result.events] if result else [],
            "entities": [(shown_ref(e.ref, reveal=reveal), e) for e in result.entities][:20]
            if result
            else [],
            "saved": container.search.saved.list(viewer.principal),
            "export_href": "/v1/search/export?"
            + urlencode({"expression": expression, "since": since}),
            "href": entity_href,
            "action_kinds": ACTION_KINDS,
            "subject_kinds": [k.value for k in EntityKind],
            "may_act": viewer.can(Permission.TAKE_ACTIONS),
        }
        return console.pages.render(request, "pages/search.html", context)

    @routes.post("/search/save")
    def save(
        viewer: Writer,
        name: Annotated[str, Form()],
        expression: Annotated[str, Form()],
        since: Annotated[str, Form()] = "7d",
        shared: Annotated[bool, Form()] = False,
    ) -> Response:
        query = container.search.saved.save(
            viewer.principal, name=name, expression=expression, window=since, shared=shared
        )
        target = "/search?" + urlencode({"expression": query.expression, "since": query.window})
        response = RedirectResponse(target, status_code=303)
        console.pages.flash(response, f"Saved “{query.name}”.")
        return response

    @routes.post("/search/saved/{query_id}/delete")
    def delete(viewer: Writer, query_id: str) -> Response:
        container.search.saved.delete(viewer.principal, query_id)
        response = RedirectResponse("/search", status_code=303)
        console.pages.flash(response, "Deleted the saved query.")
        return response

    return routes
