"""Long-running processes: `garrison serve` (the web server) and `garrison worker`."""

from __future__ import annotations

import threading
from typing import Annotated

import typer
import uvicorn

from garrison import bootstrap
from garrison.entrypoints.cli.environment import (
    configure_logging,
    load_settings,
    open_container,
    stop_on_signals,
)
from garrison.entrypoints.watch_jobs import start_watch_jobs
from garrison.entrypoints.worker import run_worker

ASGI_FACTORY = "garrison.entrypoints.web.asgi:create"


def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default: GARRISON_HOST).")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to listen on (default: GARRISON_PORT).", min=1)
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(help="Server processes (default: GARRISON_WORKERS).", min=1),
    ] = None,
    migrate: Annotated[
        bool, typer.Option("--migrate/--no-migrate", help="Migrate the schema before serving.")
    ] = True,
) -> None:
    """Run the web server: REST API under /v1, the analyst console, /healthz and /readyz."""
    settings = load_settings()
    if migrate:
        bootstrap.migrate(settings)
    configure_logging(settings)
    uvicorn.run(
        ASGI_FACTORY,
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        log_config=None,
    )


def worker(
    once: Annotated[
        bool, typer.Option("--once", help="Process everything due now, then exit.")
    ] = False,
    interval: Annotated[
        float | None,
        typer.Option(
            help="Seconds between idle passes (default: GARRISON_DISPATCH_INTERVAL_SECONDS).",
            min=0.01,
        ),
    ] = None,
) -> None:
    """Run the dispatcher: perform planned actions and send webhooks (logs one line per busy pass).

    Set GARRISON_DISPATCH_IN_SERVER=false on the web servers when a worker runs. Stops cleanly on
    SIGINT or SIGTERM after the current pass.
    """
    settings = load_settings()
    configure_logging(settings)
    stop = threading.Event()
    with open_container(settings) as container, stop_on_signals(stop):
        start_watch_jobs(container, stop, once=once)
        run_worker(container, interval or settings.dispatch_interval_seconds, stop, once=once)
