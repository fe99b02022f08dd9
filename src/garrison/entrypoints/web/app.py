"""The web app factory: the REST API under /v1, operational endpoints and the analyst console.

    app = create_app(bootstrap(settings))

The app owns no resources of its own: the caller builds the container and closes it. When
`dispatch_in_server` is on, the app's lifespan runs the dispatcher in a background thread.
"""

from __future__ import annotations

import importlib
import importlib.util
from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI

from garrison.adapters.telemetry import Metrics
from garrison.bootstrap import Container
from garrison.entrypoints.web.api import audit, cases, decisions, events, ops, queues, webhooks
from garrison.entrypoints.web.api.deps import WebState
from garrison.entrypoints.web.api.enforcement import ENFORCEMENT_ROUTERS
from garrison.entrypoints.web.api.entities import router as entities_router
from garrison.entrypoints.web.api.entity_labels import router as entity_labels_router
from garrison.entrypoints.web.api.investigations import INVESTIGATION_ROUTERS
from garrison.entrypoints.web.api.labels import QUALITY_ROUTERS
from garrison.entrypoints.web.api.lifecycle import LIFECYCLE_ROUTERS
from garrison.entrypoints.web.api.lists import router as lists_router
from garrison.entrypoints.web.api.models import router as models_router
from garrison.entrypoints.web.api.moderations import router as moderations_router
from garrison.entrypoints.web.api.policies import POLICY_ROUTERS
from garrison.entrypoints.web.api.review_ops import router as review_ops_router
from garrison.entrypoints.web.api.rings import router as rings_router
from garrison.entrypoints.web.api.watch import WATCH_ROUTERS
from garrison.entrypoints.web.background import lifespan_for
from garrison.entrypoints.web.errors import install_error_handlers
from garrison.entrypoints.web.middleware import RequestTelemetry
from garrison.entrypoints.web.sessions import SessionCodec

CONSOLE_MODULE = "garrison.entrypoints.web.console"
DESCRIPTION = (
    "Events in, decisions out; human review of what the rules send to queues. Machines "
    "authenticate with `Authorization: Bearer <api key>`. Every error has the shape "
    '`{"error": {"code", "message", "field"}}`.'
)


def create_app(container: Container) -> FastAPI:
    app = FastAPI(
        title="Garrison",
        version=_package_version(),
        description=DESCRIPTION,
        lifespan=lifespan_for(container),
    )
    sessions = SessionCodec(container.secret_key, container.settings.session_max_age_seconds)
    metrics = Metrics()
    app.state.web = WebState(container, sessions, metrics)
    install_error_handlers(app)
    app.add_middleware(RequestTelemetry, metrics=metrics)
    for module in (ops, events, queues, cases, decisions, audit, webhooks):
        app.include_router(module.router)
    app.include_router(lists_router)
    app.include_router(models_router)
    app.include_router(moderations_router)
    app.include_router(entity_labels_router)
    app.include_router(entities_router)
    app.include_router(rings_router)
    for investigation_router in INVESTIGATION_ROUTERS:
        app.include_router(investigation_router)
    for watch_router in WATCH_ROUTERS:
        app.include_router(watch_router)
    for policy_router in POLICY_ROUTERS:
        app.include_router(policy_router)
    app.include_router(review_ops_router)
    for lifecycle_router in LIFECYCLE_ROUTERS:
        app.include_router(lifecycle_router)
    for enforcement_router in ENFORCEMENT_ROUTERS:
        app.include_router(enforcement_router)
    for quality_router in QUALITY_ROUTERS:
        app.include_router(quality_router)
    _install_console(app, container)
    return app


def _install_console(app: FastAPI, container: Container) -> None:
    """Mount the analyst console when its package is present (it is optional for the API)."""
    if importlib.util.find_spec(CONSOLE_MODULE) is None:
        return
    console = importlib.import_module(CONSOLE_MODULE)
    console.install(app, container)


def _package_version() -> str:
    try:
        return version("garrison")
    except PackageNotFoundError:
        return "0.0.0"
