"""One event written in a rule file (an example's `event`, an item of a test's `events`).

    { type = "payment.attempt", occurred_at = 2024-05-01T12:00:00Z,
      entities = { account = "a1" }, attributes = { amount_usd = 1.0 } }

Attribute values are what JSON carries (TOML dates are refused: write them as strings). With
schemas the type must be declared, and so must its entities and attributes, with their types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from garrison.domain.entities import EntityKind
from garrison.domain.errors import InvalidInput
from garrison.domain.language.errors import RuleError
from garrison.domain.language.filemodel import ExampleEvent
from garrison.domain.language.schemas import EventSchemas, did_you_mean
from garrison.domain.language.signalkeys import signal_key
from garrison.domain.language.tomlsource import Section
from garrison.domain.signals import Needs

EVENT_KEYS = ("type", "entities", "attributes")
SEQUENCE_KEYS = ("type", "occurred_at", "entities", "attributes", "signals")


def read_event(
    value: Any,
    section: Section,
    key: str,
    schemas: EventSchemas | None,
    *,
    sequence: bool,
    needs: Needs | None = None,
) -> ExampleEvent:
    """The event of `value`, written under `key` in `section`; `RuleError` at the first problem."""

    def fail(reason: str, text: str | None = None) -> RuleError:
        if text is not None:
            return section.error_at(reason, text, key, key)
        return section.error(reason, key)

    if not isinstance(value, dict):
        raise fail('an event is a table: { type = "...", entities = {...}, attributes = {...} }')
    keys = SEQUENCE_KEYS if sequence else EVENT_KEYS
    for name in value:
        if name not in keys:
            raise fail(f"unknown event key {name!r} (known: {', '.join(keys)})")
    event_type = value.get("type")
    if not isinstance(event_type, str) or not event_type:
        raise fail("an event needs a 'type' string")
    try:
        event = ExampleEvent(
            event_type,
            _entities(value.get("entities", {})),
            _attributes(value.get("attributes", {})),
            _occurred_at(value.get("occurred_at")),
            _signals(value.get("signals", {}), needs or Needs()),
        )
        if schemas is not None:
            _fit(event, schemas)
    except _Misfit as misfit:
        raise fail(misfit.reason, misfit.text) from None
    return event


class _Misfit(Exception):
    def __init__(self, reason: str, text: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.text = reason, text


def _entities(value: Any) -> dict[EntityKind, str]:
    if not isinstance(value, dict):
        raise _Misfit("'entities' must be a table like { account = \"a1\" }")
    out = {}
    for kind, ident in value.items():
        try:
            entity = EntityKind(kind)
        except ValueError:
            raise _Misfit(f"unknown entity kind {kind!r}{did_you_mean(kind, EntityKind)}") from None
        if not isinstance(ident, str) or not ident:
            raise _Misfit(f"the {kind} id must be a non-empty string")
        out[entity] = ident
    return out


def _attributes(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Misfit("'attributes' must be a table")
    for name, item in value.items():
        if not _json(item):
            raise _Misfit(f"attribute {name!r} holds a TOML date or time: write it as a string")
    return dict(value)


def _json(value: Any) -> bool:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return False
    if isinstance(value, list):
        return all(map(_json, value))
    if isinstance(value, dict):
        return all(map(_json, value.values()))
    return True


def _occurred_at(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise _Misfit(f"'occurred_at' {value!r} is not an ISO 8601 time", value) from None
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise _Misfit("'occurred_at' must be a time with its offset, like 2024-05-01T12:00:00Z")
    return value


def _signals(value: Any, needs: Needs) -> Mapping[str, Any]:
    """Per-event scores and enrichment in a sequence test (velocity is computed there)."""
    if not isinstance(value, dict):
        raise _Misfit("'signals' must be a table of values by signal")
    for text, item in value.items():
        try:
            key = signal_key(text, needs)
        except InvalidInput as exc:
            raise _Misfit(exc.message, text) from None
        if key.velocity is not None:
            raise _Misfit("velocity is computed from the test's events: do not set it", text)
        problem = key.check_value(item) or (
            None if key.read_by(needs) else f"no rule here reads {key.label()}"
        )
        if problem:
            raise _Misfit(problem, text)
    return dict(value)


def _fit(event: ExampleEvent, schemas: EventSchemas) -> None:
    schema = schemas.events.get(event.type)
    if schema is None:
        raise _Misfit(
            f"unknown event type {event.type!r}{schemas.suggest_type(event.type)}", event.type
        )
    for kind in event.entities:
        if kind not in schema.entities:
            raise _Misfit(f"{event.type} events have no {kind} entity")
    for name, item in event.attributes.items():
        declared = schema.attributes.get(name)
        if declared is None:
            hint = did_you_mean(name, schema.attributes)
            raise _Misfit(f"{event.type} events have no attribute {name!r}{hint}")
        if not declared.accepts(item):
            raise _Misfit(
                f"attribute {name!r} of {event.type} events is a {declared}, not {item!r}"
            )
