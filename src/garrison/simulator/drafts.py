"""The one place that defines each wire event's entities and attributes.

A `Draft` is an event before it has an id and a timestamp: `t` is seconds since the start of the
simulation. Rule packs rely on these exact names, so every producer goes through these builders.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from garrison.domain.entities import Tier
from garrison.domain.events import JsonValue
from garrison.simulator.texts import DISPOSABLE_MAIL, Model
from garrison.simulator.world import Account, ApiKey, Card, Ip, Org


class EventType(StrEnum):
    ACCOUNT_SIGNUP = "account.signup"
    ORG_CREATED = "org.created"
    PROJECT_CREATED = "project.created"
    API_KEY_CREATED = "api_key.created"
    API_USAGE = "api.usage"
    PAYMENT_ATTEMPT = "payment.attempt"
    PAYMENT_CHARGEBACK = "payment.chargeback"
    CONTENT_SUBMITTED = "content.submitted"
    REPORT_FILED = "report.filed"
    ACCOUNT_LOGIN = "account.login"


@dataclass(frozen=True, slots=True)
class Draft:
    t: float
    type: EventType
    entities: dict[str, str]
    attributes: dict[str, JsonValue]
    origin: str | None = None
    """The scenario id that produced it; None for normal traffic."""


def signup(t: float, account: Account, ip: Ip, tier: Tier) -> Draft:
    entities = {"account": account.id, "email": account.email, "ip": ip.address}
    entities["device"] = account.device
    attributes: dict[str, JsonValue] = {
        "country": ip.country,
        "email_domain": account.email_domain,
        "disposable_email": account.email_domain in DISPOSABLE_MAIL,
        "tier": str(tier),
    }
    return Draft(t, EventType.ACCOUNT_SIGNUP, entities, attributes)


def org_created(t: float, org: Org, account: Account, ip: Ip) -> Draft:
    entities = {"org": org.id, "account": account.id, "ip": ip.address}
    return Draft(t, EventType.ORG_CREATED, entities, {"tier": str(org.tier)})


def project_created(t: float, org: Org, project: str, account: Account) -> Draft:
    entities = {"org": org.id, "project": project, "account": account.id}
    return Draft(t, EventType.PROJECT_CREATED, entities, {})


def api_key_created(t: float, org: Org, key: ApiKey) -> Draft:
    entities = {"api_key": key.id, "account": key.account.id, "org": org.id}
    entities["project"] = key.project
    return Draft(t, EventType.API_KEY_CREATED, entities, {})


def usage(t: float, org: Org, key: ApiKey, ip: Ip, model: Model, tokens: int) -> Draft:
    entities = {"api_key": key.id, "org": org.id, "project": key.project}
    entities.update(account=key.account.id, ip=ip.address)
    attributes: dict[str, JsonValue] = {
        "model": model.name,
        "tokens": tokens,
        "requests": max(1, tokens // 900),
        "ip_country": ip.country,
        "cost_usd": round(tokens / 1000 * model.usd_per_1k_tokens, 6),
    }
    return Draft(t, EventType.API_USAGE, entities, attributes)


def payment(
    t: float,
    account: Account,
    org: Org,
    card: Card,
    ip: Ip,
    amount: float,
    decline_code: str | None = None,
) -> Draft:
    """A payment attempt; it is approved unless a decline code is given."""
    entities = {"account": account.id, "org": org.id, "payment_method": card.id}
    entities["ip"] = ip.address
    attributes: dict[str, JsonValue] = {
        "amount_usd": round(amount, 2),
        "card_bin": card.bin,
        "card_country": card.country,
        "ip_country": ip.country,
        "result": "approved" if decline_code is None else "declined",
        "decline_code": decline_code,
    }
    return Draft(t, EventType.PAYMENT_ATTEMPT, entities, attributes)


def chargeback(
    t: float, account: Account, org: Org, card: Card, amount: float, reason: str
) -> Draft:
    entities = {"account": account.id, "org": org.id, "payment_method": card.id}
    attributes: dict[str, JsonValue] = {
        "amount_usd": round(amount, 2),
        "reason": reason,
    }
    return Draft(t, EventType.PAYMENT_CHARGEBACK, entities, attributes)


@dataclass(frozen=True, slots=True)
class Text:
    """A submitted text and the host classifier's view of it."""

    body: str
    language: str
    moderation_score: float
    category: str


def content(t: float, org: Org, key: ApiKey, content_id: str, text: Text) -> Draft:
    entities = {"account": key.account.id, "org": org.id, "api_key": key.id}
    entities["content"] = content_id
    attributes: dict[str, JsonValue] = {
        "text": text.body,
        "modality": "text",
        "language": text.language,
        "moderation_score": round(text.moderation_score, 3),
        "category": text.category,
    }
    return Draft(t, EventType.CONTENT_SUBMITTED, entities, attributes)


def report(
    t: float, reported: str, content_id: str, reporter: str, reason: str, body: str
) -> Draft:
    entities = {"account": reported, "content": content_id}
    attributes: dict[str, JsonValue] = {
        "reporter": reporter,
        "reason": reason,
        "text": body,
    }
    return Draft(t, EventType.REPORT_FILED, entities, attributes)


def login(t: float, account: Account, ip: Ip) -> Draft:
    entities = {"account": account.id, "ip": ip.address, "device": account.device}
    return Draft(t, EventType.ACCOUNT_LOGIN, entities, {"country": ip.country})


def onboarding(t: float, org: Org, ip: Ip, gaps: list[float]) -> list[Draft]:
    """Signup of the owner, then org, first project and first key, separated by `gaps` seconds."""
    owner, key = org.owner, org.keys[0]
    times = [t]
    for gap in gaps[:3]:
        times.append(times[-1] + gap)
    return [
        signup(times[0], owner, ip, org.tier),
        org_created(times[1], org, owner, ip),
        project_created(times[2], org, key.project, owner),
        api_key_created(times[3], org, key),
    ]
