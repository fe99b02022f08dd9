"""The rules lifecycle's storage: releases and the live pointer, demotions, snoozes, per-rule
daily counts, shadow records, alerts, and what decisions record about watching rules."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, timedelta

import pytest
from contract_samples import T0, Factory, at, decision

from garrison.domain.canary import CanaryCall, CanaryOutcome
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.ids import DecisionId
from garrison.domain.releases import ReleaseStatus, StoredRelease
from garrison.domain.rule_controls import Alert, AlertId, AlertKind, Demotion, Snooze, SnoozeId
from garrison.domain.rules import RuleHit
from garrison.domain.shadow import RunAs, ShadowRecord
from garrison.domain.verdicts import Verdict
from garrison.services.release_storage import RuleDay
from garrison.services.unit_of_work import DuplicateKey

DAY = date(2026, 3, 1)
ACCOUNT = EntityRef(EntityKind.ACCOUNT, "acct_1")
IP = EntityRef(EntityKind.IP, "10.0.0.1")
TEXT = '[[rule]]\nname = "r"\npolicy = "p"\nwhen = "true"\n# ünïcode\n'


def release(version: int, status: ReleaseStatus = ReleaseStatus.PENDING_APPROVAL) -> StoredRelease:
    made = StoredRelease.propose(version, TEXT, author="person:ed", at=at(version), notes="why")
    if status is ReleaseStatus.PENDING_APPROVAL:
        return made
    published = made.published(at(version + 100), approved_by="person:flo")
    return published if status is ReleaseStatus.PUBLISHED else published.superseded(at(500))


def test_releases_round_trip_newest_first(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        assert uow.releases.last_version() == 0 and uow.releases.list(limit=10) == []
        for version in (1, 2, 3):
            uow.releases.add(release(version))
        uow.releases.save(release(2, ReleaseStatus.SUPERSEDED))
        uow.releases.save(release(3, ReleaseStatus.PUBLISHED))
        uow.commit()
    with uow_factory() as uow:
        assert uow.releases.get(2) == release(2, ReleaseStatus.SUPERSEDED)
        assert uow.releases.get(3) == release(3, ReleaseStatus.PUBLISHED)
        assert uow.releases.get(4) is None
        assert uow.releases.last_version() == 3
        assert [r.version for r in uow.releases.list(limit=2)] == [3, 2]
        pending = uow.releases.list(limit=10, status=ReleaseStatus.PENDING_APPROVAL)
        assert pending == [release(1)]


def test_a_taken_version_is_a_duplicate(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.releases.add(release(1))
        uow.commit()
    with uow_factory() as uow:
        with pytest.raises(DuplicateKey):
            uow.releases.add(release(1, ReleaseStatus.PUBLISHED))
        uow.releases.add(release(2))
        uow.commit()
    with uow_factory() as uow:
        assert [r.status for r in uow.releases.list(limit=5)] == [
            ReleaseStatus.PENDING_APPROVAL
        ] * 2


def test_the_live_pointer_moves_its_revision_on_every_change(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        assert uow.releases.live() is None and uow.releases.live_key() is None
        uow.releases.touch(at(1))  # nothing live: nothing to touch
        assert uow.releases.live() is None
        assert uow.releases.point(1, at(2)) is None
        uow.commit()
    with uow_factory() as uow:
        first = uow.releases.live()
        assert first is not None and (first.version, first.revision) == (1, 1)
        assert first.changed_at == at(2)
        uow.releases.touch(at(3))
        previous = uow.releases.point(2, at(4))
        uow.commit()
    assert previous is not None and (previous.version, previous.revision) == (1, 2)
    with uow_factory() as uow:
        live = uow.releases.live()
    assert live is not None and (live.version, live.revision, live.changed_at) == (2, 3, at(4))
    with uow_factory() as uow:
        assert uow.releases.live_key() == (2, 3)


def test_an_uncommitted_publish_is_not_seen(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.releases.point(1, at(1))
        uow.commit()
    with uow_factory() as uow:
        uow.releases.point(2, at(2))
    with uow_factory() as uow:
        live = uow.releases.live()
    assert live is not None and (live.version, live.revision) == (1, 1)


def test_a_rule_is_demoted_at_most_once_a_day_per_release(uow_factory: Factory) -> None:
    first = Demotion(1, "capped", DAY, "cap 5", at(1))
    with uow_factory() as uow:
        assert uow.rule_controls.demote(first) is True
        assert uow.rule_controls.demote(replace(first, reason="again")) is False
        assert uow.rule_controls.demote(Demotion(2, "capped", DAY, "cap 5", at(2))) is True
        uow.commit()
    with uow_factory() as uow:
        assert uow.rule_controls.demotions(1) == [first]
        assert uow.rule_controls.restore(1, "capped", at=at(9), by="person:flo") == 1
        assert uow.rule_controls.restore(1, "capped", at=at(9), by="person:flo") == 0
        assert uow.rule_controls.demote(replace(first, demoted_at=at(10))) is False
        tomorrow = Demotion(1, "capped", DAY + timedelta(days=1), "cap 5", at(86400))
        assert uow.rule_controls.demote(tomorrow) is True
        uow.commit()
    with uow_factory() as uow:
        assert uow.rule_controls.demotions(1) == [tomorrow]
        restored = replace(first, restored_at=at(9), restored_by="person:flo")
        assert uow.rule_controls.demotions(1, active_only=False) == [restored, tomorrow]
        assert uow.rule_controls.demotions(3) == []


def snooze(
    ident: str, entity: EntityRef = ACCOUNT, *, until: float = 3600, rule: str = "r"
) -> Snooze:
    return Snooze(SnoozeId(ident), rule, entity, at(until), "person:ed", "vip", at(int(ident[-1])))


def test_snoozes_by_entity_rule_and_time(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        assert uow.rule_controls.snooze_horizon(["r"]) is None
        assert uow.rule_controls.snoozed([ACCOUNT], T0) == frozenset()
        uow.rule_controls.add_snooze(snooze("snz_1"))
        uow.rule_controls.add_snooze(snooze("snz_2", IP, until=60, rule="s"))
        uow.rule_controls.add_snooze(snooze("snz_3", rule="t", until=7200))
        with pytest.raises(DuplicateKey):
            uow.rule_controls.add_snooze(snooze("snz_1"))
        uow.commit()
    with uow_factory() as uow:
        assert uow.rule_controls.get_snooze(SnoozeId("snz_1")) == snooze("snz_1")
        assert uow.rule_controls.get_snooze(SnoozeId("nope")) is None
        assert uow.rule_controls.snoozed([ACCOUNT, IP], at(30)) == {"r", "s", "t"}
        assert uow.rule_controls.snoozed([IP], at(60)) == frozenset()
        assert uow.rule_controls.snoozed([ACCOUNT], at(3600)) == {"t"}
        assert uow.rule_controls.snoozed([], at(0)) == frozenset()
        assert uow.rule_controls.snooze_horizon(["r", "s"]) == at(3600)
        assert uow.rule_controls.snooze_horizon(["t", "x"]) == at(7200)
        assert uow.rule_controls.snooze_horizon([]) is None
        listed = uow.rule_controls.snoozes(active_at=at(100), rule=None, limit=10)
        assert [s.id for s in listed] == ["snz_3", "snz_1"]
        everything = uow.rule_controls.snoozes(active_at=None, rule=None, limit=2)
        assert [s.id for s in everything] == ["snz_3", "snz_2"]
        assert uow.rule_controls.snoozes(active_at=None, rule="s", limit=9) == [
            snooze("snz_2", IP, until=60, rule="s")
        ]
        uow.rule_controls.save_snooze(snooze("snz_3", rule="t", until=50))
        uow.commit()
    with uow_factory() as uow:
        assert uow.rule_controls.snoozed([ACCOUNT], at(3600)) == frozenset()


def test_daily_counts_add_up_and_return_action_totals(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        assert uow.rule_activity.count(DAY, [], []) == {}
        assert uow.rule_activity.count(DAY, ["a", "b"], ["a"]) == {"a": 1}
        assert uow.rule_activity.count(DAY, ["b", "a"], ["a", "b"]) == {"a": 2, "b": 1}
        assert uow.rule_activity.count(DAY + timedelta(days=1), ["a"], ["a"]) == {"a": 1}
        uow.commit()
    with uow_factory() as uow:
        assert uow.rule_activity.day(DAY) == [RuleDay("a", DAY, 2, 2), RuleDay("b", DAY, 2, 1)]
        assert uow.rule_activity.day(DAY - timedelta(days=1)) == []


def test_concurrent_counts_are_not_lost(uow_factory: Factory) -> None:
    def bump(times: int) -> None:
        for _ in range(times):
            with uow_factory() as uow:
                uow.rule_activity.count(DAY, ["hot", "cold"], ["hot"])
                uow.commit()

    with ThreadPoolExecutor(4) as pool:
        for done in [pool.submit(bump, 10) for _ in range(4)]:
            done.result(timeout=60)
    with uow_factory() as uow:
        assert uow.rule_activity.day(DAY) == [
            RuleDay("cold", DAY, 40, 0),
            RuleDay("hot", DAY, 40, 40),
        ]


def record(
    decision_id: str, rule: str, seconds: float, subject: EntityRef | None = ACCOUNT
) -> ShadowRecord:
    return ShadowRecord(
        DecisionId(decision_id),
        rule,
        at(seconds),
        "3",
        RunAs.CANARY_HELD_OUT,
        subject,
        Verdict.ALLOW,
        Verdict.BLOCK,
    )


def test_shadow_records_in_a_period(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.rule_activity.add_records([record("dec_2", "b", 10), record("dec_2", "a", 10)])
        uow.rule_activity.add_records([record("dec_1", "a", 5, None), record("dec_3", "a", 20)])
        uow.rule_activity.add_records([])
        uow.commit()
    with uow_factory() as uow:
        found = uow.rule_activity.records(at(5), at(19), limit=10)
        assert found == [
            record("dec_1", "a", 5, None),
            record("dec_2", "a", 10),
            record("dec_2", "b", 10),
        ]
        assert len(uow.rule_activity.records(at(10), at(20), limit=10)) == 3
        assert len(uow.rule_activity.records(at(0), at(99), limit=2)) == 2


def test_decisions_counted_per_release(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        for n, (version, seconds) in enumerate([("1", 0), ("1", 10), ("2", 10), ("2", 30)]):
            made = replace(decision(f"dec_{n}"), release_version=version, decided_at=at(seconds))
            uow.decisions.add(made)
        uow.commit()
    with uow_factory() as uow:
        assert uow.rule_activity.decisions_by_release(at(0), at(29)) == {"1": 2, "2": 1}
        assert uow.rule_activity.decisions_by_release(at(10), at(30)) == {"1": 1, "2": 2}
        assert uow.rule_activity.decisions_by_release(at(31), at(99)) == {}


def test_decisions_keep_shadow_hits_canary_calls_and_snoozes(uow_factory: Factory) -> None:
    watched = RuleHit("watch", "p.w", Verdict.REVIEW, 0.1, "why", {"n": 1, "s": None})
    full = replace(
        decision("dec_full"),
        shadow_hits=(watched,),
        canary=(
            CanaryCall("trial", CanaryOutcome.HELD_OUT, 97),
            CanaryCall("t2", CanaryOutcome.NOT_SELECTED, None),
        ),
        snoozed=("quiet",),
    )
    with uow_factory() as uow:
        uow.decisions.add(full)
        uow.decisions.add(decision("dec_plain"))
        uow.commit()
    with uow_factory() as uow:
        assert uow.decisions.get(DecisionId("dec_full")) == full
        assert uow.decisions.get(DecisionId("dec_plain")) == decision("dec_plain")


def alert(ident: str, seconds: float, *, acknowledged: bool = False) -> Alert:
    details = {"cap": 5, "day": "2026-03-01", "release_version": 3}
    by = "person:flo" if acknowledged else None
    return Alert(
        AlertId(ident), AlertKind.RULE_DEMOTED, "r", details, at(seconds), acknowledged, by
    )


def test_alerts_newest_first_by_acknowledgement(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        for n in range(3):
            uow.alerts.add(alert(f"alr_{n}", n))
        with pytest.raises(DuplicateKey):
            uow.alerts.add(alert("alr_0", 9))
        uow.alerts.save(alert("alr_1", 1, acknowledged=True))
        uow.commit()
    with uow_factory() as uow:
        assert uow.alerts.get(AlertId("alr_1")) == alert("alr_1", 1, acknowledged=True)
        assert uow.alerts.get(AlertId("alr_9")) is None
        assert [a.id for a in uow.alerts.list(acknowledged=None, limit=10)] == [
            "alr_2",
            "alr_1",
            "alr_0",
        ]
        assert [a.id for a in uow.alerts.list(acknowledged=False, limit=10)] == ["alr_2", "alr_0"]
        assert [a.id for a in uow.alerts.list(acknowledged=True, limit=1)] == ["alr_1"]
