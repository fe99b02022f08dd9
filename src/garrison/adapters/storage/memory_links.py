"""In-memory identity links and rings: the reference the SQL adapters are checked against.

`LinkState` is one field of the memory store's state. Its containers are flat and their values
frozen, so the store's copy-per-unit-of-work keeps uncommitted changes invisible.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Self

from garrison.domain.entities import EntityRef
from garrison.domain.graph import Link
from garrison.domain.rings import Ring
from garrison.services.graph_storage import LinkKey, Observation
from garrison.services.link_table import LinkTable, LinkTableBuilder


@dataclass
class LinkState:
    links: dict[LinkKey, Link] = field(default_factory=dict)
    by_account: dict[EntityRef, frozenset[EntityRef]] = field(default_factory=dict)
    by_identifier: dict[EntityRef, frozenset[EntityRef]] = field(default_factory=dict)
    rings: dict[str, Ring] = field(default_factory=dict)
    ring_of: dict[EntityRef, str] = field(default_factory=dict)

    def __copy__(self) -> Self:
        copied = type(self)()
        for f in fields(self):
            setattr(copied, f.name, getattr(self, f.name).copy())
        return copied


StateOf = Callable[[], LinkState]


def _key(account: EntityRef, identifier: EntityRef) -> LinkKey:
    return (account.id, identifier.kind.value, identifier.id)


class MemoryLinks:
    def __init__(self, state: StateOf) -> None:
        self._state = state

    def observe(self, account: EntityRef, identifiers: Sequence[EntityRef], at: datetime) -> None:
        s = self._state()
        for ident in dict.fromkeys(identifiers):
            key = _key(account, ident)
            old = s.links.get(key)
            if old is None:
                s.links[key] = Link(account, ident, at, at, 1)
                s.by_account[account] = s.by_account.get(account, frozenset()) | {ident}
                s.by_identifier[ident] = s.by_identifier.get(ident, frozenset()) | {account}
            else:
                s.links[key] = replace(
                    old,
                    first_seen=min(old.first_seen, at),
                    last_seen=max(old.last_seen, at),
                    events=old.events + 1,
                )

    def observe_many(self, observed: Sequence[Observation]) -> None:
        for account, identifiers, at in observed:
            self.observe(account, identifiers, at)

    def table(self) -> LinkTable:
        links = self._state().links
        builder = LinkTableBuilder()
        builder.add(links[k] for k in sorted(links))
        return builder.build()

    def identifiers_for(self, account: EntityRef) -> list[Link]:
        s = self._state()
        keys = sorted(_key(account, i) for i in s.by_account.get(account, frozenset()))
        return [s.links[k] for k in keys]

    def accounts_for(self, identifier: EntityRef, limit: int) -> list[Link]:
        s = self._state()
        accounts = sorted(s.by_identifier.get(identifier, frozenset()), key=lambda a: a.id)
        return [s.links[_key(a, identifier)] for a in accounts[:limit]]

    def users(self, identifiers: Sequence[EntityRef], cap: int) -> dict[EntityRef, list[str]]:
        s = self._state()
        return {
            i: sorted(a.id for a in s.by_identifier.get(i, frozenset()))[:cap]
            for i in dict.fromkeys(identifiers)
        }

    def counts(self, identifiers: Sequence[EntityRef], cap: int) -> dict[EntityRef, int]:
        s = self._state()
        return {i: min(len(s.by_identifier.get(i, frozenset())), cap) for i in identifiers}

    def scan(self, after: LinkKey | None, limit: int) -> list[Link]:
        links = self._state().links
        keys = links if after is None else (k for k in links if k > after)
        return [links[k] for k in heapq.nsmallest(limit, keys)]

    def clear(self) -> None:
        s = self._state()
        s.links, s.by_account, s.by_identifier = {}, {}, {}


class MemoryRings:
    def __init__(self, state: StateOf) -> None:
        self._state = state

    def replace(self, rings: Sequence[Ring]) -> None:
        s = self._state()
        s.rings = {ring.id: ring for ring in rings}
        s.ring_of = {member: ring.id for ring in rings for member in ring.members}

    def get(self, ring_id: str) -> Ring | None:
        return self._state().rings.get(ring_id)

    def list(self, *, min_size: int, limit: int, offset: int = 0) -> list[Ring]:
        found = [r for r in self._state().rings.values() if r.size >= min_size]
        found.sort(key=lambda r: (-r.risk.score, -r.size, r.id))
        return found[offset : offset + limit]

    def for_account(self, account: EntityRef) -> Ring | None:
        s = self._state()
        ring_id = s.ring_of.get(account)
        return s.rings.get(ring_id) if ring_id else None

    def flagged(self) -> dict[str, datetime]:
        return {r.id: r.flagged_at for r in self._state().rings.values() if r.flagged_at}
