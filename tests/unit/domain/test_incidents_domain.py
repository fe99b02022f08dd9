"""The incident lifecycle: declare, post, link, communicate, post-mortem, close."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from garrison.domain import incidents as model
from garrison.domain.errors import InvalidInput, InvalidTransition
from garrison.domain.incident_codec import incident_json, incident_of
from garrison.domain.incidents import (
    ActionItem,
    EntryKind,
    Incident,
    IncidentId,
    IncidentStatus,
    LinkKind,
    Severity,
    SourceKind,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def declared() -> Incident:
    return model.declare(
        IncidentId("inc_1"),
        title="Scam wave",
        severity=Severity.SEV2,
        owner="",
        source=SourceKind.ALERT,
        source_ref="tra_1",
        summary="",
        at=T0,
        by="person:ana",
    )


def test_declaring_starts_the_timeline_and_defaults_the_owner() -> None:
    incident = declared()
    assert incident.status is IncidentStatus.DECLARED and incident.owner == "person:ana"
    assert [e.kind for e in incident.timeline] == [EntryKind.DECLARED]
    with pytest.raises(InvalidInput) as error:
        model.declare(
            IncidentId("i"),
            title=" ",
            severity=Severity.SEV4,
            owner="",
            source=SourceKind.MANUAL,
            source_ref="",
            summary="",
            at=T0,
            by="x",
        )
    assert error.value.field == "title"


def test_status_moves_forward_and_closing_needs_a_postmortem() -> None:
    incident = model.move(declared(), IncidentStatus.MITIGATED, at=T0, by="x", note="blocked IPs")
    assert incident.timeline[-1].text == "declared -> mitigated: blocked IPs"
    with pytest.raises(InvalidTransition):
        model.move(incident, IncidentStatus.INVESTIGATING, at=T0, by="x")
    with pytest.raises(InvalidTransition) as error:
        model.move(incident, IncidentStatus.CLOSED, at=T0, by="x")
    assert error.value.field == "postmortem"
    resolved = model.move(incident, IncidentStatus.RESOLVED, at=T0, by="x")
    reopened = model.move(resolved, IncidentStatus.INVESTIGATING, at=T0, by="x")
    assert reopened.status is IncidentStatus.INVESTIGATING


def test_links_are_deduplicated_and_a_closed_incident_is_frozen() -> None:
    incident = model.link(declared(), LinkKind.CASE, "cas_1", at=T0, by="x")
    assert model.link(incident, LinkKind.CASE, "cas_1", at=T0, by="x") is incident
    incident = model.write_postmortem(
        incident,
        summary="what happened",
        root_cause="",
        impact="",
        action_items=(ActionItem("rule", rule_text='type == "x"'),),
        at=T0,
        by="x",
    )
    closed = model.move(incident, IncidentStatus.CLOSED, at=T0 + timedelta(hours=1), by="x")
    assert not closed.is_open and closed.updated_at == T0 + timedelta(hours=1)
    with pytest.raises(InvalidTransition):
        model.post(closed, EntryKind.UPDATE, "late", at=T0, by="x")


def test_only_updates_and_decisions_are_posted() -> None:
    with pytest.raises(InvalidInput) as error:
        model.post(declared(), EntryKind.STATUS, "x", at=T0, by="x")
    assert error.value.field == "kind"


def test_an_action_item_is_marked_when_it_became_a_draft_rule() -> None:
    incident = model.write_postmortem(
        declared(),
        summary="s",
        root_cause="",
        impact="",
        action_items=(ActionItem("a"), ActionItem("b", rule_text="true")),
        at=T0,
        by="x",
    )
    drafted = model.mark_drafted(incident, 1, "scam_giveaway", at=T0, by="x")
    assert drafted.postmortem is not None
    assert drafted.postmortem.action_items[1].draft_rule == "scam_giveaway"
    with pytest.raises(InvalidInput):
        model.mark_drafted(incident, 5, "r", at=T0, by="x")


def test_the_json_form_round_trips() -> None:
    incident = model.communicate(
        model.link(declared(), LinkKind.QUERY, "/search?q=x", at=T0, by="x", note="seg"),
        audience="support",
        channel="slack",
        message="heads up",
        at=T0,
        by="x",
    )
    assert incident_of(incident_json(incident)) == incident
