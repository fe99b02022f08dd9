"""Ports other than storage: time, ids, passwords, webhooks and the current rule release."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from garrison.domain.lifecycle import Lineup
from garrison.domain.rules import Release
from garrison.services.unit_of_work import UnitOfWork


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class IdGenerator(Protocol):
    def new(self, prefix: str) -> str:
        """A fresh, unique, roughly time-sortable id such as `dec_01J...`."""
        ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, hashed: str, password: str) -> bool: ...


class TransportError(Exception):
    """A webhook could not be delivered (network failure, timeout or a non-2xx answer)."""


class WebhookTransport(Protocol):
    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        """Send one request and return the HTTP status; raise TransportError on network failure."""
        ...


class ReleaseSource(Protocol):
    """The live release, read inside the caller's unit of work: a publish that committed before
    the unit began is what the unit evaluates (no process serves a stale release)."""

    def current(self, uow: UnitOfWork) -> Release:
        """The live release."""
        ...

    def lineup(self, uow: UnitOfWork) -> Lineup:
        """The live release as it runs now: rules split by stage, run-time demotions applied."""
        ...
