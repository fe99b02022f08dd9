"""In-memory stand-ins for the clock, id and webhook ports: deterministic, for tests and replays."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from garrison.services.ports import TransportError


class ManualClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)


class SequentialIds:
    """`prefix_000001`, `prefix_000002`, ... one counter for all prefixes."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def new(self, prefix: str) -> str:
        return f"{prefix}_{next(self._counter):06d}"


@dataclass(frozen=True, slots=True)
class SentRequest:
    url: str
    body: bytes
    headers: Mapping[str, str]


@dataclass
class RecordingTransport:
    """Records each webhook; answers the scripted statuses (None = network failure), then 200."""

    script: list[int | None] = field(default_factory=list)
    sent: list[SentRequest] = field(default_factory=list)

    @classmethod
    def answering(cls, statuses: Iterable[int | None]) -> RecordingTransport:
        return cls(script=list(statuses))

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        self.sent.append(SentRequest(url, body, dict(headers)))
        status = self.script.pop(0) if self.script else 200
        if status is None:
            raise TransportError("connection refused")
        return status
