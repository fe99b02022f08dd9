"""Identity links: which identifiers tie accounts together, and how much each tie weighs.

An event that names an account and an identifier (a card fingerprint, a device, an API key, an
email address, an IP) is an observation that the account uses it. Two accounts that use the same
identifier are linked through it:

- strong links: a shared payment method, device, API key or (normalised) email address;
- weak links: a shared IP, whose weight falls as more owners share it, so that a carrier NAT or a
  datacentre range does not glue the world together;
- org membership groups accounts without linking them: colleagues share office IPs and company
  cards as a matter of course, so links count *owners* (an account's org, or the account itself).

An identifier shared by more owners than `LinkPolicy.hub_size` is a hub and links nothing.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.events import Event


class Strength(StrEnum):
    STRONG = "strong"
    WEAK = "weak"
    OWNER = "owner"
    """Org membership: it names who owns an account, it never links two owners."""


LINK_STRENGTH: dict[EntityKind, Strength] = {
    EntityKind.PAYMENT_METHOD: Strength.STRONG,
    EntityKind.DEVICE: Strength.STRONG,
    EntityKind.API_KEY: Strength.STRONG,
    EntityKind.EMAIL: Strength.STRONG,
    EntityKind.IP: Strength.WEAK,
    EntityKind.ORG: Strength.OWNER,
}
"""The identifier kinds an account is observed with, and what sharing one means."""

LINKING_KINDS: tuple[EntityKind, ...] = tuple(
    kind for kind, strength in LINK_STRENGTH.items() if strength is not Strength.OWNER
)

GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
"""Providers that ignore dots in the local part (googlemail.com is an alias of gmail.com)."""

PLUS_TAG_DOMAINS = frozenset(
    {
        *GMAIL_DOMAINS,
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "protonmail.com",
        "proton.me",
        "pm.me",
        "fastmail.com",
        "fastmail.fm",
        "zoho.com",
        "yandex.com",
        "yandex.ru",
    }
)
"""Providers that deliver `name+anything@` to `name@`."""


@dataclass(frozen=True, slots=True)
class LinkPolicy:
    """How sharing an identifier turns into a weighted link between its owners."""

    hub_size: int = 50
    """An identifier shared by more owners than this links nothing (NATs, datacentres, kiosks)."""
    ip_weight: float = 0.5
    """Weight of an IP shared by two owners; shared by n owners it weighs ip_weight * 2 / n."""
    min_weak_weight: float = 0.05
    """Weak pair links lighter than this are ignored."""
    min_join_weight: float = 1.0
    """Weak links join a group to a ring only when their weights into it add up to this. One IP
    shared by n owners gives each of them (n - 1) / n < 1 in all, so a single shared IP (a cafe,
    a proxy) never pulls an account in on its own; two shared IPs, or a whole group, do."""
    weak_only_rings: bool = False
    """Whether accounts tied by weak links alone form a ring. By default an IP can only join
    strongly linked groups: offices, households and carrier NATs share IPs all the time."""

    def weight(self, kind: EntityKind, owners: int) -> float:
        """The weight of the link that `owners` owners sharing one `kind` identifier have."""
        strength = LINK_STRENGTH.get(kind)
        if strength is None or strength is Strength.OWNER or not 2 <= owners <= self.hub_size:
            return 0.0
        if strength is Strength.STRONG:
            return 1.0
        return self.ip_weight * 2 / owners

    def is_hub(self, owners: int) -> bool:
        return owners > self.hub_size


DEFAULT_LINK_POLICY = LinkPolicy()


@dataclass(frozen=True, slots=True)
class Link:
    """One account observed with one identifier: when first and last, and in how many events."""

    account: EntityRef
    identifier: EntityRef
    first_seen: datetime
    last_seen: datetime
    events: int = 1

    @property
    def strength(self) -> Strength:
        return LINK_STRENGTH[self.identifier.kind]


def normalise_email(address: str) -> str:
    """The mailbox an address delivers to: lower case, plus-tags and gmail dots removed.

    `John.Doe+promo@GoogleMail.com` -> `johndoe@gmail.com`; other providers keep their dots.
    """
    text = address.strip().lower()
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        return text
    domain = domain.rstrip(".")
    if domain in GMAIL_DOMAINS:
        domain = "gmail.com"
    if domain in PLUS_TAG_DOMAINS:
        local = local.split("+", 1)[0] or local
    if domain == "gmail.com":
        local = local.replace(".", "") or local
    return f"{local}@{domain}"


def normalise_ip(address: str) -> str:
    """The canonical text of an address (IPv4-mapped IPv6 becomes IPv4); other text lower-cased."""
    text = address.strip()
    if _is_canonical_ipv4(text):  # most addresses: skip the parse (ingestion runs this per event)
        return text
    try:
        parsed = ipaddress.ip_address(text)
    except ValueError:
        return text.lower()
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return parsed.compressed


def _is_canonical_ipv4(text: str) -> bool:
    """Dotted quad of 0..255 without leading zeros: already what `ip_address` would print."""
    parts = text.split(".")
    return len(parts) == 4 and all(
        p.isdigit() and p.isascii() and (p == "0" or p[0] != "0") and int(p) <= 255 for p in parts
    )


def identifier(kind: EntityKind, raw: str) -> EntityRef:
    """The identifier an event's entity stands for, normalised so that equal ones compare equal."""
    if kind is EntityKind.EMAIL:
        return EntityRef(kind, normalise_email(raw))
    if kind is EntityKind.IP:
        return EntityRef(kind, normalise_ip(raw))
    return EntityRef(kind, raw.strip())


def observations(event: Event) -> tuple[EntityRef, tuple[EntityRef, ...]] | None:
    """The account an event names and the identifiers it was seen with; None without an account."""
    account = event.entities.get(EntityKind.ACCOUNT)
    if not account:
        return None
    found = tuple(
        identifier(kind, raw)
        for kind in LINK_STRENGTH
        if (raw := event.entities.get(kind)) and raw.strip()
    )
    if not found:
        return None
    return EntityRef(EntityKind.ACCOUNT, account), found
