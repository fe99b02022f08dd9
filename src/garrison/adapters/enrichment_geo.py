"""Offline enrichment from shipped data: IP country, AS and datacentre flag; card BIN facts.

`GeoIpEnricher` reads the country and AS database that the `geoip2fast` package ships (loaded
once, on first use, about half a second; a lookup takes microseconds; no network). The AS number
is known for the hosting and cloud networks listed in `HOSTING_ASNS` (the database names AS
owners, not numbers); `ip.datacenter` is true for those and for any AS whose name says hosting,
cloud, server or data centre. An address the database does not know gives no keys (the rule
then reads None). `CardBinEnricher` gives the card scheme from the BIN's well-known ranges and
the issuing country when the event carries it (`card_country`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from importlib.util import find_spec
from typing import Any

from garrison.domain.entities import EntityKind
from garrison.domain.events import Event, JsonValue

GEO_KEYS = frozenset({"ip.country", "ip.asn", "ip.asn_name", "ip.datacenter"})
CARD_KEYS = frozenset({"card.bin_country", "card.scheme"})
DATA_FILE = "geoip2fast-asn.dat.gz"

HOSTING_ASNS: dict[str, int] = {
    "AMAZON-02": 16509,
    "AMAZON-AES": 14618,
    "GOOGLE": 15169,
    "GOOGLE-CLOUD-PLATFORM": 396982,
    "MICROSOFT-CORP-MSN-AS-BLOCK": 8075,
    "DIGITALOCEAN-ASN": 14061,
    "OVH SAS": 16276,
    "Hetzner Online GmbH": 24940,
    "Akamai Connected Cloud": 63949,
    "AS-CHOOPA": 20473,
    "CLOUDFLARENET": 13335,
    "Alibaba US Technology Co., Ltd.": 45102,
    "ORACLE-BMC-31898": 31898,
    "Scaleway S.a.s.": 12876,
    "Contabo GmbH": 51167,
    "M247 Europe SRL": 9009,
    "Datacamp Limited": 212238,
    "AS-COLOCROSSING": 36352,
    "QUADRANET_GLOBAL": 8100,
    "TENCENT-NET-AP Shenzhen Tencent Computer Systems Company Limited": 132203,
}
_HOSTING_WORDS = re.compile(
    r"hosting|cloud|server|datacent|data cent|colo|vps|dedicated|amazon|digitalocean|hetzner|ovh",
    re.IGNORECASE,
)
_SCHEMES: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = (
    ("amex", ((34, 34), (37, 37))),
    ("diners", ((300, 305), (36, 36), (38, 39))),
    ("jcb", ((3528, 3589),)),
    ("discover", ((6011, 6011), (644, 649), (65, 65))),
    ("unionpay", ((62, 62),)),
    ("mastercard", ((51, 55), (2221, 2720))),
    ("maestro", ((50, 50), (56, 58), (6304, 6304), (67, 67))),
    ("visa", ((4, 4),)),
)


def geo_available() -> bool:
    """Whether the `geoip2fast` package (and so its database) is installed."""
    return find_spec("geoip2fast") is not None


def is_hosting(asn_name: str) -> bool:
    return asn_name in HOSTING_ASNS or bool(_HOSTING_WORDS.search(asn_name))


class GeoIpEnricher:
    provides = GEO_KEYS

    def __init__(self, data_file: str = DATA_FILE) -> None:
        self._data_file = data_file
        self._reader: Any = None
        self._lock = threading.Lock()

    def enrich(self, event: Event) -> Mapping[str, JsonValue]:
        ip = event.entities.get(EntityKind.IP) or event.attributes.get("ip")
        if not isinstance(ip, str) or not ip.strip():
            return {}
        found = self._lookup(ip.strip())
        country = str(getattr(found, "country_code", "") or "")
        if getattr(found, "is_private", False) or len(country) != 2:
            return {}
        name = str(getattr(found, "asn_name", "") or "")
        values: dict[str, JsonValue] = {"ip.country": country}
        if name:
            values["ip.asn_name"] = name
            values["ip.datacenter"] = is_hosting(name)
            if name in HOSTING_ASNS:
                values["ip.asn"] = HOSTING_ASNS[name]
        return values

    def _lookup(self, ip: str) -> object:
        if self._reader is None:
            with self._lock:
                if self._reader is None:
                    from geoip2fast import GeoIP2Fast  # type: ignore[import-untyped, import-not-found, unused-ignore]

                    self._reader = GeoIP2Fast(geoip2fast_data_file=self._data_file, verbose=False)
        return self._reader.lookup(ip)


class CardBinEnricher:
    """The card's scheme from its BIN (`attr.card_bin`), and its issuing country as sent."""

    provides = CARD_KEYS

    def enrich(self, event: Event) -> Mapping[str, JsonValue]:
        values: dict[str, JsonValue] = {}
        country = event.attributes.get("card_country")
        if isinstance(country, str) and len(country.strip()) == 2:
            values["card.bin_country"] = country.strip().upper()
        scheme = card_scheme(event.attributes.get("card_bin"))
        if scheme is not None:
            values["card.scheme"] = scheme
        return values


def card_scheme(bin_value: JsonValue) -> str | None:
    """The scheme whose published IIN ranges hold this BIN (None if none or not digits)."""
    digits = str(bin_value).strip() if isinstance(bin_value, (str, int)) else ""
    if not digits.isdigit():
        return None
    for scheme, ranges in _SCHEMES:
        for low, high in ranges:
            width = len(str(low))
            if len(digits) >= width and low <= int(digits[:width]) <= high:
                return scheme
    return None


def shipped_enrichers() -> list[GeoIpEnricher | CardBinEnricher]:
    """The offline enrichers whose data is installed (the geo one needs `geoip2fast`)."""
    found: list[GeoIpEnricher | CardBinEnricher] = [CardBinEnricher()]
    if geo_available():
        found.insert(0, GeoIpEnricher())
    return found
