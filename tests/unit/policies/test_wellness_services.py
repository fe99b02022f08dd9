"""Reviewer wellness: opt-outs, daily budgets per severe category, logged reveals, breaks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from policy_world import add_case, build, person

from garrison.adapters.shipped_policies import shipped_taxonomy
from garrison.domain.access import Role
from garrison.domain.decisions import Decision
from garrison.domain.errors import InvalidInput, NotFound
from garrison.domain.ids import CaseId, DecisionId, EventId
from garrison.domain.policies import Taxonomy, parse_policies
from garrison.domain.rules import RuleHit
from garrison.domain.verdicts import Verdict
from garrison.domain.wellness import category_of

ANA = person(Role.REVIEWER)
TAXONOMY = Taxonomy(1, parse_policies(shipped_taxonomy()), datetime(2026, 1, 1, tzinfo=UTC), "s")


def test_wellness_categories_climb_to_the_highest_severe_policy() -> None:
    assert category_of(TAXONOMY, "self_harm.instructions") == "self_harm"
    assert category_of(TAXONOMY, "sexual.minors") == "sexual.minors"
    assert category_of(TAXONOMY, "fraud.card_testing") == "fraud"
    assert category_of(TAXONOMY, "unknown.policy") == "unknown.policy"
    assert category_of(None, "hate") == "hate"


def test_budget_routes_severe_items_elsewhere_once_used_up() -> None:
    world = build()
    reviewer = ANA.id
    assert world.wellness.may_receive(reviewer, "self_harm")
    severe = add_case(world, 1, "self_harm.intent_talk", "self_harm")
    assert world.wellness.reveal(ANA, severe, "event:evt_1") == (
        "self_harm.intent_talk",
        "self_harm",
    )
    world.wellness.reveal(ANA, add_case(world, 2, "self_harm", "fraud.spend"), "event:evt_2")
    assert not world.wellness.may_receive(reviewer, "self_harm")
    assert not world.wellness.may_receive(reviewer, "self_harm.instructions")
    assert world.wellness.may_receive(reviewer, "fraud.card_testing")
    assert world.wellness.refusal(reviewer, ["fraud", "self_harm"]) == (
        "daily exposure budget for self_harm used (2)"
    )
    world.clock.advance(24 * 3600)
    assert world.wellness.may_receive(reviewer, "self_harm")
    with world.store.uow() as uow:
        reveals = [r for r in uow.audit.recent(limit=20) if r.action == "case.reveal"]
    assert len(reveals) == 2 and reveals[0].target == "case:case_2"


def test_opt_outs_cover_a_policy_and_everything_under_it() -> None:
    world = build()
    saved = world.wellness.save_settings(ANA, opted_out=["violence"], reveal_by_default=False)
    assert saved.opted_out == {"violence"}
    assert not world.wellness.may_receive(ANA.id, "violence")
    assert world.wellness.may_receive(ANA.id, "hate")
    with pytest.raises(InvalidInput) as refused:
        world.wellness.save_settings(ANA, opted_out=["nope"], reveal_by_default=False)
    assert refused.value.field == "opted_out"
    assert world.wellness.settings(ANA).opted_out == {"violence"}


def test_breaks_are_due_after_items_or_minutes_and_reset_when_taken() -> None:
    world = build()
    assert not world.wellness.today(ANA).break_due
    world.wellness.reviewed(ANA)
    world.wellness.reviewed(ANA)
    today = world.wellness.today(ANA)
    assert today.reviewed == 2 and not today.break_due
    world.clock.advance(31 * 60)
    assert world.wellness.today(ANA).break_due
    world.wellness.take_break(ANA)
    assert not world.wellness.today(ANA).break_due
    for _ in range(3):
        world.wellness.reviewed(ANA)
    assert world.wellness.today(ANA).break_due
    assert world.wellness.today(ANA).reviewed == 5


def test_case_categories_and_budgets_on_the_dashboard() -> None:
    world = build()
    decision = Decision(
        DecisionId("dec_1"),
        EventId("evt_1"),
        Verdict.REVIEW,
        0.9,
        (RuleHit("r1", "self_harm.instructions", Verdict.REVIEW, 0.9, "x", {}),),
        "rel-1",
        "pol-1",
        datetime(2026, 3, 1, tzinfo=UTC),
    )
    categories = world.wellness.categories([decision])
    assert categories == ("self_harm",)
    assert world.wellness.severe(["self_harm", "fraud"]) == ("self_harm",)
    world.wellness.reveal(ANA, add_case(world, 1, "self_harm.instructions"), "event:evt_1")
    with pytest.raises(NotFound):
        world.wellness.reveal(ANA, CaseId("case_none"), "event:evt_1")
    with pytest.raises(InvalidInput):
        world.wellness.reveal(ANA, add_case(world, 2, "hate"), "")
    budgets = {b.category: b for b in world.wellness.today(ANA).budgets}
    assert budgets["self_harm"].used == 1 and budgets["self_harm"].left == 1
    assert "self_harm.instructions" not in budgets and "sexual.minors" in budgets
