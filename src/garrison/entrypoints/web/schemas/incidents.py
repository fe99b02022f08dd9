"""Incidents on the wire: what clients send to declare and run them, and the whole incident."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from garrison.domain.incident_codec import incident_json
from garrison.domain.incidents import (
    ActionItem,
    EntryKind,
    Incident,
    IncidentStatus,
    LinkKind,
    Severity,
    SourceKind,
)


class DeclareIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    severity: Severity = Severity.SEV3
    source: SourceKind = SourceKind.MANUAL
    source_ref: str = Field("", description="Alert id, case id, ring id or search URL.")
    summary: str = ""
    owner: str = Field("", description="Who runs it (default: whoever declares it).")


class PostIn(BaseModel):
    kind: EntryKind = Field(EntryKind.UPDATE, description="update or decision")
    text: str = Field(min_length=1, max_length=4000)


class StatusIn(BaseModel):
    status: IncidentStatus
    note: str = ""


class LinkIn(BaseModel):
    kind: LinkKind
    ref: str = Field(min_length=1, max_length=2000)
    note: str = ""


class OwnerIn(BaseModel):
    owner: str = Field(min_length=1, max_length=200)


class CommunicationIn(BaseModel):
    audience: str = Field(min_length=1, max_length=200)
    channel: str = "email"
    message: str = Field(min_length=1, max_length=4000)


class ActionItemIn(BaseModel):
    text: str = Field(min_length=1, max_length=1000)
    owner: str = ""
    rule_text: str = Field("", description="A rule expression that would catch this abuse.")


class PostMortemIn(BaseModel):
    summary: str = Field(min_length=1, max_length=4000)
    root_cause: str = ""
    impact: str = ""
    action_items: list[ActionItemIn] = []

    def items(self) -> tuple[ActionItem, ...]:
        return tuple(ActionItem(a.text, a.owner, a.rule_text) for a in self.action_items)


class DraftRuleIn(BaseModel):
    name: str = Field(description="Name of the new draft rule (lowercase, digits, _).")
    policy: str = Field(min_length=1, description="Policy the rule enforces.")


class DraftRuleOut(BaseModel):
    incident: dict[str, Any]
    release_version: int


class IncidentListOut(BaseModel):
    incidents: list[dict[str, Any]]


def incident_wire(incident: Incident) -> dict[str, Any]:
    """The whole incident: links, timeline, communications and post-mortem included."""
    return incident_json(incident)
