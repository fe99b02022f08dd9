"""Trend segments: what an event and its decision count towards, and counts per time bucket.

An `Observation` is the few fields of an (event, decision) pair that trends read. A `Segment` is
a sorted tuple of (dimension, value) pairs, such as `policy=fraud.card_testing,country=BR`; each
observation counts once in every segment it belongs to (`segments_of`). `bucket_counts` turns
observations into one count series per segment, aligned on fixed buckets.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from garrison.domain.decisions import Decision
from garrison.domain.entities import EntityKind
from garrison.domain.errors import InvalidInput
from garrison.domain.events import Event
from garrison.domain.language.schemas import EventSchemas

UNKNOWN = "-"
COUNTRY_ATTRIBUTES = ("country", "ip_country", "card_country")


class Dimension(StrEnum):
    TYPE = "type"
    COUNTRY = "country"
    TIER = "tier"
    VERDICT = "verdict"
    POLICY = "policy"
    RULE = "rule"
    REASON = "reason"


Segment = tuple[tuple[Dimension, str], ...]
"""Sorted-by-declaration (dimension, value) pairs; `()` is all traffic."""


@dataclass(frozen=True, slots=True)
class Observation:
    event_id: str
    at: datetime
    type: str
    country: str = UNKNOWN
    tier: str = UNKNOWN
    verdict: str = UNKNOWN
    policies: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    reason: str = UNKNOWN
    text: str = ""
    account: str = ""


def observe(event: Event, decision: Decision | None) -> Observation:
    """The trend fields of an event and its decision (None when it has none)."""
    attrs = event.attributes
    country = next((str(attrs[k]) for k in COUNTRY_ATTRIBUTES if attrs.get(k)), UNKNOWN)
    hits = decision.hits if decision is not None else ()
    reason = attrs.get("reason") if event.type == "report.filed" else None
    text = attrs.get("text")
    return Observation(
        event_id=str(event.id),
        at=event.occurred_at,
        type=event.type,
        country=country,
        tier=str(attrs.get("tier") or UNKNOWN),
        verdict=str(decision.verdict) if decision is not None else UNKNOWN,
        policies=tuple(sorted({h.policy for h in hits if h.policy})),
        rules=tuple(sorted({h.rule for h in hits})),
        reason=str(reason) if reason else UNKNOWN,
        text=text if isinstance(text, str) else "",
        account=str(event.entities.get(EntityKind.ACCOUNT, "")),
    )


def segments_of(obs: Observation) -> list[Segment]:
    """Every segment the observation counts in (see the module docstring).

    A country or tier the event does not carry adds no finer segment: `type=x,country=-` would
    only repeat `type=x`.
    """
    d = Dimension
    where = [] if obs.country == UNKNOWN else [(d.COUNTRY, obs.country)]
    tier = [] if obs.tier == UNKNOWN or not where else [(d.TIER, obs.tier)]
    out: list[Segment] = [((d.TYPE, obs.type),)]
    if where:
        out.append(((d.TYPE, obs.type), *where))
    if obs.verdict != UNKNOWN:
        out.append(((d.VERDICT, obs.verdict),))
    for policy in obs.policies:
        out.append(((d.POLICY, policy),))
        if where:
            out.append(((d.POLICY, policy), *where))
        if tier:
            out.append(((d.POLICY, policy), *where, *tier))
    out.extend(((d.RULE, rule),) for rule in obs.rules)
    if obs.reason != UNKNOWN:
        out.append(((d.TYPE, obs.type), (d.REASON, obs.reason)))
    return out


def segment_key(segment: Segment) -> str:
    """`policy=spam,country=BR`; `all` for all traffic."""
    return ",".join(f"{dim}={value}" for dim, value in segment) or "all"


def parse_segment(key: str) -> Segment:
    """The inverse of `segment_key`; `InvalidInput` naming the field `segment` otherwise."""
    if key in ("", "all"):
        return ()
    pairs: list[tuple[Dimension, str]] = []
    for part in key.split(","):
        name, sep, value = part.partition("=")
        if not sep or not value or name not in Dimension.__members__.values():
            known = ", ".join(Dimension)
            raise InvalidInput(f"bad segment part {part!r} (dimensions: {known})", field="segment")
        pairs.append((Dimension(name), value))
    return tuple(pairs)


def matches(obs: Observation, segment: Segment) -> bool:
    """Whether the observation counts in the segment."""
    for dim, value in segment:
        if dim in (Dimension.POLICY, Dimension.RULE):
            if value not in (obs.policies if dim is Dimension.POLICY else obs.rules):
                return False
        elif getattr(obs, str(dim)) != value:
            return False
    return True


def search_query(segment: Segment, schemas: EventSchemas | None = None) -> str:
    """The segment as an event search expression (`type == "x" and attr.country == "BR"`).

    Verdict, policy and rule belong to decisions, not events: they narrow the alert, not its
    search. With `schemas`, a country or tier is asked only of the attributes the segment's event
    type declares, so the expression passes the search's checks; without a type it is left out.
    A segment with no event-level part searches every event in the alert's window (`True`).
    """
    kind = next((value for dim, value in segment if dim is Dimension.TYPE), None)
    parts = []
    for dim, value in segment:
        if dim is Dimension.TYPE:
            parts.append(f"type == {json.dumps(value)}")
        elif dim is Dimension.REASON:
            parts.append(f"attr.reason == {json.dumps(value)}")
        elif dim in (Dimension.COUNTRY, Dimension.TIER):
            names = COUNTRY_ATTRIBUTES if dim is Dimension.COUNTRY else ("tier",)
            clause = _any_attribute(names, value, kind, schemas)
            if clause:
                parts.append(clause)
    return " and ".join(parts) or "True"


def _any_attribute(
    names: Sequence[str], value: str, kind: str | None, schemas: EventSchemas | None
) -> str | None:
    if schemas is not None:
        if kind is None:
            return None
        declared = schemas.attribute_names([kind])
        names = [name for name in names if name in declared]
    if not names:
        return None
    clauses = [f"attr.{name} == {json.dumps(value)}" for name in names]
    return clauses[0] if len(clauses) == 1 else "(" + " or ".join(clauses) + ")"


def bucket_of(at: datetime, start: datetime, bucket: timedelta) -> int:
    return int((at - start) / bucket)


def bucket_counts(
    observations: Iterable[Observation], start: datetime, end: datetime, bucket: timedelta
) -> dict[Segment, list[int]]:
    """For each segment seen, its count in each bucket of [start, end) (zeros included)."""
    if bucket <= timedelta(0) or end <= start:
        raise InvalidInput("the window and bucket must be positive", field="bucket")
    size = -(-(end - start) // bucket)
    out: dict[Segment, list[int]] = defaultdict(lambda: [0] * size)
    for obs in observations:
        if start <= obs.at < end:
            index = bucket_of(obs.at, start, bucket)
            for segment in segments_of(obs):
                out[segment][index] += 1
    return dict(out)


def values_of(obs: Observation, dimension: Dimension) -> Sequence[str]:
    """The observation's values of one dimension (policies and rules may be several or none)."""
    if dimension is Dimension.POLICY:
        return obs.policies
    if dimension is Dimension.RULE:
        return obs.rules
    return (str(getattr(obs, str(dimension))),)


def tally(observations: Iterable[Observation], dimension: Dimension) -> dict[str, int]:
    """How many observations carry each value of one dimension, largest first."""
    counts: dict[str, int] = defaultdict(int)
    for obs in observations:
        for value in values_of(obs, dimension):
            counts[value] += 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def series_by(
    observations: Iterable[Observation],
    dimension: Dimension,
    start: datetime,
    end: datetime,
    bucket: timedelta,
) -> dict[str, list[int]]:
    """Counts per bucket of [start, end) for each value of one dimension (a dashboard series)."""
    if bucket <= timedelta(0) or end <= start:
        raise InvalidInput("the window and bucket must be positive", field="bucket")
    size = -(-(end - start) // bucket)
    out: dict[str, list[int]] = defaultdict(lambda: [0] * size)
    for obs in observations:
        if start <= obs.at < end:
            index = bucket_of(obs.at, start, bucket)
            for value in values_of(obs, dimension):
                out[value][index] += 1
    return dict(out)
