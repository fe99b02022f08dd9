"""The analyst console: server-rendered pages (Jinja2 + htmx 2) for queues, cases and the audit log.

`install(app, container)` adds the console's routes and its static files to a FastAPI app.
Route modules do not use `from __future__ import annotations`: FastAPI reads their dependency
annotations at definition time, and those name objects local to each `router()` factory.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from garrison.bootstrap import Container
from garrison.entrypoints.web.console import appeals as appeal_pages
from garrison.entrypoints.web.console import (
    audit,
    auth_pages,
    case_work,
    cases,
    dashboards,
    incidents,
    investigate,
    models,
    policy_pages,
    quality,
    queues,
    releases,
    rule_backtest,
    rule_editor,
    rules,
    wellness_pages,
)
from garrison.entrypoints.web.console import retroactive as retroactive_pages
from garrison.entrypoints.web.console import search as search_pages
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.pages import STATIC_DIR, Pages
from garrison.entrypoints.web.console.routing import console_route
from garrison.entrypoints.web.console.viewer import Gate
from garrison.entrypoints.web.sessions import SessionCodec

__all__ = ["install"]


def install(app: FastAPI, container: Container) -> None:
    """Mount the console pages at `/` and its assets at `/static`."""
    settings = container.settings
    pages = Pages(container.clock, container.secret_key, cookie_secure=settings.cookie_secure)
    codec = SessionCodec(container.secret_key, settings.session_max_age_seconds)
    console = Console(container, pages, Gate(container.access, codec), console_route(pages))
    pages_of = (auth_pages, queues, cases, audit, investigate)
    for module in (*pages_of, rules, rule_editor, rule_backtest, releases):
        app.include_router(module.router(console))
    app.include_router(models.router(console))
    for review_pages in (policy_pages, wellness_pages, case_work):
        app.include_router(review_pages.router(console))
    for watch_pages in (dashboards, incidents):
        app.include_router(watch_pages.router(console))
    app.include_router(appeal_pages.router(console))
    app.include_router(quality.router(console))
    for investigation_pages in (search_pages, retroactive_pages):
        app.include_router(investigation_pages.router(console))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
