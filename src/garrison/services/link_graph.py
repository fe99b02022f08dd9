"""The link graph around one entity: accounts and identifiers within a few hops, for drawing.

Hops alternate between accounts and the identifiers they used. Hubs (identifiers shared by more
accounts than the hub size) are drawn but never expanded; an identifier shows at most `FANOUT`
accounts and the whole view at most `MAX_NODES` nodes, and says when it left some out.
"""

from __future__ import annotations

from dataclasses import dataclass

from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.graph import LINK_STRENGTH, Link, LinkPolicy, Strength
from garrison.domain.redaction import is_pii
from garrison.services.redactor import Redactor
from garrison.services.unit_of_work import UnitOfWork

MAX_DEPTH = 3
MAX_NODES = 150
FANOUT = 25


@dataclass(frozen=True, slots=True)
class GraphNode:
    id: str
    """`kind:id`, or a pseudonym when the entity is personal data."""
    kind: EntityKind
    label: str
    ref: str | None
    """What to expand it with; None for personal data the viewer may not see."""
    depth: int
    accounts: int | None
    """For identifiers: how many accounts used it (up to the hub size plus one)."""
    hub: bool
    truncated: bool
    """Some of its neighbours were left out."""
    ring: str | None


@dataclass(frozen=True, slots=True)
class GraphEdge:
    source: str
    target: str
    kind: EntityKind
    strength: Strength
    weight: float


@dataclass(frozen=True, slots=True)
class GraphView:
    center: str
    depth: int
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    truncated: bool
    pii: bool
    """Whether some node hands out the real ref of personal data."""


class _Walk:
    def __init__(self, uow: UnitOfWork, policy: LinkPolicy) -> None:
        self.uow, self.policy = uow, policy
        self.depth: dict[EntityRef, int] = {}
        self.edges: dict[tuple[EntityRef, EntityRef], Link] = {}
        self.cut: set[EntityRef] = set()
        self.truncated = False

    def run(self, center: EntityRef, depth: int) -> None:
        self.depth[center] = 0
        frontier = [center]
        for level in range(1, depth + 1):
            found: list[EntityRef] = []
            for ref in frontier:
                for link, other in self._neighbours(ref):
                    self.edges[(link.account, link.identifier)] = link
                    if other not in self.depth:
                        if len(self.depth) >= MAX_NODES:
                            self.truncated = True
                            self.cut.add(ref)
                            continue
                        self.depth[other] = level
                        found.append(other)
            frontier = found

    def _neighbours(self, ref: EntityRef) -> list[tuple[Link, EntityRef]]:
        if ref.kind is EntityKind.ACCOUNT:
            return [(link, link.identifier) for link in self.uow.links.identifiers_for(ref)]
        if ref.kind not in LINK_STRENGTH:
            return []
        users = self.uow.links.accounts_for(ref, self.policy.hub_size + 1)
        if self.policy.is_hub(len(users)) or len(users) > FANOUT:
            self.cut.add(ref)
        if self.policy.is_hub(len(users)):
            return []
        return [(link, link.account) for link in users[:FANOUT]]


def build_graph(
    uow: UnitOfWork,
    center: EntityRef,
    redactor: Redactor,
    policy: LinkPolicy,
    depth: int,
    may_expand_pii: bool,
) -> GraphView:
    walk = _Walk(uow, policy)
    walk.run(center, max(1, min(depth, MAX_DEPTH)))
    idents = [r for r in walk.depth if r.kind is not EntityKind.ACCOUNT and r.kind in LINK_STRENGTH]
    sharing = uow.links.counts(idents, policy.hub_size + 1)

    def node_id(ref: EntityRef) -> str:
        return redactor.pseudonym(ref) if is_pii(ref) else str(ref)

    nodes = tuple(
        GraphNode(
            node_id(ref),
            ref.kind,
            redactor.ref(ref).partition(":")[2],
            None if is_pii(ref) and not may_expand_pii else str(ref),
            level,
            sharing.get(ref),
            policy.is_hub(sharing.get(ref, 0)),
            ref in walk.cut,
            _ring(uow, ref),
        )
        for ref, level in walk.depth.items()
    )
    edges = tuple(
        GraphEdge(
            node_id(account),
            node_id(ident),
            ident.kind,
            LINK_STRENGTH[ident.kind],
            round(policy.weight(ident.kind, sharing.get(ident, 0)), 4),
        )
        for account, ident in walk.edges
        if account in walk.depth and ident in walk.depth
    )
    shows_pii = may_expand_pii and any(is_pii(r) for r in walk.depth)
    return GraphView(node_id(center), depth, nodes, edges, walk.truncated, shows_pii)


def _ring(uow: UnitOfWork, ref: EntityRef) -> str | None:
    if ref.kind is not EntityKind.ACCOUNT:
        return None
    ring = uow.rings.for_account(ref)
    return ring.id if ring else None
