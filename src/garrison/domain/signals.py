"""Signals a rule may read besides the event, and the one definition of a velocity window.

A velocity aggregate (count, distinct count or sum) is taken over the events that share a *key*
with the current event (an entity, like its account, or an attribute, like its card BIN),
optionally only events of one type, in the window ending at the current event, the current event
included. Time is cut into buckets of `BUCKET_SECONDS`; a window of W seconds covers the
W / BUCKET_SECONDS buckets that end with the bucket holding the event's time. Real time and
backtest both use `window_buckets`, so they agree.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from garrison.domain.entities import EntityKind
from garrison.domain.errors import InvalidInput
from garrison.domain.events import Event, JsonValue

BUCKET_SECONDS = 60
MAX_WINDOW_SECONDS = 30 * 24 * 3600


class Aggregate(StrEnum):
    COUNT = "count"
    DISTINCT = "distinct"
    SUM = "sum"


@dataclass(frozen=True, slots=True, order=True)
class FieldRef:
    """A value of an event: an entity id (written `account`) or an attribute (`attr.card_bin`)."""

    source: str
    name: str
    _kind: EntityKind | None = field(init=False, repr=False, compare=False)
    """The entity kind read, looked up once (every event reads its keys several times)."""

    ENTITY = "entity"
    ATTR = "attr"

    def __post_init__(self) -> None:
        kind = None
        if self.source == self.ENTITY:
            with suppress(ValueError):  # an unknown kind fails when read, as it always did
                kind = EntityKind(self.name)
        object.__setattr__(self, "_kind", kind)

    def __str__(self) -> str:
        return self.name if self.source == self.ENTITY else f"attr.{self.name}"

    def read(self, event: Event) -> JsonValue:
        if self.source == self.ENTITY:
            return event.entities.get(self._kind or EntityKind(self.name))
        return event.attributes.get(self.name)

    @classmethod
    def entity(cls, kind: EntityKind) -> FieldRef:
        return cls(cls.ENTITY, kind.value)

    @classmethod
    def parse(cls, text: str, *, field_name: str = "key") -> FieldRef:
        if text.startswith("attr."):
            name = text[len("attr.") :]
            if not name.isidentifier():
                raise InvalidInput(f"not an attribute name: {name!r}", field=field_name)
            return cls(cls.ATTR, name)
        try:
            return cls.entity(EntityKind(text))
        except ValueError:
            known = ", ".join(k.value for k in EntityKind)
            raise InvalidInput(
                f"unknown key {text!r}: use an entity kind ({known}) or attr.NAME", field=field_name
            ) from None


@dataclass(frozen=True, slots=True, order=True)
class VelocitySpec:
    """An aggregate over the events sharing `key` with this one in the last `window_seconds`.

    `of` is what a DISTINCT counts or a SUM adds up; COUNT has none.
    """

    key: FieldRef
    window_seconds: int
    event_type: str | None = None
    aggregate: Aggregate = Aggregate.COUNT
    of: FieldRef | None = None
    _identity: tuple[object, ...] = field(init=False, repr=False, compare=False)
    _hash: int = field(init=False, repr=False, compare=False)
    """Computed once: rules look their values up by spec for every event they run on."""

    def __post_init__(self) -> None:
        of = (self.of.source, self.of.name) if self.of is not None else None
        key, aggregate = (self.key.source, self.key.name), str(self.aggregate)
        identity = (key, self.window_seconds, self.event_type, aggregate, of)
        object.__setattr__(self, "_identity", identity)
        object.__setattr__(self, "_hash", hash(identity))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if other.__class__ is not VelocitySpec:
            return NotImplemented
        return self._hash == other._hash and self._identity == other._identity

    def __reduce__(self) -> tuple[object, ...]:
        """Rebuilt from its fields: a hash is only valid in the process that computed it."""
        fields = (self.key, self.window_seconds, self.event_type, self.aggregate, self.of)
        return (VelocitySpec, fields)

    def counter_key(self, key_value: str) -> str:
        return counter_key(self.key, key_value, self.event_type, self.aggregate, self.of)

    def matches(self, event: Event) -> bool:
        """Whether `event` feeds this aggregate (has the key, the type and the measured value)."""
        if self.event_type is not None and event.type != self.event_type:
            return False
        if self.key.read(event) is None:
            return False
        return self.of is None or self.of.read(event) is not None

    def label(self) -> str:
        """How explanations name this signal, e.g. `distinct(account, payment_method, 24h)`."""
        from_window = _format_seconds(self.window_seconds)
        parts = ([str(self.of)] if self.of else []) + [str(self.key), from_window]
        if self.event_type:
            parts.append(self.event_type)
        return f"{self.aggregate}({', '.join(parts)})"


def counter_key(
    key: FieldRef,
    key_value: str,
    event_type: str | None,
    aggregate: Aggregate = Aggregate.COUNT,
    of: FieldRef | None = None,
) -> str:
    """The storage key of one aggregate's buckets. COUNT by entity keeps the original form."""
    base = f"{key.name}:{key_value}|{event_type or '*'}"
    if aggregate is Aggregate.COUNT and key.source == FieldRef.ENTITY:
        return base
    prefix = f"{aggregate}:{key}" if key.source == FieldRef.ATTR else str(aggregate)
    return f"{prefix}/{base}" + (f"/{of}" if of else "")


def bucket_of(at: datetime) -> int:
    return int(at.timestamp()) // BUCKET_SECONDS


def window_buckets(at: datetime, window_seconds: int) -> tuple[int, int]:
    """The inclusive range of buckets a window ending at `at` covers."""
    last = bucket_of(at)
    span = max(1, -(-window_seconds // BUCKET_SECONDS))
    return last - span + 1, last


def _format_seconds(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@dataclass(frozen=True, slots=True)
class Needs:
    """Every signal a rule (or a release) reads, so ingestion fetches them all in one batch."""

    velocity: frozenset[VelocitySpec] = frozenset()
    lists: frozenset[str] = frozenset()
    labels: frozenset[EntityKind] = frozenset()
    models: frozenset[str] = frozenset()
    enrichment: frozenset[str] = frozenset()

    def __or__(self, other: Needs) -> Needs:
        return Needs(
            self.velocity | other.velocity,
            self.lists | other.lists,
            self.labels | other.labels,
            self.models | other.models,
            self.enrichment | other.enrichment,
        )


class ListMatcher:
    """What a rule asks of a list: does it contain this value? (see `garrison.domain.lists`)"""

    def contains(self, value: JsonValue) -> bool:  # pragma: no cover - interface
        return False
