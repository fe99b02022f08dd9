"""Velocity aggregates: read every window a release needs, one batch per aggregate; record events.

The semantics are defined once, in `garrison.services.signals`; this module implements them on
the Counters port. Storage keys come from `VelocitySpec.counter_key`, so windows of different
lengths over the same key share their buckets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from garrison.domain.entities import EntityKind
from garrison.domain.events import Event, JsonValue
from garrison.domain.signals import (
    Aggregate,
    FieldRef,
    VelocitySpec,
    bucket_of,
    counter_key,
    window_buckets,
)
from garrison.services.unit_of_work import UnitOfWork

MAX_VALUE_TEXT = 200
"""Longer keys and values are stored as their SHA-256 (`sha256:...`), to keep the index small."""


def signal_text(value: JsonValue) -> str:
    """The text a key or a distinct value is compared by: `str(value)`, hashed when long."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= MAX_VALUE_TEXT:
        return text
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def amount_of(value: JsonValue) -> float | None:
    """What a SUM adds for a value: numbers count, anything else (booleans too) adds nothing."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def storage_key(spec: VelocitySpec, event: Event) -> str | None:
    key_value = spec.key.read(event)
    return None if key_value is None else spec.counter_key(signal_text(key_value))


def read(uow: UnitOfWork, specs: Iterable[VelocitySpec], event: Event) -> dict[VelocitySpec, float]:
    """Each spec's value for `event` (event included); specs whose key it lacks are left out."""
    counts: list[tuple[VelocitySpec, tuple[str, int, int], float]] = []
    sums: list[tuple[VelocitySpec, tuple[str, int, int], float]] = []
    distincts: list[tuple[VelocitySpec, tuple[str, int, int, str | None]]] = []
    for spec in specs:
        key = storage_key(spec, event)
        if key is None:
            continue
        first, last = window_buckets(event.occurred_at, spec.window_seconds)
        feeds = spec.matches(event)
        if spec.aggregate is Aggregate.SUM:
            own = amount_of(spec.of.read(event)) if feeds and spec.of else None
            sums.append((spec, (key, first, last), own or 0.0))
        elif spec.aggregate is Aggregate.DISTINCT:
            own_text = signal_text(spec.of.read(event)) if feeds and spec.of else None
            distincts.append((spec, (key, first, last, own_text)))
        else:
            counts.append((spec, (key, first, last), 1.0 if feeds else 0.0))
    values: dict[VelocitySpec, float] = {}
    if counts:
        stored_counts = uow.counters.sums([query for _, query, _ in counts])
        for (spec, _, own), stored in zip(counts, stored_counts, strict=True):
            values[spec] = stored + own
    if sums:
        stored_sums = uow.counters.totals([query for _, query, _ in sums])
        for (spec, _, own), total in zip(sums, stored_sums, strict=True):
            values[spec] = total + own
    if distincts:
        seen = uow.counters.distinct([query for _, query in distincts])
        for (spec, _), n in zip(distincts, seen, strict=True):
            values[spec] = float(n)
    return values


def record(uow: UnitOfWork, specs: Iterable[VelocitySpec], event: Event) -> None:
    """Count the event under every entity, and add it to every aggregate in `specs` it feeds."""
    bucket = bucket_of(event.occurred_at)
    keys = set(entity_counter_keys(event))
    amounts: dict[str, float] = {}
    values: set[tuple[str, int, str]] = set()
    for spec in specs:
        key = storage_key(spec, event)
        if key is None or not spec.matches(event):
            continue
        if spec.aggregate is Aggregate.COUNT:
            keys.add(key)
        elif spec.aggregate is Aggregate.SUM and spec.of is not None:
            amount = amount_of(spec.of.read(event))
            if amount is not None:
                amounts[key] = amount
        elif spec.of is not None:
            values.add((key, bucket, signal_text(spec.of.read(event))))
    uow.counters.increment(sorted(keys), bucket)
    if amounts:
        uow.counters.add([(key, bucket, amount) for key, amount in sorted(amounts.items())])
    if values:
        uow.counters.mark(sorted(values))


def entity_counter_keys(event: Event) -> list[str]:
    """Every event counts under each of its entities, with and without its type."""
    keys: list[str] = []
    for kind, ident in event.entities.items():
        text, ref = signal_text(ident), _ENTITY_KEYS[kind]
        keys.append(counter_key(ref, text, None))
        keys.append(counter_key(ref, text, event.type))
    return keys


_ENTITY_KEYS = {kind: FieldRef.entity(kind) for kind in EntityKind}
"""The key of each entity kind, made once: every event counts under all of its entities."""
