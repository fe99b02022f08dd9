"""The event wire format: a fast hand-written validator and the JSON schema that documents it.

Ingestion is the hot path, so events are checked by plain code rather than a model; every problem
raises InvalidInput naming the field (for example `events[3].occurred_at`) and the reason.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import orjson

from garrison.domain.entities import EntityKind
from garrison.domain.errors import InvalidInput
from garrison.domain.events import Event
from garrison.domain.ids import EventId

MAX_ID_LENGTH = 200
MAX_TYPE_LENGTH = 100
MAX_BATCH = 1000
TYPE_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$"

_TYPE = re.compile(TYPE_PATTERN)
_FIELDS = ("id", "type", "occurred_at", "entities", "attributes")
_KINDS = {kind.value: kind for kind in EntityKind}
_KNOWN_KINDS = ", ".join(_KINDS)

EVENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Event",
    "required": ["id", "type", "occurred_at", "entities"],
    "additionalProperties": False,
    "properties": {
        "id": {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_ID_LENGTH,
            "description": "Idempotency key: the same id with the same body returns the same "
            "decision; with another body it is a 409.",
        },
        "type": {
            "type": "string",
            "pattern": TYPE_PATTERN,
            "maxLength": MAX_TYPE_LENGTH,
            "examples": ["payment.attempt"],
        },
        "occurred_at": {
            "type": "string",
            "format": "date-time",
            "description": "ISO-8601 with a timezone.",
        },
        "entities": {
            "type": "object",
            "propertyNames": {"enum": list(_KINDS)},
            "additionalProperties": {"type": "string", "minLength": 1, "maxLength": MAX_ID_LENGTH},
            "examples": [{"account": "acct_42", "ip": "203.0.113.9"}],
        },
        "attributes": {"type": "object", "additionalProperties": True},
    },
}
BATCH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "EventBatch",
    "required": ["events"],
    "additionalProperties": False,
    "properties": {
        "events": {"type": "array", "minItems": 1, "maxItems": MAX_BATCH, "items": EVENT_SCHEMA}
    },
}


def request_body(schema: dict[str, Any]) -> dict[str, Any]:
    """`openapi_extra` documenting a JSON body that the handler reads itself."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def decode_json(body: bytes) -> object:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise InvalidInput(f"request body is not valid JSON: {error}") from None


def parse_event(raw: object, at: str = "") -> Event:
    """Check one event body; problems name their field, prefixed with `at` (`events[3]`)."""
    if not isinstance(raw, dict):
        raise InvalidInput("an event must be a JSON object", field=at or None)
    for name in raw:
        if name not in _FIELDS:
            raise InvalidInput(
                f"unknown field (known: {', '.join(_FIELDS)})", field=_join(at, name)
            )
    event_id = _text(raw, "id", at, MAX_ID_LENGTH)
    event_type = _text(raw, "type", at, MAX_TYPE_LENGTH)
    if not _TYPE.match(event_type):
        raise InvalidInput(
            "must be lowercase dotted words such as 'payment.attempt'", field=_join(at, "type")
        )
    attributes = raw.get("attributes")
    if attributes is None:
        attributes = {}
    elif not isinstance(attributes, dict):
        raise InvalidInput("must be a JSON object", field=_join(at, "attributes"))
    return Event(
        EventId(event_id),
        event_type,
        _timestamp(raw, at),
        _entities(raw, at),
        attributes,
    )


def parse_batch(raw: object) -> list[Event | InvalidInput]:
    """Check the envelope (raising for it) and each event (a problem is that item's result)."""
    if not isinstance(raw, dict) or "events" not in raw:
        raise InvalidInput('expected {"events": [...]}', field="events")
    extra = sorted(name for name in raw if name != "events")
    if extra:
        raise InvalidInput("unknown field (known: events)", field=extra[0])
    events = raw["events"]
    if not isinstance(events, list):
        raise InvalidInput("must be a list of events", field="events")
    if not 1 <= len(events) <= MAX_BATCH:
        raise InvalidInput(
            f"a batch holds 1 to {MAX_BATCH} events, got {len(events)}", field="events"
        )
    parsed: list[Event | InvalidInput] = []
    for index, item in enumerate(events):
        try:
            parsed.append(parse_event(item, f"events[{index}]"))
        except InvalidInput as problem:
            parsed.append(problem)
    return parsed


def _join(at: str, name: str) -> str:
    return f"{at}.{name}" if at else name


def _text(raw: dict[str, Any], name: str, at: str, max_length: int) -> str:
    value = raw.get(name)
    if value is None:
        raise InvalidInput("field required", field=_join(at, name))
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("must be a non-empty string", field=_join(at, name))
    if len(value) > max_length:
        raise InvalidInput(f"must be at most {max_length} characters", field=_join(at, name))
    return value


def _timestamp(raw: dict[str, Any], at: str) -> datetime:
    field = _join(at, "occurred_at")
    value = raw.get("occurred_at")
    if value is None:
        raise InvalidInput("field required", field=field)
    if not isinstance(value, str):
        raise InvalidInput("must be an ISO-8601 string", field=field)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"not an ISO-8601 date-time: {value[:40]!r}", field=field) from None
    if parsed.tzinfo is None:
        raise InvalidInput("needs a timezone, for example 2025-01-31T12:00:00Z", field=field)
    return parsed.astimezone(UTC)


def _entities(raw: dict[str, Any], at: str) -> dict[EntityKind, str]:
    field = _join(at, "entities")
    value = raw.get("entities")
    if value is None:
        raise InvalidInput("field required", field=field)
    if not isinstance(value, dict):
        raise InvalidInput("must be a JSON object of kind to id", field=field)
    entities: dict[EntityKind, str] = {}
    for name, ident in value.items():
        kind = _KINDS.get(name)
        if kind is None:
            raise InvalidInput(
                f"unknown entity kind {name!r} (known: {_KNOWN_KINDS})", field=f"{field}.{name}"
            )
        if not isinstance(ident, str) or not ident or len(ident) > MAX_ID_LENGTH:
            raise InvalidInput(
                f"must be a string of 1 to {MAX_ID_LENGTH} characters", field=f"{field}.{name}"
            )
        entities[kind] = ident
    return entities
