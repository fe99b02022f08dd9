"""Rings: find groups of linked accounts, score them, and open a review for the risky ones.

detect: read every link into a table -> the graph engine clusters it -> each cluster becomes a
Ring (named after its first-seen member, scored by `score_ring`) -> rings at or above `case_at`
that were not flagged before plan an `enqueue_review` action on their riskiest member, in the
fraud queue, through the outbox -> the rings replace the stored ones, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from garrison.domain.access import Permission, Principal
from garrison.domain.actions import Action, ActionKind, ActionStatus
from garrison.domain.entities import EntityRef
from garrison.domain.errors import NotFound
from garrison.domain.graph import DEFAULT_LINK_POLICY, LINK_STRENGTH, LinkPolicy, Strength
from garrison.domain.ids import ActionId
from garrison.domain.labels import LabelValue
from garrison.domain.rings import (
    DEFAULT_BURST_WINDOW,
    Ring,
    RingFacts,
    RingMethod,
    RiskWeights,
    SharedIdentifier,
    largest_burst,
    ring_id,
    score_ring,
)
from garrison.services import audit
from garrison.services.link_table import Cluster, GraphEngine, LinkTable
from garrison.services.ports import Clock, IdGenerator
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

RING_ACTOR = "system:rings"


@dataclass(frozen=True, slots=True)
class RingSettings:
    policy: LinkPolicy = DEFAULT_LINK_POLICY
    weights: RiskWeights = field(default_factory=RiskWeights)
    burst_window: timedelta = DEFAULT_BURST_WINDOW
    case_at: float = 0.5
    """Rings this risky or riskier open a review case (once per ring)."""
    queue: str = "fraud"


@dataclass(frozen=True, slots=True)
class Detection:
    accounts: int
    links: int
    rings: int
    flagged: int
    """Rings that planned a review in this run."""
    method: str


def load_table(uow: UnitOfWork) -> LinkTable:
    """Every stored link, read in bulk (`Links.table`), as a LinkTable."""
    return uow.links.table()


def assemble(
    table: LinkTable,
    clusters: Sequence[Cluster],
    *,
    bad: Collection[EntityRef],
    now: datetime,
    settings: RingSettings,
) -> list[Ring]:
    """Rings from the engine's clusters: members, shared infrastructure and risk."""
    rings = [_ring(table, cluster, bad, now, settings) for cluster in clusters]
    rings.sort(key=lambda r: (-r.risk.score, -r.size, r.id))
    return rings


def _ring(
    table: LinkTable, cluster: Cluster, bad: Collection[EntityRef], now: datetime, s: RingSettings
) -> Ring:
    seen = {table.account(i): table.first_seen[i] for i in cluster.accounts}
    members = tuple(sorted(seen))
    anchor = min(members, key=lambda m: (seen[m], m.id))
    shared = sorted(
        (
            SharedIdentifier(ref, LINK_STRENGTH[ref.kind], owners)
            for ref, owners in ((table.identifier(i), n) for i, n in cluster.shared)
        ),
        key=lambda x: (x.strength is not Strength.STRONG, -x.owners, x.ref),
    )
    labelled = tuple(m for m in members if m in bad)
    burst = largest_burst(list(seen.values()), s.burst_window)
    facts = RingFacts(len(members), len(labelled), cluster.strong_members, burst)
    return Ring(
        id=ring_id(anchor),
        members=members,
        infrastructure=tuple(shared),
        method=RingMethod.COMMUNITY if cluster.components > 1 else RingMethod.STRONG,
        first_seen=min(seen.values()),
        last_seen=max(seen.values()),
        burst=burst,
        labelled_bad=labelled,
        risk=score_ring(facts, s.weights),
        detected_at=now,
    )


class RingService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        engine: GraphEngine,
        clock: Clock,
        ids: IdGenerator,
        settings: RingSettings | None = None,
    ) -> None:
        self._uow = uow_factory
        self._engine = engine
        self._clock = clock
        self._ids = ids
        self.settings = settings or RingSettings()

    def detect(self, *, actor: str = RING_ACTOR) -> Detection:
        """Find the rings in the current links, store them, and open reviews for risky ones."""
        with self._uow() as uow:
            table = load_table(uow)
        clusters = self._engine.clusters(table, self.settings.policy)
        now = self._clock.now()
        with self._uow() as uow:
            members = {table.account(i) for c in clusters for i in c.accounts}
            bad = labelled_bad(uow, members)
            rings = assemble(table, clusters, bad=bad, now=now, settings=self.settings)
            rings, planned = self._flag(rings, uow.rings.flagged(), now)
            uow.rings.replace(rings)
            uow.actions.add(planned)
            found = Detection(
                table.accounts, table.links, len(rings), len(planned), self._engine.method
            )
            audit.record(
                uow,
                self._clock,
                actor=actor,
                action="rings.detect",
                target="rings",
                details={
                    "accounts": found.accounts,
                    "links": found.links,
                    "rings": found.rings,
                    "flagged": [a.params["ring"] for a in planned],
                },
            )
            uow.commit()
        return found

    def _flag(
        self, rings: Sequence[Ring], flags: dict[str, datetime], now: datetime
    ) -> tuple[list[Ring], list[Action]]:
        out: list[Ring] = []
        planned: list[Action] = []
        for ring in rings:
            if ring.id in flags:
                ring = replace(ring, flagged_at=flags[ring.id])
            elif ring.risk.score >= self.settings.case_at:
                ring = replace(ring, flagged_at=now)
                planned.append(self._review(ring, now))
            out.append(ring)
        return out, planned

    def _review(self, ring: Ring, now: datetime) -> Action:
        return Action(
            id=ActionId(self._ids.new("act")),
            kind=ActionKind.ENQUEUE_REVIEW,
            subject=ring.riskiest_member,
            params={"queue": self.settings.queue, "ring": ring.id},
            status=ActionStatus.PLANNED,
            created_at=now,
            actor=RING_ACTOR,
        )

    def rings(
        self, principal: Principal, *, min_size: int = 2, limit: int = 50, offset: int = 0
    ) -> list[Ring]:
        """Stored rings, riskiest first."""
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            return uow.rings.list(min_size=min_size, limit=limit, offset=offset)

    def ring(self, principal: Principal, ring_id: str) -> Ring:
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            found = uow.rings.get(ring_id)
        if found is None:
            raise NotFound(f"no ring {ring_id}", field="ring_id")
        return found


def labelled_bad(uow: UnitOfWork, accounts: Collection[EntityRef]) -> set[EntityRef]:
    """The accounts whose latest review label is `violating`."""
    bad: set[EntityRef] = set()
    for account in accounts:
        labels = uow.labels.for_subject(account)
        if labels and labels[0].value is LabelValue.VIOLATING:
            bad.add(account)
    return bad
