"""Proposing, approving, rejecting and publishing releases; the live release switches at once."""

from __future__ import annotations

import pytest
from lifecycle_world import BASE, EDITOR, OTHER_EDITOR, World, build_world, rule, rule_file

from garrison.domain.audit import AuditRecord
from garrison.domain.errors import Conflict, InvalidTransition, NotFound, PermissionDenied
from garrison.domain.release_check import ReleaseRefused
from garrison.domain.releases import ReleaseStatus
from garrison.domain.rules import Stage
from garrison.domain.verdicts import Verdict

REVIEW = rule_file(rule("base_review", verdict="review"))


def _audit_actions(world: World) -> list[tuple[str, str, str]]:
    with world.store.uow() as uow:
        return [(r.actor, r.action, r.target) for r in uow.audit.scan(0, 100)]


def test_a_proposal_is_published_at_once_without_required_approval(world: World) -> None:
    assert world.event(flag=True).decision.verdict is Verdict.BLOCK

    release = world.publish(REVIEW)

    assert (release.version, release.status) == (2, ReleaseStatus.PUBLISHED)
    assert release.approved_by is None and release.published_at is not None
    assert world.rules.release(1).status is ReleaseStatus.SUPERSEDED
    assert world.rules.release().version == 2
    decision = world.event(flag=True).decision
    assert (decision.verdict, decision.release_version) == (Verdict.REVIEW, "2")
    assert _audit_actions(world)[-2:] == [
        (EDITOR, "release.propose", "release:2"),
        (EDITOR, "release.publish", "release:2"),
    ]


def test_a_failing_rule_file_is_never_published_and_nothing_changes(world: World) -> None:
    before = _audit_actions(world)
    broken = rule_file(rule("fine"), rule("broken", "attr.amount >> 3"), rule("bad", stage="live?"))

    with pytest.raises(ReleaseRefused) as refused:
        world.publish(broken)

    assert len(refused.value.problems) == 2
    assert all(p.path == "rules.toml" and p.line for p in refused.value.problems)
    assert [r.version for r in world.rules.releases()] == [1]
    assert world.rules.release().version == 1
    assert _audit_actions(world) == before
    assert world.event(flag=True).decision.release_version == "1"


def test_approval_by_a_second_editor() -> None:
    world = build_world(require_approval=True)

    pending = world.publish(REVIEW, actor=EDITOR)

    assert pending.status is ReleaseStatus.PENDING_APPROVAL
    assert world.event(flag=True).decision.verdict is Verdict.BLOCK  # still release 1
    with pytest.raises(PermissionDenied):
        world.rules.approve(pending.version, actor=EDITOR)
    approved = world.rules.approve(pending.version, actor=OTHER_EDITOR)
    assert (approved.status, approved.approved_by) == (ReleaseStatus.PUBLISHED, OTHER_EDITOR)
    assert world.event(flag=True).decision.verdict is Verdict.REVIEW
    with pytest.raises(InvalidTransition):
        world.rules.approve(pending.version, actor=OTHER_EDITOR)


def test_a_rejected_release_never_goes_live() -> None:
    world = build_world(require_approval=True)
    pending = world.publish(REVIEW)

    rejected = world.rules.reject(pending.version, actor=OTHER_EDITOR, reason="too broad")

    assert (rejected.status, rejected.rejected_by) == (ReleaseStatus.REJECTED, OTHER_EDITOR)
    with pytest.raises(InvalidTransition):
        world.rules.approve(pending.version, actor=OTHER_EDITOR)
    assert world.rules.release().version == 1
    assert _audit_actions(world)[-1] == (OTHER_EDITOR, "release.reject", "release:2")


def test_an_approval_cannot_take_the_live_release_back() -> None:
    world = build_world(require_approval=True)
    older = world.publish(REVIEW)
    newer = world.publish(BASE)
    world.rules.approve(newer.version, actor=OTHER_EDITOR)

    with pytest.raises(Conflict):
        world.rules.approve(older.version, actor=OTHER_EDITOR)
    assert world.rules.release().version == newer.version


def test_publishing_is_atomic(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure at the last step of publishing (the audit record, written after the release
    was stored, the old one superseded and the pointer moved) leaves everything as it was."""

    class AuditDown(RuntimeError):
        pass

    audit_log = type(world.store.uow().audit)
    append = audit_log.append

    def refuse_publish(self: object, record: AuditRecord) -> None:
        if record.action == "release.publish":
            raise AuditDown
        append(self, record)  # type: ignore[arg-type]

    monkeypatch.setattr(audit_log, "append", refuse_publish)

    with pytest.raises(AuditDown):
        world.publish(REVIEW)

    monkeypatch.undo()
    assert [r.version for r in world.rules.releases()] == [1]
    assert world.rules.release(1).status is ReleaseStatus.PUBLISHED
    with world.store.uow() as uow:
        live = uow.releases.live()
    assert live is not None and (live.version, live.revision) == (1, 1)


def test_unknown_versions(world: World) -> None:
    with pytest.raises(NotFound):
        world.rules.release(9)
    with pytest.raises(NotFound):
        world.rules.approve(9, actor=OTHER_EDITOR)


def test_diff_between_releases_and_against_a_file(world: World) -> None:
    world.publish(rule_file(rule("base_block", verdict="block", stage="shadow"), rule("extra")))

    diff = world.rules.diff(1, 2)
    against_live = world.rules.diff_text(BASE, path="candidate.toml")

    assert [r.name for r in diff.added] == ["extra"]
    assert [c.rule for c in diff.stage_changes] == ["base_block"]
    assert (diff.before, diff.after) == ("1", "2")
    assert [r.name for r in against_live.removed] == ["extra"]
    assert (against_live.before, against_live.after) == ("2", "candidate.toml")
    assert world.rules.diff(2).empty


def test_rule_sheet_shows_stages_and_todays_counts(world: World) -> None:
    world.publish(
        rule_file(
            rule("base_block", verdict="block"),
            rule("watch", "attr.flag == True", stage="shadow"),
            rule("later", stage="draft"),
        )
    )
    world.event(flag=True)
    world.event(flag=True, account="a2")
    world.event(flag=False)

    sheet = world.rules.rules()

    assert sheet.live and sheet.release.version == 2
    seen = {v.rule.name: (v.stage, v.hits_today, v.acted_today) for v in sheet.rules}
    assert seen == {
        "base_block": (Stage.LIVE, 2, 2),
        "watch": (Stage.SHADOW, 2, 0),
        "later": (Stage.DRAFT, 0, 0),
    }
    old = world.rules.rules(1)
    assert not old.live and [v.hits_today for v in old.rules] == [0]


def test_first_start_publishes_the_configured_file_once() -> None:
    from garrison.services.rules import seed_release

    world = build_world(None)
    with pytest.raises(NotFound):
        world.event(flag=True)

    seeded = seed_release(world.store.uow, world.clock, BASE, "starter.toml")
    again = seed_release(world.store.uow, world.clock, REVIEW, "starter.toml")

    assert seeded is not None and again is None
    assert (seeded.version, seeded.author, seeded.status) == (1, "system", ReleaseStatus.PUBLISHED)
    assert world.event(flag=True).decision.verdict is Verdict.BLOCK
