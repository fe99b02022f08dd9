"""Entities: what events refer to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from garrison.domain.errors import InvalidInput


class EntityKind(StrEnum):
    ORG = "org"
    PROJECT = "project"
    ACCOUNT = "account"
    API_KEY = "api_key"
    PAYMENT_METHOD = "payment_method"
    DEVICE = "device"
    IP = "ip"
    EMAIL = "email"
    CONTENT = "content"


# When an event names several entities, the first kind in this order is the subject of any review.
SUBJECT_PRECEDENCE: tuple[EntityKind, ...] = (
    EntityKind.ACCOUNT,
    EntityKind.API_KEY,
    EntityKind.ORG,
    EntityKind.PROJECT,
    EntityKind.PAYMENT_METHOD,
    EntityKind.CONTENT,
    EntityKind.EMAIL,
    EntityKind.DEVICE,
    EntityKind.IP,
)


class Tier(StrEnum):
    FREE = "free"
    PAY_AS_YOU_GO = "pay_as_you_go"
    ENTERPRISE = "enterprise"


@dataclass(frozen=True, slots=True, order=True)
class EntityRef:
    """A reference to one entity, written `kind:id` (for example `account:acct_42`)."""

    kind: EntityKind
    id: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"

    @classmethod
    def parse(cls, text: str, *, field: str = "entity") -> EntityRef:
        kind, sep, ident = text.partition(":")
        if not sep or not ident:
            raise InvalidInput(f"expected 'kind:id', got {text!r}", field=field)
        try:
            return cls(EntityKind(kind), ident)
        except ValueError:
            known = ", ".join(k.value for k in EntityKind)
            raise InvalidInput(
                f"unknown entity kind {kind!r} (known: {known})", field=field
            ) from None
