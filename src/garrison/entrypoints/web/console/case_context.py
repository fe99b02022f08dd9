"""What the review console shows around a case: masked content, playbooks, related cases, the
subject's history, and the reviewer's wellness state.

Text and media in events are masked: the page carries no raw text until the reviewer reveals
it (each reveal is audited and counts against the daily exposure budget); media is shown
blurred and greyscale until revealed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from garrison.domain.cases import Case
from garrison.domain.entities import EntityRef
from garrison.domain.errors import InvalidInput
from garrison.domain.events import Event, JsonValue
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.viewer import Viewer
from garrison.services.case_timeline import EntryKind
from garrison.services.review import CaseFile

TEXT_KEYS = frozenset({"text", "prompt", "completion", "content", "message", "body", "output"})
"""Event attributes that hold words people wrote or a model generated."""
MEDIA_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
RELATED_SCAN = 500
"""How many recent cases the related-cases panel looks through."""
RELATED_SHOWN = 10


@dataclass(frozen=True, slots=True)
class Field:
    """One attribute of one event as the case page shows it."""

    item: str
    """`event:<id>:<attribute>`: what a reveal names."""
    key: str
    value: JsonValue
    kind: str
    """`text` (masked), `media` (blurred) or `plain`."""


def field_kind(key: str, value: JsonValue) -> str:
    if isinstance(value, str) and key in TEXT_KEYS:
        return "text"
    is_link = isinstance(value, str) and value.startswith(("https://", "http://", "/"))
    if is_link and str(value).lower().split("?")[0].endswith(MEDIA_SUFFIXES):
        return "media"
    return "plain"


def fields_of(event: Event) -> list[Field]:
    return [
        Field(f"event:{event.id}:{key}", key, value, field_kind(key, value))
        for key, value in sorted(event.attributes.items())
    ]


def find_field(found: CaseFile, item: str) -> Field:
    """The masked field a reveal names; InvalidInput if the case has no such item."""
    for event in found.events:
        for field in fields_of(event):
            if field.item == item and field.kind != "plain":
                return field
    raise InvalidInput(f"this case has no masked item {item!r}", field="item")


def related_cases(console: Console, viewer: Viewer, found: CaseFile) -> list[Case]:
    """Other cases about the subject or about an entity the subject's events name. A blind
    double review shows none of the subject's resolved cases (they hold the first answer)."""
    linked: set[EntityRef] = {found.case.subject}
    for event in found.events:
        linked.update(event.refs)
    recent = console.container.review.cases(viewer.principal, limit=RELATED_SCAN)
    related = [c for c in recent if c.id != found.case.id and c.subject in linked]
    if found.blind:
        related = [c for c in related if c.resolution is None]
    return related[:RELATED_SHOWN]


def reputations(console: Console, viewer: Viewer, found: CaseFile) -> dict[str, float]:
    """The reputation of each reporter on the case (share of their reports that were upheld)."""
    service = console.container.user_reports
    return {
        rid: service.reporter(viewer.principal, rid).reporter.reputation
        for rid in dict.fromkeys(r.reporter for r in found.reports)
    }


def case_work(console: Console, viewer: Viewer, found: CaseFile) -> dict[str, Any]:
    """The case's timeline, comments, evidence, reports and reporters' reputations."""
    return {
        "timeline": found.timeline,
        "comments": [e for e in found.timeline if e.kind is EntryKind.COMMENT],
        "evidence": found.evidence,
        "reputations": reputations(console, viewer, found),
    }


def history(found: CaseFile, related: Sequence[Case]) -> list[dict[str, Any]]:
    """The subject's earlier outcomes, labels and actions, newest first."""
    rows: list[dict[str, Any]] = []
    for case in related:
        if case.subject == found.case.subject and case.resolution is not None:
            r = case.resolution
            rows.append(
                {
                    "at": r.at,
                    "what": f"case {r.outcome}",
                    "detail": r.policy or "",
                    "link": f"/cases/{case.id}",
                }
            )
    for label in found.labels:
        rows.append(
            {
                "at": label.created_at,
                "what": f"label {label.value}",
                "detail": label.policy or "",
                "link": None,
            }
        )
    for action in found.actions:
        rows.append(
            {
                "at": action.created_at,
                "what": action.kind.replace("_", " "),
                "detail": action.status,
                "link": None,
            }
        )
    return sorted(rows, key=lambda row: row["at"], reverse=True)


def case_policies(found: CaseFile) -> list[str]:
    return sorted({hit.policy for d in found.decisions for hit in d.hits if hit.policy})


def review_context(
    console: Console, viewer: Viewer, found: CaseFile, revealed: Iterable[str] = ()
) -> dict[str, Any]:
    """The review console's additions to the case page."""
    container = console.container
    policies = case_policies(found)
    related = related_cases(console, viewer, found)
    wellness = container.wellness.today(viewer.principal)
    categories = container.wellness.categories(found.decisions)
    return {
        "playbooks": container.policies.for_case(viewer.principal, found.case.queue, policies),
        "fields": {event.id: fields_of(event) for event in found.events},
        "revealed": set(revealed),
        "reveal_all": wellness.settings.reveal_by_default,
        "related": related,
        "history": history(found, related),
        "wellness": wellness,
        "categories": categories,
        "severe": container.wellness.severe(categories),
        **case_work(console, viewer, found),
    }
