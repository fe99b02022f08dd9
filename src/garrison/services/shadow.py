"""The shadow report: for each rule that watched (shadow, canary, or demoted) in a period, how
often it hit, how often it would have changed the verdict, and whom it would have caught.

It reads the shadow records of the period and the number of decisions each release made, so
its cost grows with the hits of watching rules, not with the traffic.
"""

from __future__ import annotations

from datetime import datetime

from garrison.domain.errors import InvalidInput
from garrison.domain.release_check import rules_of
from garrison.domain.rules import Rule, Stage
from garrison.domain.shadow import ShadowReport, build_report
from garrison.services.ports import Clock
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

RUNNING = (Stage.LIVE, Stage.CANARY, Stage.SHADOW)
WATCHING = (Stage.CANARY, Stage.SHADOW)
MAX_RECORDS = 200_000


class ShadowReports:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    def report(self, since: datetime, until: datetime | None = None) -> ShadowReport:
        """Decisions with since <= decided_at <= until (now by default)."""
        until = until or self._clock.now()
        if since >= until:
            raise InvalidInput("the report must start before it ends", field="since")
        with self._uow() as uow:
            counts = uow.rule_activity.decisions_by_release(since, until)
            records = uow.rule_activity.records(since, until, limit=MAX_RECORDS)
            releases = _stored_rules(uow, counts)
        watched = {r.name for rules in releases.values() for r in rules if r.stage in WATCHING}
        watched |= {record.rule for record in records}
        evaluated = dict.fromkeys(watched, 0)
        stages: dict[str, Stage] = {}
        for version in sorted(releases):
            for rule in releases[version]:
                if rule.name in watched and rule.stage in RUNNING:
                    evaluated[rule.name] += counts[str(version)]
                    stages[rule.name] = rule.stage
        return build_report(
            since,
            until,
            records,
            evaluated=evaluated,
            stages=stages,
            decisions=sum(counts.values()),
        )


def _stored_rules(uow: UnitOfWork, counts: dict[str, int]) -> dict[int, tuple[Rule, ...]]:
    """The rules of each stored release that made decisions in the period."""
    found: dict[int, tuple[Rule, ...]] = {}
    for label in counts:
        stored = uow.releases.get(int(label)) if label.isdigit() else None
        if stored is not None:
            found[stored.version] = rules_of(stored)
    return found
