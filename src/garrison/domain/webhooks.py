"""Signed webhooks to the host platform: signature scheme, retry schedule and delivery state.

Signature header: `Garrison-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
A receiver recomputes the HMAC, compares in constant time and refuses timestamps older than its
tolerance, so a captured request cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from garrison.domain.errors import InvalidInput, InvalidTransition
from garrison.domain.ids import ActionId, DeliveryId

SIGNATURE_HEADER = "Garrison-Signature"
DEFAULT_TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(
    secret: str,
    header: str,
    body: bytes,
    *,
    now: int,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
) -> None:
    """Raise InvalidInput unless `header` signs `body` with `secret` within the tolerance."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        raise InvalidInput("malformed signature header", field=SIGNATURE_HEADER) from None
    if abs(now - timestamp) > tolerance_seconds:
        raise InvalidInput(
            "signature timestamp outside tolerance (replay?)", field=SIGNATURE_HEADER
        )
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    if not hmac.compare_digest(expected, given):
        raise InvalidInput("signature does not match", field=SIGNATURE_HEADER)


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 8
    base_seconds: float = 2.0
    cap_seconds: float = 3600.0

    def delay(self, attempt: int) -> timedelta:
        """Exponential back-off after the `attempt`-th failure (1-based), capped."""
        return timedelta(seconds=min(self.cap_seconds, self.base_seconds * 2 ** (attempt - 1)))


@dataclass(frozen=True, slots=True)
class Delivery:
    """One webhook to send; `id` is also sent as the idempotency key, so receivers dedupe."""

    id: DeliveryId
    action_id: ActionId
    url: str
    body: bytes
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    last_error: str | None = None
    delivered_at: datetime | None = None

    def succeeded(self, at: datetime) -> Delivery:
        self._require_pending()
        return replace(
            self,
            status=DeliveryStatus.DELIVERED,
            attempts=self.attempts + 1,
            delivered_at=at,
            last_error=None,
        )

    def failed(self, at: datetime, error: str, policy: RetryPolicy) -> Delivery:
        """Schedule the next try, or dead-letter the delivery once the attempts are spent."""
        self._require_pending()
        attempts = self.attempts + 1
        if attempts >= policy.max_attempts:
            return replace(self, status=DeliveryStatus.DEAD, attempts=attempts, last_error=error)
        return replace(
            self,
            attempts=attempts,
            last_error=error,
            next_attempt_at=at + policy.delay(attempts),
        )

    def retried(self, at: datetime) -> Delivery:
        """Put a dead-lettered delivery back in line (an operator's decision)."""
        if self.status is not DeliveryStatus.DEAD:
            raise InvalidTransition(f"delivery {self.id} is {self.status}, not dead")
        return replace(self, status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=at)

    def _require_pending(self) -> None:
        if self.status is not DeliveryStatus.PENDING:
            raise InvalidTransition(f"delivery {self.id} is {self.status}, not pending")
