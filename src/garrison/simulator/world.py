"""The simulated platform's population: orgs, accounts, projects, keys, cards, IPs and devices.

`World` mints every entity, so identifiers are unique across normal traffic and abuse scenarios.
Identifiers are hashes of the run tag and a counter: deterministic, but they do not reveal which
entities were created together.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

from garrison.domain.entities import Tier
from garrison.simulator import texts


@dataclass(frozen=True, slots=True)
class Ip:
    address: str
    country: str


@dataclass(frozen=True, slots=True)
class Card:
    id: str
    bin: str
    country: str


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    email: str
    device: str
    country: str

    @property
    def email_domain(self) -> str:
        return self.email.rpartition("@")[2]


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: str
    account: Account
    project: str


@dataclass(slots=True)
class Org:
    id: str
    tier: Tier
    country: str
    domain: str | None
    ips: list[Ip] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)
    keys: list[ApiKey] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)

    @property
    def owner(self) -> Account:
        return self.accounts[0]


class World:
    """Mints entities. All randomness comes from the `random.Random` it is given."""

    def __init__(self, rng: random.Random, tag: str) -> None:
        self.rng = rng
        self._tag = tag
        self._minted = 0
        self._used_ips: set[str] = set()
        self._used_emails: set[str] = set()

    def new_id(self, prefix: str) -> str:
        self._minted += 1
        digest = hashlib.sha256(f"{self._tag}:{self._minted}".encode()).hexdigest()
        return f"{prefix}_{digest[:12]}"

    def country(self) -> str:
        return self.rng.choices(texts.COUNTRIES, texts.COUNTRY_WEIGHTS)[0].code

    def other_country(self, than: str) -> str:
        while (code := self.country()) == than:
            pass
        return code

    def ip(self, country: str, *, datacenter: bool = False) -> Ip:
        """A fresh address: residential for the country, or from a hosting range."""
        rng = self.rng
        for _ in range(50):
            if datacenter:
                prefix = rng.choice(texts.DATACENTER_PREFIXES)
                middle = [str(rng.randint(0, 255)) for _ in range(3 - prefix.count("."))]
                address = prefix + ".".join([*middle, str(rng.randint(1, 254))])
            elif rng.random() < 0.04:
                groups = (
                    rng.getrandbits(16),
                    rng.getrandbits(16),
                    rng.randint(1, 0xFFFF),
                )
                address = "2001:db8:{:x}:{:x}::{:x}".format(*groups)
            else:
                first = rng.choice(texts.COUNTRY_BY_CODE[country].first_octets)
                octets = (
                    first,
                    rng.randint(0, 255),
                    rng.randint(0, 255),
                    rng.randint(1, 254),
                )
                address = ".".join(map(str, octets))
            if address not in self._used_ips:
                break
        self._used_ips.add(address)
        return Ip(address, country)

    def device(self) -> str:
        return self.new_id("dev")

    def email(self, *, domain: str | None = None, disposable: bool = False) -> str:
        rng = self.rng
        if disposable:
            domain = rng.choice(texts.DISPOSABLE_MAIL)
        elif domain is None:
            domain = rng.choice(texts.FREE_MAIL)
        while True:
            first, last = rng.choice(texts.FIRST_NAMES), rng.choice(texts.LAST_NAMES)
            if disposable:
                local = f"{first}{rng.getrandbits(24):06x}"
            else:
                styles = (
                    f"{first}.{last}",
                    first[0] + last,
                    f"{first}{last}{rng.randint(1, 999)}",
                )
                local = styles[rng.randrange(3)]
            address = f"{local}@{domain}"
            if address not in self._used_emails:
                self._used_emails.add(address)
                return address

    def account(
        self,
        country: str,
        *,
        domain: str | None = None,
        disposable: bool = False,
        device: str = "",
    ) -> Account:
        return Account(
            self.new_id("acct"),
            self.email(domain=domain, disposable=disposable),
            device or self.device(),
            country,
        )

    def card(self, country: str) -> Card:
        bin_ = self.rng.choice(texts.COUNTRY_BY_CODE[country].card_bins)
        return Card(self.new_id("pm"), bin_, country)

    def company_domain(self) -> str:
        rng = self.rng
        words = rng.choice(texts.COMPANY_WORDS), rng.choice(texts.COMPANY_SUFFIXES)
        return f"{words[0]}-{words[1]}.{rng.choice(texts.COMPANY_TLDS)}"

    def api_key(self, org: Org, account: Account, project: str | None = None) -> ApiKey:
        key = ApiKey(self.new_id("key"), account, project or self.rng.choice(org.projects))
        org.keys.append(key)
        return key

    def project(self, org: Org) -> str:
        project = self.new_id("proj")
        org.projects.append(project)
        return project

    def org(
        self,
        tier: Tier,
        *,
        country: str | None = None,
        disposable: bool = False,
        device: str = "",
    ) -> Org:
        """An org with its owner, one project, the owner's key and a home IP; larger tiers get more.

        `disposable` gives the owner a disposable email address; `device` sets the owner's device.
        """
        rng = self.rng
        country = country or self.country()
        domain = None if tier is Tier.FREE else self.company_domain()
        org = Org(self.new_id("org"), tier, country, domain)
        sizes = {
            Tier.FREE: (1, 1, 1),
            Tier.PAY_AS_YOU_GO: (3, 3, 2),
            Tier.ENTERPRISE: (12, 6, 4),
        }
        max_accounts, max_projects, max_ips = sizes[tier]
        org.ips = [self.ip(country) for _ in range(rng.randint(1, max_ips))]
        owner = self.account(country, domain=domain, disposable=disposable, device=device)
        org.accounts.append(owner)
        for _ in range(rng.randint(1, max_accounts) - 1):
            org.accounts.append(self.account(country, domain=domain))
        for n in range(rng.randint(1, max_projects)):
            self.api_key(org, rng.choice(org.accounts) if n else owner, self.project(org))
        if tier is not Tier.FREE:
            org.cards.append(self.card(country))
        return org
