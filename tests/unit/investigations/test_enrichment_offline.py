"""Offline IP and card enrichment, and a slow third-party provider that ingestion survives."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from datetime import UTC, datetime

import pytest

from garrison.adapters.enrichment import GuardedEnricher
from garrison.adapters.enrichment_geo import (
    CardBinEnricher,
    GeoIpEnricher,
    card_scheme,
    geo_available,
    is_hosting,
)
from garrison.adapters.fakes import ManualClock, RecordingTransport, SequentialIds
from garrison.adapters.rules_file import StaticReleaseSource
from garrison.adapters.storage.memory import MemoryStore
from garrison.bootstrap import bootstrap
from garrison.config import Settings
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event, JsonValue
from garrison.domain.ids import EventId
from garrison.domain.language import compile_release
from garrison.domain.rules import Rule
from garrison.domain.verdicts import Verdict
from garrison.services.signals import UNKNOWN, Signals

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def event(n: int = 1, **attributes: JsonValue) -> Event:
    ip = attributes.pop("ip", None)
    entities = {EntityKind.ACCOUNT: f"acct_{n}"}
    if isinstance(ip, str):
        entities[EntityKind.IP] = ip
    return Event(EventId(f"evt_{n}"), "payment.attempt", T0, entities, attributes)


needs_geo = pytest.mark.skipif(not geo_available(), reason="geoip2fast is not installed")


@needs_geo
def test_ip_country_as_and_datacentre_come_from_the_shipped_database() -> None:
    geo = GeoIpEnricher()
    google = geo.enrich(event(ip="8.8.8.8"))
    assert google["ip.country"] == "US" and google["ip.asn"] == 15169
    assert google["ip.datacenter"] is True
    home = geo.enrich(event(ip="81.2.69.142"))
    assert home["ip.country"] == "GB" and home["ip.datacenter"] is False
    assert "ip.asn" not in home
    assert geo.enrich(event(ip="10.1.2.3")) == {}
    assert geo.enrich(event(ip="not an ip")) == {}
    assert geo.enrich(event()) == {}


def test_hosting_networks_are_recognised_by_name() -> None:
    assert is_hosting("Hetzner Online GmbH") and is_hosting("Acme Cloud Hosting Ltd")
    assert not is_hosting("Andrews & Arnold Ltd") and not is_hosting("Deutsche Telekom AG")


def test_card_scheme_and_issuing_country() -> None:
    assert [card_scheme(b) for b in ("411111", "552233", "222100", "371449", "6011000")] == [
        "visa",
        "mastercard",
        "mastercard",
        "amex",
        "discover",
    ]
    assert card_scheme("99") is None and card_scheme(None) is None
    found = CardBinEnricher().enrich(event(card_bin="411111", card_country="fr"))
    assert found == {"card.bin_country": "FR", "card.scheme": "visa"}


class Hanging:
    """A third-party provider that never answers until released."""

    provides = frozenset({"ip.proxy"})

    def __init__(self) -> None:
        self.release = threading.Event()

    def enrich(self, event: Event) -> Mapping[str, JsonValue]:
        self.release.wait(10)
        return {"ip.proxy": True}


def test_a_provider_that_times_out_reads_unknown_and_ingestion_goes_on() -> None:
    provider = Hanging()
    guarded = GuardedEnricher(provider, cache_key=lambda e: None, timeout_seconds=0.05)
    rule = Rule("proxy", 'enrich("ip.proxy") == True', "fraud", verdict=Verdict.BLOCK)
    release = compile_release("test-1", [rule])
    container = bootstrap(
        Settings(database_url="memory://", secret_key="enrichment-test-secret-0123456789"),
        store=MemoryStore(),
        clock=ManualClock(T0),
        ids=SequentialIds(),
        transport=RecordingTransport(),
        releases=StaticReleaseSource(release),
        signals=Signals(enrichers=[guarded]),
    )
    try:
        started = time.perf_counter()
        result = container.ingest.process(event(ip="198.51.100.7"))
        assert time.perf_counter() - started < 2
        assert result.decision.verdict is Verdict.ALLOW and not result.decision.hits
        with container.uow() as uow:
            assert uow.events.get(EventId("evt_1")) is not None
        assert guarded.enrich(event(2, ip="198.51.100.8")) == {"ip.proxy": UNKNOWN}
    finally:
        provider.release.set()
