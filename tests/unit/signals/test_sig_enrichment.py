"""Enrichment: the offline provider, and a guarded third-party provider that degrades to unknown."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping

import pytest
from signal_world import T0

from garrison.adapters.enrichment import GuardedEnricher, OfflineEnricher
from garrison.adapters.storage.memory import MemoryStore
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event, JsonValue
from garrison.domain.ids import EventId
from garrison.domain.signals import Needs
from garrison.services.signals import UNKNOWN, Signals


def event(n: int = 1, *, ip: str | None = None, email: str | None = None, **attrs: str) -> Event:
    entities = {EntityKind.ACCOUNT: "a1"}
    if ip is not None:
        entities[EntityKind.IP] = ip
    if email is not None:
        entities[EntityKind.EMAIL] = email
    return Event(EventId(f"evt_{n}"), "account.signup", T0, entities, attrs)


@pytest.fixture(scope="module")
def offline() -> OfflineEnricher:
    return OfflineEnricher.shipped()


def test_email_domain_and_disposability_from_the_shipped_list(offline: OfflineEnricher) -> None:
    assert offline.enrich(event(email="Someone@Sub.Mailinator.COM")) == {
        "email.domain": "sub.mailinator.com",
        "email.disposable": True,
    }
    assert offline.enrich(event(email="ana@gmail.com"))["email.disposable"] is False
    assert offline.enrich(event(email="x@yopmail.com"))["email.disposable"] is True
    assert offline.enrich(Event(EventId("e"), "t", T0, {}, {"email": "b@10minutemail.com"})) == {
        "email.domain": "10minutemail.com",
        "email.disposable": True,
    }


@pytest.mark.parametrize(
    ("ip", "version", "private", "reserved", "is_global"),
    [
        ("10.1.2.3", 4, True, False, False),
        ("192.168.0.9", 4, True, False, False),
        ("127.0.0.1", 4, True, True, False),
        ("169.254.1.1", 4, True, True, False),
        ("8.8.8.8", 4, False, False, True),
        ("::1", 6, True, True, False),
        ("2606:4700::1111", 6, False, False, True),
        ("fd00::1", 6, True, False, False),
    ],
)
def test_ip_facts(
    offline: OfflineEnricher, ip: str, version: int, private: bool, reserved: bool, is_global: bool
) -> None:
    assert offline.enrich(event(ip=ip)) == {
        "ip.version": version,
        "ip.private": private,
        "ip.reserved": reserved,
        "ip.global": is_global,
    }


def test_nothing_is_said_about_what_the_event_lacks(offline: OfflineEnricher) -> None:
    assert offline.enrich(event(ip="not-an-ip", email="no-at-sign")) == {}
    assert offline.enrich(event()) == {}


class FakeProvider:
    """A third-party provider: answers, raises, or hangs until released."""

    provides = frozenset({"ip.country", "ip.proxy"})

    def __init__(self) -> None:
        self.calls = 0
        self.mode = "answer"
        self.release = threading.Event()

    def enrich(self, event: Event) -> Mapping[str, JsonValue]:
        self.calls += 1
        if self.mode == "raise":
            raise ConnectionError("provider down")
        if self.mode == "hang":
            self.release.wait(10)
        return {"ip.country": "NL", "ip.proxy": False}


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def by_ip(e: Event) -> str | None:
    return e.entities.get(EntityKind.IP)


UNKNOWN_BOTH = {"ip.country": UNKNOWN, "ip.proxy": UNKNOWN}


def test_a_slow_provider_is_abandoned_at_its_timeout() -> None:
    provider = FakeProvider()
    provider.mode = "hang"
    guarded = GuardedEnricher(provider, cache_key=by_ip, timeout_seconds=0.05)
    started = time.perf_counter()
    try:
        assert guarded.enrich(event(ip="1.1.1.1")) == UNKNOWN_BOTH
        assert time.perf_counter() - started < 2
    finally:
        provider.release.set()


def test_a_failing_provider_does_not_fail_ingestion_context() -> None:
    provider = FakeProvider()
    provider.mode = "raise"
    signals = Signals(enrichers=[GuardedEnricher(provider, cache_key=by_ip)])
    with MemoryStore().uow() as uow:
        ctx = signals.context(uow, Needs(enrichment=frozenset({"ip.country"})), event(ip="1.1.1.1"))
    assert dict(ctx.enrichment) == {"ip.country": UNKNOWN}


def test_the_breaker_opens_after_failures_in_a_row_and_closes_on_success() -> None:
    provider, clock = FakeProvider(), FakeTime()
    guarded = GuardedEnricher(
        provider, cache_key=by_ip, failures_to_open=2, open_seconds=30, monotonic=clock
    )
    provider.mode = "raise"
    for n in range(2):
        assert guarded.enrich(event(n, ip=f"1.1.1.{n}")) == UNKNOWN_BOTH
    assert guarded.is_open and provider.calls == 2
    provider.mode = "answer"
    assert guarded.enrich(event(3, ip="1.1.1.3")) == UNKNOWN_BOTH
    assert provider.calls == 2, "an open breaker keeps calls away from the provider"
    clock.now += 31
    assert guarded.enrich(event(4, ip="1.1.1.4"))["ip.country"] == "NL"
    assert not guarded.is_open and provider.calls == 3


def test_a_failure_after_the_pause_reopens_the_breaker_at_once() -> None:
    provider, clock = FakeProvider(), FakeTime()
    guarded = GuardedEnricher(
        provider, cache_key=by_ip, failures_to_open=3, open_seconds=30, monotonic=clock
    )
    provider.mode = "raise"
    for n in range(3):
        guarded.enrich(event(n, ip="9.9.9.9"))
    clock.now += 31
    guarded.enrich(event(5, ip="9.9.9.9"))
    assert guarded.is_open and provider.calls == 4


def test_answers_are_cached_per_key_until_they_expire() -> None:
    provider, clock = FakeProvider(), FakeTime()
    guarded = GuardedEnricher(provider, cache_key=by_ip, cache_seconds=60, monotonic=clock)
    for n in range(3):
        guarded.enrich(event(n, ip="1.1.1.1"))
    guarded.enrich(event(9, ip="2.2.2.2"))
    assert provider.calls == 2
    clock.now += 61
    guarded.enrich(event(10, ip="1.1.1.1"))
    assert provider.calls == 3


def test_failures_are_not_cached() -> None:
    provider = FakeProvider()
    provider.mode = "raise"
    guarded = GuardedEnricher(provider, cache_key=by_ip, failures_to_open=100)
    guarded.enrich(event(1, ip="1.1.1.1"))
    provider.mode = "answer"
    assert guarded.enrich(event(2, ip="1.1.1.1"))["ip.proxy"] is False


def test_calls_beyond_the_in_flight_limit_are_answered_unknown_at_once() -> None:
    provider = FakeProvider()
    provider.mode = "hang"
    guarded = GuardedEnricher(
        provider, cache_key=by_ip, timeout_seconds=0.02, max_in_flight=1, failures_to_open=100
    )
    try:
        guarded.enrich(event(1, ip="1.1.1.1"))  # still hanging in its thread
        assert guarded.enrich(event(2, ip="2.2.2.2")) == UNKNOWN_BOTH
        assert provider.calls == 1
    finally:
        provider.release.set()


def test_signals_call_only_the_providers_of_keys_a_rule_reads() -> None:
    offline, provider = OfflineEnricher.shipped(), FakeProvider()
    signals = Signals(enrichers=[offline, provider])
    needs = Needs(enrichment=frozenset({"email.disposable", "ip.unheard_of"}))
    with MemoryStore().uow() as uow:
        ctx = signals.context(uow, needs, event(ip="8.8.8.8", email="a@mailinator.com"))
    assert dict(ctx.enrichment) == {"email.disposable": True}
    assert provider.calls == 0
