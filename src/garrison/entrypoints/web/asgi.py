"""The ASGI app factory for `uvicorn garrison.entrypoints.web.asgi:create --factory`.

`garrison serve` points uvicorn here, so every server process (one per `--workers`) builds its
own container from the same `GARRISON_` settings.
"""

from __future__ import annotations

from fastapi import FastAPI

from garrison.adapters.telemetry import configure_logging
from garrison.bootstrap import bootstrap
from garrison.config import Settings
from garrison.entrypoints.web.app import create_app


def create() -> FastAPI:
    settings = Settings()
    configure_logging(settings.log_level, settings.log_json)
    return create_app(bootstrap(settings))
