"""The link graph as integer columns, and the port of the engine that finds clusters in it.

Ring detection reads every link once into a `LinkTable` (compact `array` columns, no objects per
link) and hands it to a `GraphEngine`, which returns clusters of account indices. Accounts are
grouped by owner (their org when known, else themselves) so colleagues never form a ring.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, TypeVar

from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.graph import LINK_STRENGTH, Link, LinkPolicy, Strength

STRONG_CODE, WEAK_CODE, OWNER_CODE = 1, 2, 0
"""`LinkTable.strength` codes of strong and weak identifiers (owner links are not kept)."""
_CODES = {
    kind: {Strength.STRONG: STRONG_CODE, Strength.WEAK: WEAK_CODE}.get(strength, OWNER_CODE)
    for kind, strength in LINK_STRENGTH.items()
}
LINK_KINDS: tuple[EntityKind, ...] = tuple(_CODES)
"""Every kind of identifier a link may have (owner kinds too), in a fixed order."""


Item = TypeVar("Item", covariant=True)


class Column(Protocol[Item]):
    """What a table column must do: a list, or a lazy column of a bulk read (see
    `adapters.storage.sql.link_frame`) that makes a value only when it is looked at."""

    def __getitem__(self, index: int, /) -> Item: ...
    def __len__(self) -> int: ...


def strength_code(kind: EntityKind) -> int:
    """STRONG_CODE, WEAK_CODE or OWNER_CODE (an org: it groups accounts, it links nothing)."""
    return _CODES[kind]


@dataclass(slots=True)
class LinkTable:
    """Accounts, identifiers and the links between them, by index.

    Ids are kept as plain strings (refs are made on demand), so a million-account table holds
    almost nothing the garbage collector has to walk.
    """

    account_ids: Column[str] = field(default_factory=list)
    identifier_ids: Column[str] = field(default_factory=list)
    identifier_kinds: Column[EntityKind] = field(default_factory=list)
    strength: array[int] = field(default_factory=lambda: array("b"))
    """Per identifier: STRONG_CODE or WEAK_CODE."""
    owner: array[int] = field(default_factory=lambda: array("q"))
    """Per account: the index of its owner (accounts of one org share one)."""
    first_seen: Column[datetime] = field(default_factory=list)
    """Per account: when it was first seen."""
    link_account: array[int] = field(default_factory=lambda: array("q"))
    link_identifier: array[int] = field(default_factory=lambda: array("q"))

    @property
    def accounts(self) -> int:
        return len(self.account_ids)

    @property
    def links(self) -> int:
        return len(self.link_account)

    def account(self, index: int) -> EntityRef:
        return EntityRef(EntityKind.ACCOUNT, self.account_ids[index])

    def identifier(self, index: int) -> EntityRef:
        return EntityRef(self.identifier_kinds[index], self.identifier_ids[index])


class LinkTableBuilder:
    """Collects links one by one (as `Links.scan` pages them) into a `LinkTable`."""

    def __init__(self) -> None:
        self._account_ids: list[str] = []
        self._identifier_ids: list[str] = []
        self._identifier_kinds: list[EntityKind] = []
        self._first_seen: list[datetime] = []
        self.table = LinkTable(
            self._account_ids,
            self._identifier_ids,
            self._identifier_kinds,
            first_seen=self._first_seen,
        )
        self._account: dict[str, int] = {}
        self._identifier: dict[EntityKind, dict[str, int]] = {kind: {} for kind in _CODES}
        self._org: dict[int, tuple[datetime, str]] = {}

    def add(self, links: Iterable[Link]) -> None:
        # One tight loop over plain-string keys (their hashes are cached): at a million accounts
        # this loop is most of the work.
        t, accounts, identifiers, orgs = self.table, self._account, self._identifier, self._org
        first_seen, link_account, link_identifier = (
            self._first_seen,
            t.link_account,
            t.link_identifier,
        )
        account_ids, identifier_ids = self._account_ids, self._identifier_ids
        for link in links:
            seen = link.first_seen
            index = accounts.get(link.account.id)
            if index is None:
                index = accounts[link.account.id] = len(account_ids)
                account_ids.append(link.account.id)
                first_seen.append(seen)
            elif seen < first_seen[index]:
                first_seen[index] = seen
            ref = link.identifier
            code = _CODES[ref.kind]
            if code == OWNER_CODE:
                org, current = (seen, ref.id), orgs.get(index)
                if current is None or org < current:
                    orgs[index] = org
                continue
            of_kind = identifiers[ref.kind]
            ident = of_kind.get(ref.id)
            if ident is None:
                ident = of_kind[ref.id] = len(identifier_ids)
                identifier_ids.append(ref.id)
                self._identifier_kinds.append(ref.kind)
                t.strength.append(code)
            link_account.append(index)
            link_identifier.append(ident)

    def build(self) -> LinkTable:
        """The table, with owners assigned (the org seen first with each account)."""
        t = self.table
        owners: dict[str, int] = {}
        t.owner = array("q", range(t.accounts))
        for index, (_, org) in self._org.items():
            t.owner[index] = owners.setdefault(org, t.accounts + len(owners))
        return t


@dataclass(frozen=True, slots=True)
class Cluster:
    """A group of accounts of two or more owners, and the identifiers they share."""

    accounts: tuple[int, ...]
    shared: tuple[tuple[int, int], ...]
    """(identifier index, how many of the cluster's owners use it), for those used by two+."""
    components: int
    """How many strongly linked groups weak links joined into this cluster (1: strong only)."""
    strong_members: int
    """How many of the accounts share a strong identifier with another owner of the cluster."""


class GraphEngine(Protocol):
    @property
    def method(self) -> str:
        """How clusters are found, for reports (`leiden` or `components`)."""
        ...

    def clusters(self, table: LinkTable, policy: LinkPolicy) -> list[Cluster]:
        """Connected components over strong links, joined into communities by weak links."""
        ...
