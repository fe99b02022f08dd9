"""Entity pages, link graphs and reveals on the wire (personal data arrives redacted)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from garrison.services.entity_page import EntityPage
from garrison.services.investigate import Revealed
from garrison.services.link_graph import GraphView


class TimelineItemOut(BaseModel):
    at: datetime
    kind: str
    id: str
    title: str
    detail: dict[str, Any]


class LinkedIdentifierOut(BaseModel):
    shown: str
    ref: str | None
    """None when the identifier is personal data (reveal it to see it)."""
    kind: str
    strength: str
    accounts: int
    hub: bool
    weight: float
    first_seen: datetime
    last_seen: datetime
    events: int


class LinkedAccountOut(BaseModel):
    account: str
    strength: str
    weight: float
    via: list[str]


class RingBriefOut(BaseModel):
    id: str
    size: int
    risk: float


class RiskSummaryOut(BaseModel):
    linked_accounts: int
    strongly_linked: int
    ring: RingBriefOut | None
    violating_labels: int
    entity_labels: list[str]
    max_score: float | None
    open_case: str | None
    fan_out: dict[str, int]


class EntityPageOut(BaseModel):
    subject: str
    kind: str
    timeline: list[TimelineItemOut]
    limit: int
    offset: int
    has_more: bool
    identifiers: list[LinkedIdentifierOut]
    linked_accounts: list[LinkedAccountOut]
    risk: RiskSummaryOut
    redacted: int


class GraphNodeOut(BaseModel):
    id: str
    kind: str
    label: str
    ref: str | None
    depth: int
    accounts: int | None
    hub: bool
    truncated: bool
    ring: str | None


class GraphEdgeOut(BaseModel):
    source: str
    target: str
    kind: str
    strength: str
    weight: float


class GraphOut(BaseModel):
    center: str
    depth: int
    nodes: list[GraphNodeOut]
    edges: list[GraphEdgeOut]
    truncated: bool


class RevealedValueOut(BaseModel):
    shown: str
    value: str


class RevealedOut(BaseModel):
    subject: str
    values: list[RevealedValueOut]


def page_wire(page: EntityPage) -> dict[str, Any]:
    ring = page.risk.ring
    return {
        "subject": page.shown,
        "kind": page.subject.kind.value,
        "timeline": [
            {"at": i.at, "kind": i.kind, "id": i.id, "title": i.title, "detail": dict(i.detail)}
            for i in page.timeline
        ],
        "limit": page.limit,
        "offset": page.offset,
        "has_more": page.has_more,
        "identifiers": [
            {
                "shown": i.shown,
                "ref": str(i.ref) if i.ref else None,
                "kind": i.kind.value,
                "strength": i.strength.value,
                "accounts": i.accounts,
                "hub": i.hub,
                "weight": i.weight,
                "first_seen": i.first_seen,
                "last_seen": i.last_seen,
                "events": i.events,
            }
            for i in page.identifiers
        ],
        "linked_accounts": [
            {
                "account": str(a.account),
                "strength": a.strength.value,
                "weight": a.weight,
                "via": list(a.via),
            }
            for a in page.accounts
        ],
        "risk": {
            "linked_accounts": page.risk.linked_accounts,
            "strongly_linked": page.risk.strongly_linked,
            "ring": {"id": ring.id, "size": ring.size, "risk": ring.risk.score} if ring else None,
            "violating_labels": page.risk.violating_labels,
            "entity_labels": list(page.risk.entity_labels),
            "max_score": page.risk.max_score,
            "open_case": page.risk.open_case,
            "fan_out": dict(page.risk.fan_out),
        },
        "redacted": page.redacted,
    }


def graph_wire(view: GraphView) -> dict[str, Any]:
    return {
        "center": view.center,
        "depth": view.depth,
        "nodes": [
            {
                "id": n.id,
                "kind": n.kind.value,
                "label": n.label,
                "ref": n.ref,
                "depth": n.depth,
                "accounts": n.accounts,
                "hub": n.hub,
                "truncated": n.truncated,
                "ring": n.ring,
            }
            for n in view.nodes
        ],
        "edges": [
            {
                "source": e.source,
                "target": e.target,
                "kind": e.kind.value,
                "strength": e.strength.value,
                "weight": e.weight,
            }
            for e in view.edges
        ],
        "truncated": view.truncated,
    }


def revealed_wire(found: Revealed) -> dict[str, Any]:
    return {
        "subject": str(found.subject),
        "values": [{"shown": shown, "value": value} for shown, value in found.values],
    }
