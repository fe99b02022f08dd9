"""What an evaluation leaves besides its decision, written in the ingest transaction: per-rule
daily counts, shadow records for reports, and the demotion of a rule that reached its daily
action cap (with an alert and an audit record).

Nothing is written for an event no rule hit, so the common case costs no extra statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from garrison.domain.access import SYSTEM
from garrison.domain.canary import CanaryOutcome
from garrison.domain.decisions import Decision, ScorePolicy, combine
from garrison.domain.events import Event
from garrison.domain.lifecycle import Lineup, Staging
from garrison.domain.rule_controls import Alert, AlertId, AlertKind, Demotion
from garrison.domain.rules import RuleHit
from garrison.domain.shadow import RunAs, ShadowRecord
from garrison.domain.verdicts import Verdict
from garrison.services import audit
from garrison.services.ports import Clock, IdGenerator
from garrison.services.unit_of_work import UnitOfWork

_CANARY_RUN_AS = {
    CanaryOutcome.APPLIED: RunAs.CANARY_APPLIED,
    CanaryOutcome.NOT_SELECTED: RunAs.CANARY_NOT_SELECTED,
    CanaryOutcome.HELD_OUT: RunAs.CANARY_HELD_OUT,
}


class StagingRecorder:
    def __init__(self, policy: ScorePolicy, clock: Clock, ids: IdGenerator) -> None:
        self._policy = policy
        self._clock = clock
        self._ids = ids

    def record(
        self, uow: UnitOfWork, lineup: Lineup, staging: Staging, decision: Decision, event: Event
    ) -> bool:
        """Write the counts and records; whether a rule was demoted (the lineup changed)."""
        if not staging.any_hit:
            return False
        day = decision.decided_at.astimezone(UTC).date()
        acted = [hit.rule for hit in staging.hits]
        hit = acted + [h.rule for h in staging.shadow_hits]
        totals = uow.rule_activity.count(day, hit, acted)
        records = shadow_records(lineup, staging, decision, event, self._policy)
        if records:
            uow.rule_activity.add_records(records)
        demoted = False
        for rule, cap in lineup.caps.items():
            if totals.get(rule, 0) >= cap:
                demoted |= self._demote(uow, lineup, rule, cap, day, decision.decided_at)
        return demoted

    def _demote(
        self, uow: UnitOfWork, lineup: Lineup, rule: str, cap: int, day: date, at: datetime
    ) -> bool:
        version = lineup.stored_version
        assert version is not None  # caps apply to stored releases only
        reason = f"acted in {cap} decisions on {day.isoformat()}, its daily cap"
        if not uow.rule_controls.demote(Demotion(version, rule, day, reason, at)):
            return False  # already demoted today (perhaps restored since): once a day at most
        details: dict[str, str | int] = {
            "release_version": version,
            "cap": cap,
            "day": day.isoformat(),
            "reason": reason,
        }
        alert_id = AlertId(self._ids.new("alr"))
        uow.alerts.add(Alert(alert_id, AlertKind.RULE_DEMOTED, rule, details, at))
        audit.record(
            uow,
            self._clock,
            actor=SYSTEM.actor,
            action="rule.demote",
            target=f"rule:{rule}",
            details={**details, "alert": alert_id},
        )
        uow.releases.touch(at)
        return True


def shadow_records(
    lineup: Lineup, staging: Staging, decision: Decision, event: Event, policy: ScorePolicy
) -> list[ShadowRecord]:
    """A record for each hit that only watched, and for each canary hit that acted."""
    canary = {call.rule: call.outcome for call in staging.canary}
    records = []
    for hit in staging.shadow_hits:
        if hit.rule in canary:
            run_as = _CANARY_RUN_AS[canary[hit.rule]]
        else:
            run_as = RunAs.DEMOTED if hit.rule in lineup.demoted else RunAs.SHADOW
        with_rule = _verdict([*staging.hits, hit], policy)
        records.append(_record(decision, event, hit, run_as, decision.verdict, with_rule))
    for hit in staging.hits:
        if canary.get(hit.rule) is CanaryOutcome.APPLIED:
            without = _verdict([h for h in staging.hits if h is not hit], policy)
            records.append(
                _record(decision, event, hit, RunAs.CANARY_APPLIED, without, decision.verdict)
            )
    return records


def _verdict(hits: Sequence[RuleHit], policy: ScorePolicy) -> Verdict:
    return combine(hits, policy)[1]


def _record(
    decision: Decision,
    event: Event,
    hit: RuleHit,
    run_as: RunAs,
    without: Verdict,
    with_rule: Verdict,
) -> ShadowRecord:
    return ShadowRecord(
        decision.id,
        hit.rule,
        decision.decided_at,
        decision.release_version,
        run_as,
        event.subject,
        without,
        with_rule,
    )
