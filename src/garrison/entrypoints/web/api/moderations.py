"""`POST /v1/moderations`: OpenAI's moderation API shape, backed by the configured text model.

The official `openai` client works against it by pointing its `base_url` at `<garrison>/v1`.
The model directory comes from `GARRISON_TEXT_MODEL_DIR`; it is loaded on the first call and
kept on the app (a model directory is immutable). Without one the endpoint answers 503.
With `GARRISON_MODERATION_RECORD_EVENTS` on, each text is also ingested as a `content.submitted`
event carrying its scores (`services.moderation_events`), so rules can act on it.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from garrison.domain.access import Principal, PrincipalKind
from garrison.domain.errors import InvalidInput
from garrison.entrypoints.web.api.deps import web_state
from garrison.entrypoints.web.auth import Ingester
from garrison.entrypoints.web.errors import error_response
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.services.moderation import (
    ModerationResult,
    ModerationService,
    ModerationUnavailable,
)
from garrison.services.moderation_events import moderation_events

router = APIRouter(prefix="/v1/moderations", tags=["moderation"])


class TextPart(BaseModel):
    type: str = Field(description="Only `text` parts are moderated.")
    text: str | None = None


class ModerationIn(BaseModel):
    input: str | list[str] | list[TextPart] = Field(description="A text or a list of texts.")
    model: str | None = Field(None, description="Ignored: the configured model answers.")


class ModerationItem(BaseModel):
    flagged: bool
    categories: dict[str, bool]
    category_scores: dict[str, float]


class ModerationOut(BaseModel):
    id: str
    model: str
    results: list[ModerationItem]


def _texts(body: ModerationIn) -> list[str]:
    if isinstance(body.input, str):
        return [body.input]
    texts: list[str] = []
    for part in body.input:
        if isinstance(part, str):
            texts.append(part)
        elif part.type == "text" and part.text is not None:
            texts.append(part.text)
        else:
            raise InvalidInput(f"only text input is moderated, not {part.type!r}", field="input")
    return texts


def moderation_service(request: Request) -> ModerationService:
    """The app's moderation service, built on first use from the settings."""
    service: ModerationService | None = getattr(request.app.state, "moderation", None)
    if service is None:
        service = _build(request)
        request.app.state.moderation = service
    return service


def _build(request: Request) -> ModerationService:
    container = web_state(request).container
    directory = container.settings.text_model_dir
    if directory is None:
        return ModerationService(None)
    from garrison.adapters.ml.text.moderation import ModelClassifier

    try:
        classifier = ModelClassifier.load(directory)
    except InvalidInput as error:
        raise ModerationUnavailable(f"the text model cannot be loaded: {error.message}") from None
    with container.uow() as uow:
        taxonomy = uow.taxonomies.latest()
    return ModerationService(classifier, taxonomy.policies if taxonomy is not None else ())


@router.post(
    "",
    response_model=ModerationOut,
    responses=error_responses(401, 403, 422, 503),
    summary="Classify texts in OpenAI's moderation shape",
)
async def create_moderation(body: ModerationIn, request: Request, principal: Ingester) -> Any:
    texts = _texts(body)
    try:
        service = moderation_service(request)
        results = await run_in_threadpool(service.moderate, texts)
        model = service.model
    except ModerationUnavailable as error:
        return error_response(503, error.code, error.message, error.field)
    digest = hashlib.sha256("\x1f".join(texts).encode()).hexdigest()[:24]
    if web_state(request).container.settings.moderation_record_events:
        await run_in_threadpool(_record, request, principal, texts, results, model)
    return JSONResponse(
        {
            "id": f"modr-{digest}",
            "model": model,
            "results": [
                {
                    "flagged": r.flagged,
                    "categories": r.categories,
                    "category_scores": r.category_scores,
                }
                for r in results
            ],
        }
    )


def _record(
    request: Request,
    principal: Principal,
    texts: list[str],
    results: list[ModerationResult],
    model: str,
) -> None:
    """Ingest one `content.submitted` event per text (a fresh id per call: never a replay)."""
    container = web_state(request).container
    events = moderation_events(
        f"modr-{uuid.uuid4().hex}",
        texts,
        results,
        model=model,
        occurred_at=container.clock.now(),
        api_key=principal.id if principal.kind is PrincipalKind.MACHINE else None,
    )
    container.ingest.process_batch(events)
