"""Incidents as JSON-ready data and back (what the API returns and SQL stores as the body)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from garrison.domain.incidents import (
    ActionItem,
    Communication,
    Entry,
    EntryKind,
    Incident,
    IncidentId,
    IncidentStatus,
    Link,
    LinkKind,
    PostMortem,
    Severity,
    SourceKind,
)


def _at(value: datetime) -> str:
    return value.isoformat()


def incident_json(i: Incident) -> dict[str, Any]:
    """The whole incident as JSON (also what the API's export returns)."""
    pm = i.postmortem
    return {
        "id": i.id,
        "title": i.title,
        "severity": i.severity.value,
        "status": i.status.value,
        "owner": i.owner,
        "source": i.source.value,
        "source_ref": i.source_ref,
        "declared_at": _at(i.declared_at),
        "updated_at": _at(i.updated_at),
        "summary": i.summary,
        "links": [[lk.kind.value, lk.ref, _at(lk.at), lk.by, lk.note] for lk in i.links],
        "timeline": [[e.kind.value, _at(e.at), e.by, e.text] for e in i.timeline],
        "communications": [
            [_at(c.at), c.by, c.audience, c.channel, c.message] for c in i.communications
        ],
        "postmortem": None
        if pm is None
        else {
            "summary": pm.summary,
            "root_cause": pm.root_cause,
            "impact": pm.impact,
            "written_at": _at(pm.written_at),
            "written_by": pm.written_by,
            "action_items": [[a.text, a.owner, a.rule_text, a.draft_rule] for a in pm.action_items],
        },
    }


def incident_of(body: dict[str, Any]) -> Incident:
    at = datetime.fromisoformat
    pm = body["postmortem"]
    return Incident(
        id=IncidentId(body["id"]),
        title=body["title"],
        severity=Severity(body["severity"]),
        status=IncidentStatus(body["status"]),
        owner=body["owner"],
        source=SourceKind(body["source"]),
        source_ref=body["source_ref"],
        declared_at=at(body["declared_at"]),
        updated_at=at(body["updated_at"]),
        summary=body["summary"],
        links=tuple(Link(LinkKind(k), r, at(t), b, n) for k, r, t, b, n in body["links"]),
        timeline=tuple(Entry(at(t), b, EntryKind(k), x) for k, t, b, x in body["timeline"]),
        communications=tuple(
            Communication(at(t), b, a, c, m) for t, b, a, c, m in body["communications"]
        ),
        postmortem=None
        if pm is None
        else PostMortem(
            pm["summary"],
            pm["root_cause"],
            pm["impact"],
            tuple(ActionItem(*item) for item in pm["action_items"]),
            at(pm["written_at"]),
            pm["written_by"],
        ),
    )
