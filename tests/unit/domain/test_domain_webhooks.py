from datetime import UTC, datetime, timedelta

import pytest

from garrison.domain.errors import InvalidInput, InvalidTransition
from garrison.domain.ids import ActionId, DeliveryId
from garrison.domain.webhooks import Delivery, DeliveryStatus, RetryPolicy, sign, verify

T0 = datetime(2026, 1, 1, tzinfo=UTC)
BODY = b'{"a":1}'


def test_signature_round_trip() -> None:
    header = sign("s3cret", 1000, BODY)
    verify("s3cret", header, BODY, now=1010)


@pytest.mark.parametrize(
    ("secret", "body", "now"),
    [("wrong", BODY, 1000), ("s3cret", b'{"a":2}', 1000), ("s3cret", BODY, 1000 + 301)],
)
def test_signature_refuses_wrong_secret_tampered_body_and_replay(
    secret: str, body: bytes, now: int
) -> None:
    header = sign("s3cret", 1000, BODY)
    with pytest.raises(InvalidInput):
        verify(secret, header, body, now=now)


def test_malformed_header() -> None:
    with pytest.raises(InvalidInput):
        verify("s", "garbage", BODY, now=0)


def test_backoff_doubles_and_caps() -> None:
    policy = RetryPolicy(max_attempts=20, base_seconds=2, cap_seconds=60)
    assert [policy.delay(n).total_seconds() for n in (1, 2, 3, 10)] == [2, 4, 8, 60]


def test_delivery_retries_then_dead_letters() -> None:
    policy = RetryPolicy(max_attempts=3, base_seconds=1)
    d = Delivery(
        DeliveryId("d"), ActionId("a"), "http://h", BODY, DeliveryStatus.PENDING, 0, T0, T0
    )
    d = d.failed(T0, "boom", policy)
    assert (d.status, d.attempts, d.next_attempt_at) == (
        DeliveryStatus.PENDING,
        1,
        T0 + timedelta(seconds=1),
    )
    d = d.failed(T0, "boom", policy).failed(T0, "boom", policy)
    assert (d.status, d.attempts, d.last_error) == (DeliveryStatus.DEAD, 3, "boom")
    with pytest.raises(InvalidTransition):
        d.succeeded(T0)
    again = d.retried(T0)
    assert (again.status, again.attempts) == (DeliveryStatus.PENDING, 0)
