"""What a request handler may reach: the container, the session codec and the metrics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from garrison.adapters.telemetry import Metrics
from garrison.bootstrap import Container
from garrison.entrypoints.web.sessions import SessionCodec


@dataclass(frozen=True, slots=True)
class WebState:
    """Kept on `app.state.web` by `create_app`."""

    container: Container
    sessions: SessionCodec
    metrics: Metrics


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


async def container_of(request: Request) -> Container:
    """Dependency (async: it does no I/O, so it runs without a thread hop)."""
    return web_state(request).container


ContainerDep = Annotated[Container, Depends(container_of)]
