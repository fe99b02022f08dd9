"""Operational endpoints, without authentication: liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from garrison.adapters.telemetry import METRICS_CONTENT_TYPE
from garrison.entrypoints.web.api.deps import ContainerDep, web_state
from garrison.entrypoints.web.errors import error_response

router = APIRouter(tags=["ops"])


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Storage answers (503 when it does not)")
def readyz(container: ContainerDep) -> Response:
    if not container.ready():
        return error_response(503, "not_ready", "storage is not answering")
    return Response(b'{"status":"ok"}', media_type="application/json")


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    return Response(web_state(request).metrics.render(), media_type=METRICS_CONTENT_TYPE)
