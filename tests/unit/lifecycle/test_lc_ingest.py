"""Stages at ingest: shadow rules watch, canary rules act for their share, capped rules demote
themselves, snoozed rules stay quiet for one entity."""

from __future__ import annotations

from datetime import timedelta

import pytest
from lifecycle_world import EDITOR, OTHER_EDITOR, World, build_world, rule, rule_file

from garrison.adapters import releases as release_adapter
from garrison.adapters.storage.memory_rules import MemoryRuleControls
from garrison.domain.actions import ActionKind
from garrison.domain.canary import CanaryOutcome, canary_bucket
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.errors import InvalidInput, NotFound
from garrison.domain.events import Event
from garrison.domain.ids import EventId
from garrison.domain.rule_controls import AlertKind
from garrison.domain.rules import Stage
from garrison.domain.shadow import RunAs
from garrison.domain.verdicts import Verdict
from garrison.services.ingest import IngestResult


def _records(world: World) -> list[tuple[str, RunAs, Verdict, Verdict]]:
    with world.store.uow() as uow:
        found = uow.rule_activity.records(
            world.clock.now() - timedelta(days=30), world.clock.now() + timedelta(days=1), limit=99
        )
    return [(r.rule, r.run_as, r.verdict_without, r.verdict_with) for r in found]


def test_shadow_hits_are_recorded_and_never_act() -> None:
    world = build_world(
        rule_file(
            rule("live_review", "attr.score > 5", verdict="review"),
            rule("watcher", verdict="block", stage="shadow", actions=["suspend_account"]),
        )
    )

    result = world.event(flag=True)

    decision = result.decision
    assert (decision.verdict, decision.hits, result.actions) == (Verdict.ALLOW, (), ())
    assert [h.rule for h in decision.shadow_hits] == ["watcher"]
    assert decision.shadow_hits[0].verdict is Verdict.BLOCK
    assert _records(world) == [("watcher", RunAs.SHADOW, Verdict.ALLOW, Verdict.BLOCK)]
    with world.store.uow() as uow:
        stored = uow.decisions.get(decision.id)
        assert uow.actions.planned(10) == []
    assert stored == decision


def test_draft_and_retired_rules_are_never_evaluated() -> None:
    world = build_world(
        rule_file(rule("drafted", verdict="block", stage="draft"), rule("old", stage="retired"))
    )

    decision = world.event(flag=True).decision

    assert (decision.hits, decision.shadow_hits, decision.canary) == ((), (), ())
    assert _records(world) == []


def _canary_world(percent: int, holdout: int = 5) -> World:
    return build_world(
        rule_file(
            rule(
                "trial",
                verdict="block",
                stage="canary",
                canary_percent=percent,
                actions=["suspend_account"],
            )
        ),
        holdout=holdout,
    )


def test_canary_acts_for_its_share_of_subjects_and_watches_the_rest() -> None:
    world = _canary_world(30)
    accounts = [f"acct_{n}" for n in range(60)]

    outcomes = {}
    for account in accounts:
        result = world.event(account=account, flag=True)
        (call,) = result.decision.canary
        bucket = canary_bucket("trial", EntityRef(EntityKind.ACCOUNT, account))
        assert call.bucket == bucket
        outcomes[account] = call.outcome
        if call.outcome is CanaryOutcome.APPLIED:
            assert bucket < 30
            assert result.decision.verdict is Verdict.BLOCK
            assert [a.kind for a in result.actions] == [ActionKind.SUSPEND_ACCOUNT]
        else:
            assert bucket >= 30
            assert result.decision.verdict is Verdict.ALLOW and result.actions == ()
            assert [h.rule for h in result.decision.shadow_hits] == ["trial"]
            expected = CanaryOutcome.HELD_OUT if bucket >= 95 else CanaryOutcome.NOT_SELECTED
            assert call.outcome is expected
    assert {CanaryOutcome.APPLIED, CanaryOutcome.NOT_SELECTED} <= set(outcomes.values())
    again = [world.event(account=a, flag=True).decision.canary[0].outcome for a in accounts]
    assert again == [outcomes[a] for a in accounts]  # deterministic per subject


def test_the_holdout_never_gets_canary_actions_even_at_100_percent() -> None:
    world = _canary_world(100, holdout=10)

    for n in range(80):
        account = f"acct_{n}"
        result = world.event(account=account, flag=True)
        (call,) = result.decision.canary
        held_out = canary_bucket("trial", EntityRef(EntityKind.ACCOUNT, account)) >= 90
        assert (call.outcome is CanaryOutcome.HELD_OUT) == held_out
        assert (result.actions == ()) == held_out
    kinds = {run_as for _, run_as, _, _ in _records(world)}
    assert kinds == {RunAs.CANARY_APPLIED, RunAs.CANARY_HELD_OUT}


CAPPED = rule_file(
    rule("capped", verdict="block", max_actions_per_day=2, actions=["suspend_account"])
)


def test_a_rule_at_its_daily_cap_is_demoted_with_an_alert_and_an_audit_record() -> None:
    world = build_world(CAPPED)

    acted = [world.event(account=f"a{n}", flag=True) for n in range(2)]
    after = world.event(account="a9", flag=True)

    assert all(r.decision.verdict is Verdict.BLOCK for r in acted)
    assert (after.decision.verdict, after.actions) == (Verdict.ALLOW, ())
    assert [h.rule for h in after.decision.shadow_hits] == ["capped"]
    assert _records(world)[-1] == ("capped", RunAs.DEMOTED, Verdict.ALLOW, Verdict.BLOCK)
    (alert,) = world.controls.alerts()
    assert (alert.kind, alert.rule) == (AlertKind.RULE_DEMOTED, "capped")
    assert alert.details["cap"] == 2 and alert.details["release_version"] == 1
    with world.store.uow() as uow:
        (record,) = [r for r in uow.audit.scan(0, 99) if r.action == "rule.demote"]
    assert (record.actor, record.target) == ("system:garrison", "rule:capped")
    sheet = {v.rule.name: v for v in world.rules.rules().rules}["capped"]
    assert (sheet.stage, sheet.demoted, sheet.acted_today) == (Stage.SHADOW, True, 2)


def test_a_rule_reaching_its_cap_within_a_batch_stops_acting_for_the_rest_of_it() -> None:
    world = build_world(CAPPED)
    events = [
        Event(
            EventId(f"evt_b{n}"),
            "content.submitted",
            world.clock.now(),
            {EntityKind.ACCOUNT: f"a{n}"},
            {"flag": True},
        )
        for n in range(4)
    ]

    results = world.ingest.process_batch(events)

    verdicts = [r.decision.verdict for r in results if isinstance(r, IngestResult)]
    assert verdicts == [Verdict.BLOCK, Verdict.BLOCK, Verdict.ALLOW, Verdict.ALLOW]
    (alert,) = world.controls.alerts()
    assert alert.rule == "capped"


def test_a_demotion_lasts_until_restored_then_trips_again_the_next_day() -> None:
    world = build_world(CAPPED)
    for n in range(2):
        world.event(account=f"a{n}", flag=True)
    world.clock.advance(86400)
    assert world.event(flag=True).decision.verdict is Verdict.ALLOW  # still demoted tomorrow

    world.controls.restore("capped", actor=OTHER_EDITOR)

    assert [world.event(flag=True).decision.verdict for _ in range(3)] == [
        Verdict.BLOCK,
        Verdict.BLOCK,
        Verdict.ALLOW,
    ]
    assert len(world.controls.alerts()) == 2
    with pytest.raises(NotFound):
        world.controls.restore("nope", actor=OTHER_EDITOR)


def test_a_restore_holds_for_the_rest_of_the_day() -> None:
    world = build_world(CAPPED)
    for n in range(3):
        world.event(account=f"a{n}", flag=True)

    world.controls.restore("capped", actor=OTHER_EDITOR)

    verdicts = [world.event(account=f"b{n}", flag=True).decision.verdict for n in range(3)]
    assert verdicts == [Verdict.BLOCK] * 3
    assert len(world.controls.alerts()) == 1


def test_a_new_release_clears_demotions_but_the_day_count_goes_on() -> None:
    world = build_world(CAPPED)
    for n in range(3):
        world.event(account=f"a{n}", flag=True)

    world.publish(CAPPED + "\n")

    # release 2 acts once (today's count is already at the cap), then demotes itself
    assert world.event(flag=True).decision.verdict is Verdict.BLOCK
    assert world.event(flag=True).decision.verdict is Verdict.ALLOW
    assert [a.details["release_version"] for a in world.controls.alerts()] == [2, 1]


def test_a_snoozed_rule_does_not_fire_for_that_entity_until_the_snooze_ends(world: World) -> None:
    account = EntityRef(EntityKind.ACCOUNT, "a1")
    snooze = world.controls.snooze(
        "base_block", account, world.clock.now() + timedelta(hours=1), actor=EDITOR, reason="VIP"
    )

    snoozed = world.event(account="a1", flag=True).decision
    other = world.event(account="a2", flag=True).decision
    world.clock.advance(3600)
    later = world.event(account="a1", flag=True).decision

    assert (snoozed.verdict, snoozed.hits, snoozed.snoozed) == (Verdict.ALLOW, (), ("base_block",))
    assert other.verdict is Verdict.BLOCK and other.snoozed == ()
    assert later.verdict is Verdict.BLOCK
    assert world.controls.snoozes() == []
    assert world.controls.snoozes(include_ended=True) == [snooze]


def test_a_snooze_can_be_lifted_and_is_checked(world: World) -> None:
    ip = EntityRef(EntityKind.IP, "10.0.0.1")
    until = world.clock.now() + timedelta(days=1)
    snooze = world.controls.snooze("base_block", ip, until, actor=EDITOR, reason="office NAT")
    assert world.event(flag=True).decision.snoozed == ("base_block",)  # any entity of the event

    world.controls.lift(snooze.id, actor=EDITOR)

    assert world.event(flag=True).decision.verdict is Verdict.BLOCK
    with pytest.raises(NotFound):
        world.controls.snooze("nope", ip, until, actor=EDITOR, reason="x")
    with pytest.raises(InvalidInput):
        world.controls.snooze("base_block", ip, world.clock.now(), actor=EDITOR, reason="x")
    with pytest.raises(InvalidInput):
        world.controls.snooze("base_block", ip, until, actor=EDITOR, reason=" ")


def test_snoozes_are_fetched_only_while_one_can_apply(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    fetch = MemoryRuleControls.snoozed

    def counted(self: MemoryRuleControls, *args: object) -> frozenset[str]:
        calls.append(1)
        return fetch(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(MemoryRuleControls, "snoozed", counted)
    world.event(flag=True)
    assert calls == []
    ref = EntityRef(EntityKind.ACCOUNT, "zz")
    world.controls.snooze(
        "base_block", ref, world.clock.now() + timedelta(minutes=5), actor=EDITOR, reason="r"
    )
    world.event(flag=True)
    assert calls == [1]
    world.clock.advance(600)
    world.event(flag=True)
    assert calls == [1]


def test_a_release_is_compiled_once_per_process(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled: list[int] = []
    original = release_adapter.compile_stored

    def counting(stored):  # type: ignore[no-untyped-def]
        compiled.append(stored.version)
        return original(stored)

    monkeypatch.setattr(release_adapter, "compile_stored", counting)
    for _ in range(3):
        world.event(flag=True)
    world.publish(rule_file(rule("base_block", verdict="review")))
    for _ in range(3):
        world.event(flag=True)
    world.controls.snooze(
        "base_block",
        EntityRef(EntityKind.ACCOUNT, "zz"),
        world.clock.now() + timedelta(hours=1),
        actor=EDITOR,
        reason="r",
    )
    world.event(flag=True)

    assert compiled == [1, 2]  # a snooze rebuilds the lineup, not the release


def test_the_shadow_report_compares_what_watching_rules_would_have_done() -> None:
    world = build_world(
        rule_file(
            rule("live_review", "attr.kind == 'spam'", verdict="review"),
            rule("strict", verdict="block", stage="shadow"),
            rule("quiet", "attr.never == True", stage="shadow"),
        )
    )
    world.event(account="a1", flag=True, kind="spam")  # caught already: review -> block
    world.event(account="a2", flag=True)  # newly caught: allow -> block
    world.event(account="a2", flag=True)
    world.event(account="a3", flag=False)
    world.clock.advance(60)

    report = world.shadow.report(world.clock.now() - timedelta(hours=1))

    assert report.decisions == 4
    quiet, strict = report.rules  # by name
    assert (strict.rule, strict.stage, strict.evaluated, strict.hits) == (
        "strict",
        Stage.SHADOW,
        4,
        3,
    )
    assert strict.verdict_changes == 3
    pairs = {(c.without, c.with_rule): c.count for c in strict.changes}
    assert pairs == {(Verdict.ALLOW, Verdict.BLOCK): 2, (Verdict.REVIEW, Verdict.BLOCK): 1}
    assert (strict.subjects_new, strict.subjects_already_caught) == (1, 1)
    assert len(strict.samples) == 3
    assert (quiet.rule, quiet.evaluated, quiet.hits, quiet.samples) == ("quiet", 4, 0, ())
    empty = world.shadow.report(world.clock.now() - timedelta(seconds=30))
    assert empty.decisions == 0 and [r.hits for r in empty.rules] == []
    with pytest.raises(InvalidInput):
        world.shadow.report(world.clock.now())
