"""The entity page: one entity's timeline, the identities linked to it, and a risk summary.

The timeline pages over the entity's events (newest first); each page also holds the decisions
and actions of those events, and the cases and labels that fall within the page's time span (the
last page holds all older ones). Personal data is redacted as the page is built.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.events import JsonValue
from garrison.domain.graph import LinkPolicy, Strength
from garrison.domain.labels import LabelValue
from garrison.domain.rings import Ring
from garrison.services.links_view import LinkedAccount, LinkedIdentifier, links_of
from garrison.services.redactor import Redactor
from garrison.services.timeline import TimelineItem, timeline
from garrison.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class RiskSummary:
    linked_accounts: int
    strongly_linked: int
    """Linked accounts that share a card, device, API key or email with this one."""
    ring: Ring | None
    violating_labels: int
    entity_labels: tuple[str, ...]
    max_score: float | None
    """The highest decision score on this page of the timeline."""
    open_case: str | None
    fan_out: tuple[tuple[str, int], ...]
    """For an account: how many identifiers of each kind it used (many cards, many IPs)."""


@dataclass(frozen=True, slots=True)
class EntityPage:
    subject: EntityRef
    shown: str
    """The subject as `kind:id`, redacted when it is personal data."""
    timeline: tuple[TimelineItem, ...]
    limit: int
    offset: int
    has_more: bool
    identifiers: tuple[LinkedIdentifier, ...]
    accounts: tuple[LinkedAccount, ...]
    risk: RiskSummary
    redacted: int
    """How many personal-data values the page hides (a reveal shows them)."""


def build_page(
    uow: UnitOfWork,
    subject: EntityRef,
    redactor: Redactor,
    policy: LinkPolicy,
    *,
    limit: int,
    offset: int,
) -> EntityPage:
    shown = redactor.ref(subject)
    items, has_more = timeline(uow, subject, redactor, limit=limit, offset=offset)
    identifiers, accounts = links_of(uow, subject, redactor, policy)
    risk = _risk(uow, subject, items, identifiers, accounts)
    return EntityPage(
        subject,
        shown,
        tuple(items),
        limit,
        offset,
        has_more,
        tuple(identifiers),
        tuple(accounts),
        risk,
        len(redactor.revealed()),
    )


def _risk(
    uow: UnitOfWork,
    subject: EntityRef,
    items: Sequence[TimelineItem],
    identifiers: Sequence[LinkedIdentifier],
    accounts: Sequence[LinkedAccount],
) -> RiskSummary:
    labels = uow.labels.for_subject(subject)
    names = uow.entity_labels.for_subjects([subject], active_at=None)
    scores = [float(_number(i.detail, "score")) for i in items if i.kind == "decision"]
    case = uow.cases.open_for(subject)
    return RiskSummary(
        linked_accounts=len(accounts),
        strongly_linked=sum(1 for a in accounts if a.strength is Strength.STRONG),
        ring=uow.rings.for_account(subject) if subject.kind is EntityKind.ACCOUNT else None,
        violating_labels=sum(1 for lab in labels if lab.value is LabelValue.VIOLATING),
        entity_labels=tuple(label.name for label in names),
        max_score=max(scores) if scores else None,
        open_case=case.id if case else None,
        fan_out=tuple(sorted(Counter(str(i.kind) for i in identifiers).items())),
    )


def _number(detail: Mapping[str, JsonValue], key: str) -> float:
    value = detail.get(key)
    return float(value) if isinstance(value, int | float) else 0.0
