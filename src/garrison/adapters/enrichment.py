"""Enrichment providers: the built-in offline one, and a guard for third-party ones.

`OfflineEnricher` needs no network: email domain and disposability (from the shipped list), and
what the standard library knows about an IP address. `GuardedEnricher` wraps a provider that calls
out (an IP reputation API, say) with a cache, a timeout and a circuit breaker: a provider that is
slow, raises or keeps failing answers `UNKNOWN` (None) for its keys; ingestion goes on.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping

from garrison.adapters.shipped_lists import disposable_email_domains
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event, JsonValue
from garrison.domain.lists import compile_matcher
from garrison.domain.signals import ListMatcher
from garrison.services.signals import UNKNOWN, Enricher

OFFLINE_KEYS = frozenset(
    {
        "email.domain",
        "email.disposable",
        "ip.version",
        "ip.private",
        "ip.reserved",
        "ip.global",
    }
)


class OfflineEnricher:
    """Email and IP facts from the event alone.

    The email is the event's `email` entity (else its `email` attribute); the IP its `ip` entity
    (else its `ip` attribute). `ip.reserved` is true for loopback, link-local, multicast,
    unspecified and IETF-reserved addresses; `ip.private` for those and private-use networks
    (10/8, 172.16/12, 192.168/16, fc00::/7, ...); `ip.global` for publicly routable ones. Keys
    with nothing to say about the event (no email, an IP that does not parse) are left out.
    """

    provides = OFFLINE_KEYS

    def __init__(self, disposable: ListMatcher) -> None:
        self._disposable = disposable

    @classmethod
    def shipped(cls) -> OfflineEnricher:
        shipped = disposable_email_domains()
        return cls(compile_matcher(shipped.kind, shipped.entries))

    def enrich(self, event: Event) -> Mapping[str, JsonValue]:
        found: dict[str, JsonValue] = {}
        email = event.entities.get(EntityKind.EMAIL) or event.attributes.get("email")
        if isinstance(email, str) and "@" in email:
            domain = email.rpartition("@")[2].strip().lower()
            found["email.domain"] = domain
            found["email.disposable"] = self._disposable.contains(domain)
        ip = event.entities.get(EntityKind.IP) or event.attributes.get("ip")
        if isinstance(ip, str):
            found.update(_ip_facts(ip))
        return found


def _ip_facts(text: str) -> dict[str, JsonValue]:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return {}
    reserved = (
        address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
    )
    return {
        "ip.version": address.version,
        "ip.private": address.is_private or reserved,
        "ip.reserved": reserved,
        "ip.global": address.is_global,
    }


class GuardedEnricher:
    """A third-party provider behind a cache, a timeout and a circuit breaker.

    - Answers are cached per `cache_key(event)` (None: not cached) for `cache_seconds`.
    - Each call runs in its own daemon thread and is abandoned after `timeout_seconds`; at most
      `max_in_flight` calls run at once (more are answered UNKNOWN at once).
    - After `failures_to_open` failures in a row the breaker opens: for `open_seconds` the provider
      is not called at all. Then calls go through again: a failure reopens it, a success closes it.
    A timeout, an exception or an open breaker answers UNKNOWN for every key the provider gives.
    """

    def __init__(
        self,
        inner: Enricher,
        *,
        cache_key: Callable[[Event], str | None],
        timeout_seconds: float = 0.25,
        cache_seconds: float = 300.0,
        cache_size: int = 10_000,
        failures_to_open: int = 5,
        open_seconds: float = 30.0,
        max_in_flight: int = 8,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.provides = inner.provides
        self._inner = inner
        self._cache_key = cache_key
        self._timeout = timeout_seconds
        self._cache_seconds = cache_seconds
        self._cache_size = cache_size
        self._failures_to_open = failures_to_open
        self._open_seconds = open_seconds
        self._monotonic = monotonic
        self._slots = threading.BoundedSemaphore(max_in_flight)
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, tuple[float, Mapping[str, JsonValue]]] = OrderedDict()
        self._failures = 0
        self._open_until: float | None = None
        self._unknown: Mapping[str, JsonValue] = dict.fromkeys(sorted(self.provides), UNKNOWN)

    @property
    def is_open(self) -> bool:
        """Whether the breaker is keeping calls away from the provider right now."""
        return self._open_until is not None and self._monotonic() < self._open_until

    def enrich(self, event: Event) -> Mapping[str, JsonValue]:
        key = self._cache_key(event)
        now = self._monotonic()
        if key is not None and (hit := self._cached(key, now)) is not None:
            return hit
        if self.is_open:
            return self._unknown
        values = self._call(event)
        if values is None:
            self._failed()
            return self._unknown
        self._succeeded(key, values)
        return values

    def _cached(self, key: str, now: float) -> Mapping[str, JsonValue] | None:
        with self._lock:
            entry = self._cache.get(key)
            if entry is None:
                return None
            if entry[0] <= now:
                del self._cache[key]
                return None
            self._cache.move_to_end(key)
            return entry[1]

    def _call(self, event: Event) -> Mapping[str, JsonValue] | None:
        """The provider's answer, or None if it failed, timed out or had no free slot."""
        if not self._slots.acquire(blocking=False):
            return None
        answer: list[Mapping[str, JsonValue]] = []

        def run() -> None:
            try:
                answer.append(dict(self._inner.enrich(event)))
            except Exception:  # noqa: BLE001 - any provider failure degrades to UNKNOWN
                return
            finally:
                self._slots.release()

        worker = threading.Thread(target=run, name="garrison-enricher", daemon=True)
        worker.start()
        worker.join(self._timeout)
        return answer[0] if answer else None

    def _failed(self) -> None:
        with self._lock:
            self._failures += 1
            if self._failures >= self._failures_to_open:
                self._open_until = self._monotonic() + self._open_seconds

    def _succeeded(self, key: str | None, values: Mapping[str, JsonValue]) -> None:
        with self._lock:
            self._failures = 0
            self._open_until = None
            if key is None or self._cache_seconds <= 0:
                return
            self._cache[key] = (self._monotonic() + self._cache_seconds, values)
            self._cache.move_to_end(key)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
