"""The identities linked to one entity, as the entity page lists them.

For an account: each identifier it was seen with (how many accounts share it, how strong the
link is, whether it is a hub) and the accounts linked through them. For an identifier or an org:
the accounts that used it. Counts stop at the hub size, so a carrier-NAT IP costs one small query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.graph import LINK_STRENGTH, Link, LinkPolicy, Strength
from garrison.domain.redaction import is_pii
from garrison.services.redactor import Redactor
from garrison.services.unit_of_work import UnitOfWork

MAX_ACCOUNTS_SHOWN = 100


@dataclass(frozen=True, slots=True)
class LinkedIdentifier:
    ref: EntityRef | None
    """None when the identifier is personal data (only `shown` is given)."""
    shown: str
    kind: EntityKind
    strength: Strength
    accounts: int
    """Accounts that used it, counted up to the hub size plus one."""
    hub: bool
    weight: float
    first_seen: datetime
    last_seen: datetime
    events: int


@dataclass(frozen=True, slots=True)
class LinkedAccount:
    account: EntityRef
    strength: Strength
    weight: float
    via: tuple[str, ...]
    """The identifiers (as shown) the accounts share."""


@dataclass(slots=True)
class _Tally:
    strength: Strength
    weight: float = 0.0
    via: list[str] = field(default_factory=list)


def links_of(
    uow: UnitOfWork, subject: EntityRef, redactor: Redactor, policy: LinkPolicy
) -> tuple[list[LinkedIdentifier], list[LinkedAccount]]:
    if subject.kind is EntityKind.ACCOUNT:
        return _account_links(uow, subject, redactor, policy)
    if subject.kind in LINK_STRENGTH:
        return [], _users(uow, subject, redactor, policy)
    return [], []


def _account_links(
    uow: UnitOfWork, account: EntityRef, redactor: Redactor, policy: LinkPolicy
) -> tuple[list[LinkedIdentifier], list[LinkedAccount]]:
    identifiers: list[LinkedIdentifier] = []
    neighbours: dict[EntityRef, _Tally] = {}
    links = uow.links.identifiers_for(account)
    sharing = uow.links.users([link.identifier for link in links], policy.hub_size + 1)
    for link in links:
        users = sharing[link.identifier]
        shown = redactor.ref(link.identifier)
        weight = policy.weight(link.identifier.kind, len(users))
        identifiers.append(_identifier(link, shown, len(users), policy, weight))
        if weight <= 0:
            continue
        for other in users:
            if other != account.id:
                _add(neighbours, EntityRef(EntityKind.ACCOUNT, other), link.strength, weight, shown)
    linked = [
        LinkedAccount(a, t.strength, round(t.weight, 4), tuple(t.via))
        for a, t in neighbours.items()
    ]
    return identifiers, _ranked(linked)


def _identifier(
    link: Link, shown: str, users: int, policy: LinkPolicy, weight: float
) -> LinkedIdentifier:
    ident = link.identifier
    return LinkedIdentifier(
        None if is_pii(ident) else ident,
        shown,
        ident.kind,
        link.strength,
        users,
        policy.is_hub(users),
        round(weight, 4),
        link.first_seen,
        link.last_seen,
        link.events,
    )


def _users(
    uow: UnitOfWork, identifier: EntityRef, redactor: Redactor, policy: LinkPolicy
) -> list[LinkedAccount]:
    shown = redactor.ref(identifier)
    users = uow.links.accounts_for(identifier, MAX_ACCOUNTS_SHOWN)
    sharing = uow.links.counts([identifier], policy.hub_size + 1)[identifier]
    weight = policy.weight(identifier.kind, sharing)
    strength = LINK_STRENGTH[identifier.kind]
    return [LinkedAccount(u.account, strength, round(weight, 4), (shown,)) for u in users]


def _add(
    found: dict[EntityRef, _Tally],
    account: EntityRef,
    strength: Strength,
    weight: float,
    shown: str,
) -> None:
    tally = found.setdefault(account, _Tally(strength))
    if strength is Strength.STRONG:
        tally.strength = Strength.STRONG
    tally.weight += weight
    tally.via.append(shown)


def _ranked(accounts: Iterable[LinkedAccount]) -> list[LinkedAccount]:
    ordered = sorted(
        accounts, key=lambda a: (a.strength is not Strength.STRONG, -a.weight, a.account.id)
    )
    return ordered[:MAX_ACCOUNTS_SHOWN]
