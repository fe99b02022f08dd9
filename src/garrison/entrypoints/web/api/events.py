"""Ingestion: `POST /v1/events` and `POST /v1/events/batch`, the hot path.

Both answer 200 with the decision, for a new event and for a replay alike (`replayed` tells them
apart); the same id with another body is a 409. Bodies are read and checked by hand and answered
with orjson bytes; the OpenAPI document still describes both shapes.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from garrison.adapters.telemetry import Metrics
from garrison.domain.errors import GarrisonError, InvalidInput
from garrison.domain.events import Event
from garrison.entrypoints.web.api.deps import web_state
from garrison.entrypoints.web.auth import Ingester
from garrison.entrypoints.web.errors import JSON, error_body, status_for
from garrison.entrypoints.web.schemas.decisions import BatchOut, IngestOut, ingest_wire
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.events import (
    BATCH_SCHEMA,
    EVENT_SCHEMA,
    decode_json,
    parse_batch,
    parse_event,
    request_body,
)
from garrison.services.ingest import IngestResult

router = APIRouter(prefix="/v1/events", tags=["events"])


@router.post(
    "",
    response_model=IngestOut,
    responses=error_responses(401, 403, 409, 422),
    openapi_extra=request_body(EVENT_SCHEMA),
    summary="Ingest one event and get its decision",
)
async def ingest_event(request: Request, principal: Ingester) -> Response:
    state = web_state(request)
    try:
        event = parse_event(decode_json(await request.body()))
        result = await run_in_threadpool(state.container.ingest.process, event)
    except GarrisonError:
        state.metrics.ingested.labels("rejected").inc()
        raise
    return Response(orjson.dumps(_item(result, state.metrics)), media_type=JSON)


@router.post(
    "/batch",
    response_model=BatchOut,
    responses=error_responses(401, 403, 422),
    openapi_extra=request_body(BATCH_SCHEMA),
    summary="Ingest up to 1000 events; each gets its decision or its own error, in order",
)
async def ingest_batch(request: Request, principal: Ingester) -> Response:
    state = web_state(request)
    parsed = parse_batch(decode_json(await request.body()))
    events = [item for item in parsed if isinstance(item, Event)]
    processed = iter(await run_in_threadpool(state.container.ingest.process_batch, events))
    results = [
        _item(item if isinstance(item, InvalidInput) else next(processed), state.metrics)
        for item in parsed
    ]
    return Response(orjson.dumps({"results": results}), media_type=JSON)


def _item(outcome: IngestResult | GarrisonError, metrics: Metrics) -> dict[str, Any]:
    if isinstance(outcome, GarrisonError):
        metrics.ingested.labels("rejected").inc()
        body = error_body(outcome.code, outcome.message, outcome.field)
        body["status"] = status_for(outcome)
        return body
    if outcome.replayed:
        metrics.ingested.labels("replayed").inc()
    else:
        metrics.ingested.labels("decided").inc()
        metrics.decisions.labels(outcome.decision.verdict.value).inc()
    return ingest_wire(outcome)
