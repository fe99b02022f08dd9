"""The pure parts of the lifecycle: canary buckets, lineups, release states, durations, diffs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from lifecycle_world import T0, rule, rule_file

from garrison.domain.canary import CanaryOutcome, canary_bucket, canary_call
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.errors import InvalidInput, InvalidTransition, PermissionDenied
from garrison.domain.events import Event
from garrison.domain.ids import EventId
from garrison.domain.language import compile_release, parse_rule_file
from garrison.domain.lifecycle import Lineup
from garrison.domain.release_check import ReleaseRefused, check_rules
from garrison.domain.release_diff import diff_rules
from garrison.domain.releases import ReleaseStatus, StoredRelease, content_hash
from garrison.domain.rule_controls import parse_duration, parse_moment
from garrison.domain.rules import EvalContext, Stage

SUBJECTS = [EntityRef(EntityKind.ACCOUNT, f"acct_{n}") for n in range(2000)]


def test_canary_bucket_is_sha256_of_rule_and_subject_mod_100() -> None:
    import hashlib

    subject = EntityRef(EntityKind.ACCOUNT, "acct_7")
    digest = hashlib.sha256(b"new_rule:account:acct_7").digest()
    assert canary_bucket("new_rule", subject) == int.from_bytes(digest[:8], "big") % 100
    assert canary_bucket("new_rule", subject) == canary_bucket("new_rule", subject)
    buckets = {canary_bucket("new_rule", s) for s in SUBJECTS}
    assert buckets == set(range(100))  # spread over every bucket


def test_canary_share_and_holdout() -> None:
    calls = [canary_call("r", 20, s, holdout_percent=5) for s in SUBJECTS]
    applied = [c for c in calls if c.outcome is CanaryOutcome.APPLIED]
    held = [c for c in calls if c.outcome is CanaryOutcome.HELD_OUT]
    assert all(c.bucket is not None and c.bucket < 20 for c in applied)
    assert all(c.bucket is not None and c.bucket >= 95 for c in held)
    assert 0.15 < len(applied) / len(calls) < 0.25
    assert 0.03 < len(held) / len(calls) < 0.07


def test_holdout_never_gets_canary_actions_even_at_100_percent() -> None:
    calls = [canary_call("r", 100, s, holdout_percent=5) for s in SUBJECTS]
    outcomes = {c.outcome for c in calls}
    assert outcomes == {CanaryOutcome.APPLIED, CanaryOutcome.HELD_OUT}
    assert all((c.outcome is CanaryOutcome.HELD_OUT) == (c.bucket >= 95) for c in calls)  # type: ignore[operator]
    no_holdout = {canary_call("r", 100, s, holdout_percent=0).outcome for s in SUBJECTS}
    assert no_holdout == {CanaryOutcome.APPLIED}


def test_no_subject_is_never_selected() -> None:
    call = canary_call("r", 100, None, holdout_percent=0)
    assert (call.outcome, call.bucket) == (CanaryOutcome.NOT_SELECTED, None)


def _lineup(text: str, **kwargs: object) -> Lineup:
    return Lineup(compile_release("7", parse_rule_file(text)), **kwargs)  # type: ignore[arg-type]


def _ctx(**attrs: object) -> EvalContext:
    event = Event(EventId("e"), "x", T0, {EntityKind.ACCOUNT: "a1"}, attrs)  # type: ignore[arg-type]
    return EvalContext(event)


STAGED = rule_file(
    rule("live_one", verdict="block"),
    rule("shadow_one", verdict="review", stage="shadow"),
    rule("draft_one", "count('ip', '1h') >= 1", stage="draft"),
    rule("retired_one", stage="retired"),
    rule("capped", max_actions_per_day=2),
)


def test_lineup_leaves_out_drafts_and_retired_rules_and_their_signals() -> None:
    lineup = _lineup(STAGED, stored_version=7)
    assert [(c.rule.name, s) for c, s in lineup.running] == [
        ("live_one", Stage.LIVE),
        ("shadow_one", Stage.SHADOW),
        ("capped", Stage.LIVE),
    ]
    assert lineup.needs.velocity == frozenset()  # the draft's count() is not fetched
    assert lineup.release.needs.velocity != frozenset()
    assert lineup.caps == {"capped": 2}
    assert lineup.stage_of("draft_one") is None


def test_lineup_runs_demoted_rules_as_shadow_and_drops_their_cap() -> None:
    lineup = _lineup(STAGED, stored_version=7, demoted=frozenset({"capped"}))
    assert lineup.stage_of("capped") is Stage.SHADOW
    assert lineup.caps == {}
    staging = lineup.run(_ctx(flag=True), holdout_percent=5)
    assert [h.rule for h in staging.hits] == ["live_one"]
    assert [h.rule for h in staging.shadow_hits] == ["shadow_one", "capped"]


def test_caps_need_a_stored_release() -> None:
    assert _lineup(STAGED).caps == {}


def test_snoozed_rules_are_not_hit_whatever_their_stage() -> None:
    lineup = _lineup(STAGED)
    staging = lineup.run(
        _ctx(flag=True), holdout_percent=5, snoozed=frozenset({"live_one", "shadow_one"})
    )
    assert [h.rule for h in staging.hits] == ["capped"]
    assert staging.shadow_hits == ()
    assert staging.snoozed == ("live_one", "shadow_one")


def test_snooze_horizon() -> None:
    lineup = _lineup(STAGED, snooze_until=T0 + timedelta(hours=1))
    assert lineup.may_snooze(T0)
    assert not lineup.may_snooze(T0 + timedelta(hours=1))
    assert not _lineup(STAGED).may_snooze(T0)


def test_release_states() -> None:
    pending = StoredRelease.propose(3, "text", author="a", at=T0)
    assert pending.status is ReleaseStatus.PENDING_APPROVAL
    assert pending.content_hash == content_hash("text") != content_hash("text ")
    published = pending.published(T0, approved_by="b")
    assert (published.status, published.approved_by) == (ReleaseStatus.PUBLISHED, "b")
    assert published.superseded(T0).status is ReleaseStatus.SUPERSEDED
    assert pending.rejected("b").status is ReleaseStatus.REJECTED
    with pytest.raises(InvalidTransition):
        published.rejected("b")
    with pytest.raises(InvalidTransition):
        pending.superseded(T0)
    with pytest.raises(PermissionDenied):
        pending.check_approver("a")
    pending.check_approver("b")


def test_check_rules_lists_every_problem_with_its_place() -> None:
    text = rule_file(rule("one", "attr.x >"), rule("two", verdict="maybe"))
    with pytest.raises(ReleaseRefused) as refused:
        check_rules(text, "new.toml")
    problems = refused.value.problems
    assert len(problems) == 2
    assert [(p.path, p.line) for p in problems] == [("new.toml", 4), ("new.toml", 9)]
    assert all(p.col is not None and p.col >= 1 for p in problems)
    assert "verdict" in problems[1].message
    assert refused.value.message.startswith("new.toml:4:")


def test_check_rules_runs_the_files_own_examples() -> None:
    text = rule("one", verdict="block") + (
        '\n[[rule.example]]\nname = "should fire"\n'
        'event = { type = "x", attributes = { flag = false } }\nexpect = "fire"\n'
    )
    assert check_rules(text, "f.toml")  # static checks alone pass
    with pytest.raises(ReleaseRefused) as refused:
        check_rules(text, "f.toml", run_tests=True)
    (problem,) = refused.value.problems
    assert problem.line is None and "should fire" in problem.message


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("30m", 1800), ("24h", 86400), ("7d", 604800), ("2w", 1209600)],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "0h", "h", "24", "1y", "-1h"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_duration(text)


def test_moments() -> None:
    assert parse_moment("24h", T0, field="since") == T0 - timedelta(days=1)
    assert parse_moment("2026-03-01T10:00:00+02:00", T0, field="since") == T0 - timedelta(hours=4)
    for bad in ("2026-03-01T10:00:00", "yesterday"):
        with pytest.raises(InvalidInput):
            parse_moment(bad, T0, field="since")


def test_diff_by_rule_with_canonical_text() -> None:
    before = parse_rule_file(rule_file(rule("kept"), rule("gone"), rule("moved", verdict="block")))
    after = parse_rule_file(
        rule_file(rule("kept"), rule("moved", verdict="block", stage="shadow"), rule("new"))
    )
    diff = diff_rules(before, after, labels=("1", "2"))
    assert [r.name for r in diff.added] == ["new"]
    assert [r.name for r in diff.removed] == ["gone"]
    (change,) = diff.changed
    assert change.rule == "moved" and change.fields == ("stage",)
    assert (change.stage_before, change.stage_after) == (Stage.LIVE, Stage.SHADOW)
    assert diff.stage_changes == (change,)
    assert '-stage = "live"\n+stage = "shadow"\n' in change.diff
    assert change.diff.startswith("--- 1/moved\n+++ 2/moved\n")
    assert diff_rules(before, before).empty
