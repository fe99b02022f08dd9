"""Event schemas: each event type's entities and typed attributes, so rules can be checked.

A schema file is TOML with one table per event type:

    [event."payment.attempt"]
    description = "A card payment was tried"
    entities = ["account", "org", "payment_method", "ip"]
    attributes = { amount_usd = "float", result = "str" }

Attribute types are `str`, `int`, `float`, `bool`, `number` (int or float), `list` and `any`.
An attribute may always be missing from an event; the types say what it is when present.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from garrison.domain.entities import EntityKind
from garrison.domain.language.errors import SourceMap
from garrison.domain.language.tomlsource import Section, headers, load_toml, top_level_line
from garrison.domain.language.valuetypes import ValueType, widen

EVENT_KEYS = ("description", "entities", "attributes")


@dataclass(frozen=True, slots=True)
class EventSchema:
    type: str
    entities: frozenset[EntityKind]
    attributes: Mapping[str, ValueType]
    description: str = ""


@dataclass(frozen=True, slots=True)
class EventSchemas:
    """Every event type a deployment receives, for the checks of `compile_rule`."""

    events: Mapping[str, EventSchema] = field(default_factory=dict)

    @property
    def event_types(self) -> frozenset[str]:
        return frozenset(self.events)

    def known(self, event_types: Iterable[str] | None) -> list[EventSchema]:
        """The schemas of `event_types` (every schema for None), unknown types skipped."""
        if event_types is None:
            return list(self.events.values())
        return [self.events[name] for name in sorted(event_types) if name in self.events]

    def attribute_type(self, event_types: Iterable[str] | None, name: str) -> ValueType | None:
        """The type of attribute `name` on events of these types (any type when None); None when
        none of them declares it. Types declared differently are widened (int + float: number)."""
        found = (s.attributes[name] for s in self.known(event_types) if name in s.attributes)
        return widen(found)

    def attribute_names(self, event_types: Iterable[str] | None) -> set[str]:
        return {name for schema in self.known(event_types) for name in schema.attributes}

    def has_entity(self, event_types: Iterable[str] | None, kind: EntityKind) -> bool:
        return any(kind in schema.entities for schema in self.known(event_types))

    def suggest_type(self, name: str) -> str:
        return did_you_mean(name, self.events)

    def suggest_attribute(self, event_types: Iterable[str] | None, name: str) -> str:
        return did_you_mean(name, self.attribute_names(event_types), prefix="attr.")


def did_you_mean(word: str, choices: Iterable[str], *, prefix: str = "") -> str:
    """` (did you mean 'x'?)` for the closest choice, or nothing."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean {prefix}{close[0]}?)" if close else ""


def parse_schemas(text: str, path: str = "<schemas>") -> EventSchemas:
    """Read a schema file; errors are `RuleError`s at `path:line:col`, like rule files."""
    file = SourceMap.of_text(text, path)
    data = load_toml(text, file)
    for key in data:
        if key != "event":
            line = top_level_line(file, key)
            raise file.error(f'unknown top-level key {key!r}: write [event."type"]', line, 1)
    events = data.get("event", {})
    if not isinstance(events, dict):
        raise file.error(
            'write each event type as [event."type"]', top_level_line(file, "event"), 1
        )
    schemas = {}
    for name, table in events.items():
        section = _section(file, name)
        if not isinstance(table, dict):
            raise section.error(f'write event type {name!r} as a table [event."{name}"]')
        schemas[name] = _read_event(name, table, section)
    return EventSchemas(schemas)


def _section(file: SourceMap, name: str) -> Section:
    """The lines of `[event."name"]` (and of its `.attributes` sub-table, when written so)."""
    spellings = {f'event."{name}"', f"event.'{name}'", f"event.{name}"}
    found = headers(file)
    own = [h for h in found if not h.array and h.name in spellings]
    if not own:
        line = _key_line(file, name) or top_level_line(file, "event")
        return Section(file, line, line, f"event.{name}")
    start = own[0].line
    subtables = {f"{spelling}.attributes" for spelling in spellings}
    stop = len(file.lines) + 1
    for header in found:
        if header.line > start and header.name not in subtables:
            stop = header.line
            break
    return Section(file, start, stop, f"event.{name}")


def _key_line(file: SourceMap, name: str) -> int | None:
    """The line of `name = ...` (an event type written inside `[event]`)."""
    quoted = re.escape(name)
    pattern = re.compile(rf"\s*(?:{quoted}|\"{quoted}\"|'{quoted}')\s*=")
    return next((n for n, line in enumerate(file.lines, 1) if pattern.match(line)), None)


def _read_event(name: str, table: Mapping[str, Any], section: Section) -> EventSchema:
    for key in table:
        if key not in EVENT_KEYS:
            reason = f"unknown key {key!r} (known: {', '.join(EVENT_KEYS)})"
            raise section.error(reason, key, at_key=True)
    description = table.get("description", "")
    if not isinstance(description, str):
        raise section.error("'description' must be a string", "description")
    return EventSchema(name, _entities(table, section), _attributes(table, section), description)


def _entities(table: Mapping[str, Any], section: Section) -> frozenset[EntityKind]:
    value = table.get("entities", [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise section.error("'entities' must be a list of entity kinds", "entities")
    kinds = set()
    for item in value:
        try:
            kinds.add(EntityKind(item))
        except ValueError:
            known = ", ".join(k.value for k in EntityKind)
            reason = f"unknown entity kind {item!r}{did_you_mean(item, EntityKind)}"
            reason = f"{reason} (known: {known})"
            raise section.error_at(reason, item, "entities", "entities") from None
    return frozenset(kinds)


def _attributes(table: Mapping[str, Any], section: Section) -> dict[str, ValueType]:
    value = table.get("attributes", {})
    if not isinstance(value, dict):
        raise section.error("'attributes' must be a table of name = \"type\"", "attributes")
    out = {}
    for attribute, type_name in value.items():
        try:
            out[attribute] = ValueType(type_name)
        except (ValueError, TypeError):
            known = ", ".join(t.value for t in ValueType)
            reason = f"attribute {attribute!r} has unknown type {type_name!r} (known: {known})"
            text = type_name if isinstance(type_name, str) else attribute
            raise section.error_at(reason, text, attribute, f"attributes.{attribute}") from None
    return out
