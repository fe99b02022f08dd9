"""Notices with statements of reasons, and their export in the DSA Transparency Database format,
validated against the JSON Schema shipped in the package."""

from __future__ import annotations

import jsonschema
import pytest
from policy_world import T0, add_action, build, person

from garrison.adapters.shipped_policies import dsa_statement_schema
from garrison.domain.access import Role
from garrison.domain.actions import ActionKind
from garrison.domain.dsa import StatementInput, statement
from garrison.domain.errors import InvalidInput, NotFound, PermissionDenied
from garrison.domain.ids import ActionId

REVIEWER = person(Role.REVIEWER)
ADMIN = person(Role.ADMIN, "root")
VALIDATOR = jsonschema.Draft202012Validator(dsa_statement_schema())


def test_the_shipped_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(dsa_statement_schema())


def test_issuing_a_notice_once_per_action() -> None:
    world = build()
    action = add_action(world, 1, ActionKind.SUSPEND_ACCOUNT)
    first = world.transparency.issue(REVIEWER, action, facts="9 cards in 10 minutes")
    again = world.transparency.issue(REVIEWER, action, facts="other facts")
    assert again == first
    assert first.policy_version == 1 and first.facts == "9 cards in 10 minutes"
    assert "Appeal this decision" in first.text
    assert world.transparency.notice(REVIEWER, first.id) == first
    assert world.transparency.notice_for(REVIEWER, action) == first


def test_bad_notice_requests_are_refused() -> None:
    world = build()
    with pytest.raises(NotFound):
        world.transparency.issue(REVIEWER, ActionId("act_missing"))
    no_policy = add_action(world, 2, ActionKind.WARN, policy=None)
    with pytest.raises(InvalidInput) as refused:
        world.transparency.issue(REVIEWER, no_policy)
    assert refused.value.field == "policy"
    with pytest.raises(InvalidInput):
        world.transparency.issue(REVIEWER, no_policy, policy="not.a.policy")
    viewer = person(Role.VIEWER, "vic")
    with pytest.raises(PermissionDenied):
        world.transparency.issue(viewer, add_action(world, 3, ActionKind.BAN_ACCOUNT))


def test_export_validates_against_the_schema_and_skips_non_restrictions() -> None:
    world = build()
    kinds = [
        (ActionKind.SUSPEND_ACCOUNT, "fraud.card_testing", "person:ana"),
        (ActionKind.BAN_ACCOUNT, "sexual.minors", "person:ana"),
        (ActionKind.REMOVE_CONTENT, "hate", "rule:hate_words"),
        (ActionKind.RATE_LIMIT, "fraud.trial_abuse", "system:garrison"),
        (ActionKind.REVOKE_API_KEY, "fraud.key_resale", "person:ana"),
        (ActionKind.ADD_LABEL, "content.user_report", "person:ana"),
        (ActionKind.WARN, "spam", "person:ana"),
    ]
    for n, (kind, policy, actor) in enumerate(kinds):
        world.transparency.issue(REVIEWER, add_action(world, n, kind, policy=policy, actor=actor))
        world.clock.advance(60)
    export = world.transparency.dsa_export(ADMIN, T0)
    assert len(export.statements) == 6 and export.skipped == 1
    for body in export.statements:
        VALIDATOR.validate(body)
    suspend, ban, remove, limit, revoke, label = export.statements
    assert suspend["decision_account"] == "DECISION_ACCOUNT_SUSPENDED"
    assert suspend["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert suspend["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
    assert ban["category"] == "STATEMENT_CATEGORY_PROTECTION_OF_MINORS"
    assert remove["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
    assert remove["automated_decision"] == "AUTOMATED_DECISION_FULLY"
    assert remove["incompatible_content_ground"].startswith("Usage policies")
    assert limit["decision_provision"] == "DECISION_PROVISION_PARTIAL_SUSPENSION"
    assert revoke["decision_provision"] == "DECISION_PROVISION_PARTIAL_TERMINATION"
    assert label["source_type"] == "SOURCE_ARTICLE_16"
    assert suspend["puid"] == "sor-act_0" and suspend["application_date"] == "2026-03-01"
    assert world.transparency.dsa_export(ADMIN, T0.replace(year=2027)).statements == ()


def test_export_needs_the_permission_and_a_sane_window() -> None:
    world = build()
    with pytest.raises(PermissionDenied):
        world.transparency.dsa_export(REVIEWER, T0)
    with pytest.raises(InvalidInput) as refused:
        world.transparency.dsa_export(ADMIN, T0, T0)
    assert refused.value.field == "until"


def test_the_schema_rejects_what_the_database_would() -> None:
    body = statement(
        StatementInput(
            puid="sor-1",
            action_kind="ban_account",
            category="STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
            illegal=False,
            ground="Terms 12",
            explanation="Card testing.",
            facts="facts",
            source="SOURCE_VOLUNTARY",
            automated_detection=True,
            automated_decision="AUTOMATED_DECISION_FULLY",
            content_kind="account",
            content_at=T0,
            applied_at=T0,
        )
    )
    VALIDATOR.validate(body)
    for broken in (
        {**body, "puid": "has spaces/slash"},
        {**body, "category": "STATEMENT_CATEGORY_MADE_UP"},
        {k: v for k, v in body.items() if k != "account_type"},
        {k: v for k, v in body.items() if k != "incompatible_content_ground"},
        {**body, "application_date": "2026-03-01T12:00:00"},
    ):
        assert not VALIDATOR.is_valid(broken)
