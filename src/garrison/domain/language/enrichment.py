"""Enrichment fields a rule may read with `enrich("ip.country")`: the one table of their types.

Each field is looked up from one of the event's entities (an IP address, an email address, a
payment method), or from an attribute of that name (`attr.ip`, `attr.email`); the enrichment
provider fills `EvalContext.enrichment` with the fields a release needs. The offline providers
know `email.*`, `ip.version/private/reserved/global`, `ip.country/asn/asn_name/datacenter`
(from the IP database shipped in a package) and `card.bin_country/scheme`; `ip.proxy` and
`card.prepaid` need a third-party one. A field no provider could resolve reads as None.
"""

from __future__ import annotations

from dataclasses import dataclass

from garrison.domain.entities import EntityKind
from garrison.domain.language.valuetypes import ValueType


@dataclass(frozen=True, slots=True)
class EnrichmentField:
    name: str
    type: ValueType
    entity: EntityKind
    doc: str


ENRICHMENT: dict[str, EnrichmentField] = {
    f.name: f
    for f in (
        EnrichmentField("ip.country", ValueType.STR, EntityKind.IP, "ISO country code of the IP"),
        EnrichmentField("ip.asn", ValueType.INT, EntityKind.IP, "autonomous system number"),
        EnrichmentField(
            "ip.asn_name", ValueType.STR, EntityKind.IP, "name of the IP's autonomous system"
        ),
        EnrichmentField(
            "ip.datacenter", ValueType.BOOL, EntityKind.IP, "the IP belongs to a hosting provider"
        ),
        EnrichmentField("ip.version", ValueType.INT, EntityKind.IP, "4 or 6"),
        EnrichmentField(
            "ip.private", ValueType.BOOL, EntityKind.IP, "the IP is private or reserved"
        ),
        EnrichmentField(
            "ip.reserved",
            ValueType.BOOL,
            EntityKind.IP,
            "loopback, link-local, multicast, unspecified or IETF-reserved",
        ),
        EnrichmentField("ip.global", ValueType.BOOL, EntityKind.IP, "the IP is publicly routable"),
        EnrichmentField(
            "ip.proxy", ValueType.BOOL, EntityKind.IP, "the IP is a known VPN, proxy or Tor exit"
        ),
        EnrichmentField(
            "email.domain", ValueType.STR, EntityKind.EMAIL, "lower-cased domain of the address"
        ),
        EnrichmentField(
            "email.disposable",
            ValueType.BOOL,
            EntityKind.EMAIL,
            "the domain is a disposable-mail provider",
        ),
        EnrichmentField(
            "card.bin_country",
            ValueType.STR,
            EntityKind.PAYMENT_METHOD,
            "ISO country code of the card's issuing bank",
        ),
        EnrichmentField(
            "card.scheme",
            ValueType.STR,
            EntityKind.PAYMENT_METHOD,
            "card scheme from the BIN (visa, mastercard, amex, ...)",
        ),
        EnrichmentField(
            "card.prepaid", ValueType.BOOL, EntityKind.PAYMENT_METHOD, "the card is prepaid"
        ),
    )
}
