"""A memory-backed container with a manual clock, for search and retroactive-action tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from garrison.adapters.fakes import ManualClock, RecordingTransport, SequentialIds
from garrison.bootstrap import Container, bootstrap
from garrison.config import Settings
from garrison.domain.access import Principal, PrincipalKind, Role
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event, JsonValue
from garrison.domain.ids import EventId, PrincipalId

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SECRET = "investigation-tests-secret-key-0123456789abcdef"


def person(name: str, role: Role = Role.INVESTIGATOR) -> Principal:
    return Principal(PrincipalId(name), PrincipalKind.PERSON, name, role)


ALICE = person("alice")
BOB = person("bob")
ADMIN = person("root", Role.ADMIN)
VIEWER = person("vera", Role.VIEWER)


def container(**settings: object) -> Container:
    config = Settings(database_url="memory://", secret_key=SECRET, **settings)  # type: ignore[arg-type]
    return bootstrap(
        config,
        clock=ManualClock(T0 + timedelta(days=1)),
        ids=SequentialIds(),
        transport=RecordingTransport(),
    )


def event(
    n: int,
    kind: str,
    minutes: float,
    entities: dict[str, str],
    **attributes: JsonValue,
) -> Event:
    return Event(
        EventId(f"evt_{n}"),
        kind,
        T0 + timedelta(minutes=minutes),
        {EntityKind(k): v for k, v in entities.items()},
        attributes,
    )


def payments(c: Container, accounts: int, *, declined_every: int = 2) -> None:
    """One payment per account, an hour apart; every `declined_every`-th is declined."""
    for i in range(accounts):
        result = "declined" if i % declined_every == 0 else "ok"
        c.ingest.process(
            event(
                i,
                "payment.attempt",
                60 * i,
                {"account": f"acct_{i}", "payment_method": "pm_shared", "ip": f"10.0.0.{i}"},
                amount_usd=float(i),
                result=result,
            )
        )
