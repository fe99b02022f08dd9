"""In-memory storage of the rules lifecycle: releases, the live pointer, demotions, snoozes,
per-rule daily counts, shadow records and alerts.

`RulesState` is one field of the memory store's state; copying it copies its containers (the
values are frozen), so a unit of work's uncommitted changes stay invisible, as for the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import Self

from garrison.domain.decisions import Decision
from garrison.domain.entities import EntityRef
from garrison.domain.ids import DecisionId
from garrison.domain.releases import LiveRelease, ReleaseStatus, StoredRelease
from garrison.domain.rule_controls import Alert, AlertId, Demotion, Snooze, SnoozeId
from garrison.domain.shadow import ShadowRecord
from garrison.services.release_storage import RuleDay
from garrison.services.unit_of_work import DuplicateKey


@dataclass
class RulesState:
    releases: dict[int, StoredRelease] = field(default_factory=dict)
    live: LiveRelease | None = None
    demotions: dict[tuple[int, str, date], Demotion] = field(default_factory=dict)
    snoozes: dict[SnoozeId, Snooze] = field(default_factory=dict)
    days: dict[tuple[date, str], tuple[int, int]] = field(default_factory=dict)
    records: dict[tuple[DecisionId, str], ShadowRecord] = field(default_factory=dict)
    alerts: dict[AlertId, Alert] = field(default_factory=dict)

    def __copy__(self) -> Self:
        copied = type(self)(live=self.live)
        for name in (f.name for f in fields(self) if f.name != "live"):
            setattr(copied, name, getattr(self, name).copy())
        return copied


StateOf = Callable[[], RulesState]


class MemoryReleases:
    def __init__(self, state: StateOf) -> None:
        self._state = state

    def add(self, release: StoredRelease) -> None:
        releases = self._state().releases
        if release.version in releases:
            raise DuplicateKey(f"release {release.version}")
        releases[release.version] = release

    def get(self, version: int) -> StoredRelease | None:
        return self._state().releases.get(version)

    def save(self, release: StoredRelease) -> None:
        self._state().releases[release.version] = release

    def list(self, *, limit: int, status: ReleaseStatus | None = None) -> list[StoredRelease]:
        found = [r for r in self._state().releases.values() if status in (None, r.status)]
        return sorted(found, key=lambda r: r.version, reverse=True)[:limit]

    def last_version(self) -> int:
        return max(self._state().releases, default=0)

    def live(self) -> LiveRelease | None:
        return self._state().live

    def live_key(self) -> tuple[int, int] | None:
        live = self._state().live
        return (live.version, live.revision) if live is not None else None

    def point(self, version: int, at: datetime) -> LiveRelease | None:
        state = self._state()
        previous = state.live
        state.live = LiveRelease(version, previous.revision + 1 if previous else 1, at)
        return previous

    def touch(self, at: datetime) -> None:
        state = self._state()
        if state.live is not None:
            state.live = LiveRelease(state.live.version, state.live.revision + 1, at)


class MemoryRuleControls:
    def __init__(self, state: StateOf) -> None:
        self._state = state

    def demote(self, demotion: Demotion) -> bool:
        demotions = self._state().demotions
        key = (demotion.release_version, demotion.rule, demotion.day)
        if key in demotions:
            return False
        demotions[key] = demotion
        return True

    def demotions(self, release_version: int, *, active_only: bool = True) -> list[Demotion]:
        found = [
            d
            for d in self._state().demotions.values()
            if d.release_version == release_version and (d.active or not active_only)
        ]
        return sorted(found, key=lambda d: (d.demoted_at, d.rule))

    def restore(self, release_version: int, rule: str, *, at: datetime, by: str) -> int:
        demotions = self._state().demotions
        active = [
            key
            for key, d in demotions.items()
            if d.release_version == release_version and d.rule == rule and d.active
        ]
        for key in active:
            demotions[key] = replace(demotions[key], restored_at=at, restored_by=by)
        return len(active)

    def add_snooze(self, snooze: Snooze) -> None:
        snoozes = self._state().snoozes
        if snooze.id in snoozes:
            raise DuplicateKey(f"snooze {snooze.id}")
        snoozes[snooze.id] = snooze

    def get_snooze(self, snooze_id: SnoozeId) -> Snooze | None:
        return self._state().snoozes.get(snooze_id)

    def save_snooze(self, snooze: Snooze) -> None:
        self._state().snoozes[snooze.id] = snooze

    def snoozes(self, *, active_at: datetime | None, rule: str | None, limit: int) -> list[Snooze]:
        found = [
            s
            for s in self._state().snoozes.values()
            if (active_at is None or s.active(active_at)) and rule in (None, s.rule)
        ]
        return sorted(found, key=lambda s: (s.created_at, s.id), reverse=True)[:limit]

    def snoozed(self, entities: Sequence[EntityRef], now: datetime) -> frozenset[str]:
        wanted = set(entities)
        return frozenset(
            s.rule for s in self._state().snoozes.values() if s.entity in wanted and s.active(now)
        )

    def snooze_horizon(self, rules: Sequence[str]) -> datetime | None:
        wanted = set(rules)
        ends = [s.until for s in self._state().snoozes.values() if s.rule in wanted]
        return max(ends, default=None)


class MemoryRuleActivity:
    def __init__(self, state: StateOf, decisions: Callable[[], Mapping[DecisionId, Decision]]):
        self._state = state
        self._decisions = decisions

    def count(self, day: date, hits: Sequence[str], acted: Sequence[str]) -> dict[str, int]:
        days = self._state().days
        acting = set(acted)
        for rule in hits:
            hit_count, acted_count = days.get((day, rule), (0, 0))
            days[(day, rule)] = (hit_count + 1, acted_count + (rule in acting))
        return {rule: days[(day, rule)][1] for rule in acted}

    def day(self, day: date) -> list[RuleDay]:
        found = [
            RuleDay(rule, on, hits, acted)
            for (on, rule), (hits, acted) in self._state().days.items()
            if on == day
        ]
        return sorted(found, key=lambda d: d.rule)

    def add_records(self, records: Sequence[ShadowRecord]) -> None:
        stored = self._state().records
        for record in records:
            key = (record.decision_id, record.rule)
            if key in stored:
                raise DuplicateKey(f"shadow record {key}")
            stored[key] = record

    def records(self, since: datetime, until: datetime, *, limit: int) -> list[ShadowRecord]:
        found = [r for r in self._state().records.values() if since <= r.decided_at <= until]
        return sorted(found, key=lambda r: (r.decided_at, r.decision_id, r.rule))[:limit]

    def decisions_by_release(self, since: datetime, until: datetime) -> dict[str, int]:
        counts: dict[str, int] = {}
        for decision in self._decisions().values():
            if since <= decision.decided_at <= until:
                version = decision.release_version
                counts[version] = counts.get(version, 0) + 1
        return counts


class MemoryAlerts:
    def __init__(self, state: StateOf) -> None:
        self._state = state

    def add(self, alert: Alert) -> None:
        alerts = self._state().alerts
        if alert.id in alerts:
            raise DuplicateKey(f"alert {alert.id}")
        alerts[alert.id] = alert

    def get(self, alert_id: AlertId) -> Alert | None:
        return self._state().alerts.get(alert_id)

    def save(self, alert: Alert) -> None:
        self._state().alerts[alert.id] = alert

    def list(self, *, acknowledged: bool | None, limit: int) -> list[Alert]:
        found = [
            a
            for a in self._state().alerts.values()
            if acknowledged is None or a.acknowledged is acknowledged
        ]
        return sorted(found, key=lambda a: (a.created_at, a.id), reverse=True)[:limit]
