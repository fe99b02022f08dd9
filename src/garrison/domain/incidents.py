"""Incidents: a situation bigger than one case, run from declaration to post-mortem.

Every change is a pure function returning a new `Incident` with a timeline entry appended, so
the timeline is the incident's own history. Status moves forward
(declared -> investigating -> mitigated -> resolved -> closed, skipping allowed), a resolved
incident may be reopened, and closing needs a post-mortem.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import NewType

from garrison.domain.errors import InvalidInput, InvalidTransition

IncidentId = NewType("IncidentId", str)


class Severity(StrEnum):
    SEV1 = "sev1"
    SEV2 = "sev2"
    SEV3 = "sev3"
    SEV4 = "sev4"


class IncidentStatus(StrEnum):
    DECLARED = "declared"
    INVESTIGATING = "investigating"
    MITIGATED = "mitigated"
    RESOLVED = "resolved"
    CLOSED = "closed"


ORDER = tuple(IncidentStatus)


class SourceKind(StrEnum):
    ALERT = "alert"
    CASE = "case"
    RING = "ring"
    SEARCH = "search"
    CLUSTER = "cluster"
    MANUAL = "manual"


class LinkKind(StrEnum):
    CASE = "case"
    ENTITY = "entity"
    RULE = "rule"
    QUERY = "query"
    ALERT = "alert"
    RING = "ring"


class EntryKind(StrEnum):
    DECLARED = "declared"
    UPDATE = "update"
    DECISION = "decision"
    STATUS = "status"
    LINK = "link"
    COMMUNICATION = "communication"
    POSTMORTEM = "postmortem"
    OWNER = "owner"


@dataclass(frozen=True, slots=True)
class Link:
    kind: LinkKind
    ref: str
    at: datetime
    by: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Entry:
    at: datetime
    by: str
    kind: EntryKind
    text: str


@dataclass(frozen=True, slots=True)
class Communication:
    at: datetime
    by: str
    audience: str
    channel: str
    message: str


@dataclass(frozen=True, slots=True)
class ActionItem:
    text: str
    owner: str = ""
    rule_text: str = ""
    """A rule expression (`when`) that would catch this abuse; it can become a draft rule."""
    draft_rule: str = ""
    """The name of the draft rule made from it, once made."""


@dataclass(frozen=True, slots=True)
class PostMortem:
    summary: str
    root_cause: str
    impact: str
    action_items: tuple[ActionItem, ...]
    written_at: datetime
    written_by: str


@dataclass(frozen=True, slots=True)
class Incident:
    id: IncidentId
    title: str
    severity: Severity
    status: IncidentStatus
    owner: str
    source: SourceKind
    source_ref: str
    declared_at: datetime
    updated_at: datetime
    summary: str = ""
    links: tuple[Link, ...] = ()
    timeline: tuple[Entry, ...] = ()
    communications: tuple[Communication, ...] = ()
    postmortem: PostMortem | None = None

    @property
    def is_open(self) -> bool:
        return self.status is not IncidentStatus.CLOSED


def _text(value: str, field: str, limit: int = 4000) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(f"{field} must not be empty", field=field)
    if len(value) > limit:
        raise InvalidInput(f"{field} is longer than {limit} characters", field=field)
    return value


def declare(
    incident_id: IncidentId,
    *,
    title: str,
    severity: Severity,
    owner: str,
    source: SourceKind,
    source_ref: str,
    summary: str,
    at: datetime,
    by: str,
) -> Incident:
    title = _text(title, "title", 200)
    entry = Entry(at, by, EntryKind.DECLARED, f"{severity} declared from {source} {source_ref}")
    return Incident(
        incident_id,
        title,
        severity,
        IncidentStatus.DECLARED,
        owner or by,
        source,
        source_ref,
        at,
        at,
        summary.strip(),
        timeline=(entry,),
    )


def _with(incident: Incident, entry: Entry) -> Incident:
    """The incident with `entry` on its timeline (refused once it is closed)."""
    if not incident.is_open:
        raise InvalidTransition("a closed incident cannot change", field="status")
    return replace(incident, timeline=(*incident.timeline, entry), updated_at=entry.at)


def post(incident: Incident, kind: EntryKind, text: str, *, at: datetime, by: str) -> Incident:
    """Add an update or a decision to the timeline."""
    if kind not in (EntryKind.UPDATE, EntryKind.DECISION):
        raise InvalidInput("only updates and decisions are posted", field="kind")
    return _with(incident, Entry(at, by, kind, _text(text, "text")))


def move(
    incident: Incident, to: IncidentStatus, *, at: datetime, by: str, note: str = ""
) -> Incident:
    """Change status: forward only, or back to investigating from resolved (a reopen)."""
    here, there = ORDER.index(incident.status), ORDER.index(to)
    reopen = incident.status is IncidentStatus.RESOLVED and to is IncidentStatus.INVESTIGATING
    if there <= here and not reopen:
        raise InvalidTransition(f"cannot move from {incident.status} to {to}", field="status")
    if to is IncidentStatus.CLOSED and incident.postmortem is None:
        raise InvalidTransition("write the post-mortem before closing", field="postmortem")
    text = f"{incident.status} -> {to}" + (f": {note.strip()}" if note.strip() else "")
    return replace(_with(incident, Entry(at, by, EntryKind.STATUS, text)), status=to)


def link(
    incident: Incident, kind: LinkKind, ref: str, *, at: datetime, by: str, note: str = ""
) -> Incident:
    """Link a case, entity, rule, query, alert or ring (linking the same thing twice is a no-op)."""
    ref = _text(ref, "ref", 2000)
    if any(lk.kind is kind and lk.ref == ref for lk in incident.links):
        return incident
    added = Link(kind, ref, at, by, note.strip())
    entry = Entry(at, by, EntryKind.LINK, f"linked {kind} {ref}")
    return replace(_with(incident, entry), links=(*incident.links, added))


def communicate(
    incident: Incident, *, audience: str, channel: str, message: str, at: datetime, by: str
) -> Incident:
    """Log a message sent to stakeholders."""
    sent = Communication(
        at,
        by,
        _text(audience, "audience", 200),
        channel.strip() or "email",
        _text(message, "message"),
    )
    entry = Entry(at, by, EntryKind.COMMUNICATION, f"to {sent.audience} by {sent.channel}")
    return replace(_with(incident, entry), communications=(*incident.communications, sent))


def assign(incident: Incident, owner: str, *, at: datetime, by: str) -> Incident:
    owner = _text(owner, "owner", 200)
    return replace(_with(incident, Entry(at, by, EntryKind.OWNER, f"owner: {owner}")), owner=owner)


def write_postmortem(
    incident: Incident,
    *,
    summary: str,
    root_cause: str,
    impact: str,
    action_items: tuple[ActionItem, ...],
    at: datetime,
    by: str,
) -> Incident:
    """Write (or rewrite) the post-mortem."""
    pm = PostMortem(
        _text(summary, "summary"), root_cause.strip(), impact.strip(), action_items, at, by
    )
    entry = Entry(at, by, EntryKind.POSTMORTEM, f"post-mortem with {len(action_items)} actions")
    return replace(_with(incident, entry), postmortem=pm)


def mark_drafted(incident: Incident, index: int, rule: str, *, at: datetime, by: str) -> Incident:
    """Record that action item `index` became the draft rule `rule`."""
    pm = incident.postmortem
    if pm is None or not 0 <= index < len(pm.action_items):
        raise InvalidInput("no such action item", field="item")
    items = list(pm.action_items)
    items[index] = replace(items[index], draft_rule=rule)
    entry = Entry(at, by, EntryKind.DECISION, f"action item {index + 1} drafted as rule {rule}")
    return replace(
        incident,
        postmortem=replace(pm, action_items=tuple(items)),
        timeline=(*incident.timeline, entry),
        updated_at=at,
    )
