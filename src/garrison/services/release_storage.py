"""Storage ports of the rules lifecycle, part of the unit of work (see `unit_of_work`).

`releases` keeps release versions and the live pointer; `rule_controls` the demotions and
snoozes applied to a running release; `rule_activity` per-rule daily counts and the shadow
records reports read; `alerts` what people should be told.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from garrison.domain.entities import EntityRef
from garrison.domain.releases import LiveRelease, ReleaseStatus, StoredRelease
from garrison.domain.rule_controls import Alert, AlertId, Demotion, Snooze, SnoozeId
from garrison.domain.shadow import ShadowRecord


@dataclass(frozen=True, slots=True)
class RuleDay:
    """How often a rule hit on one UTC day, and in how many decisions it acted."""

    rule: str
    day: date
    hits: int
    acted: int


class Releases(Protocol):
    def add(self, release: StoredRelease) -> None:
        """Store a new release; raise DuplicateKey if its version is taken."""
        ...

    def get(self, version: int) -> StoredRelease | None: ...
    def save(self, release: StoredRelease) -> None: ...
    def list(self, *, limit: int, status: ReleaseStatus | None = None) -> list[StoredRelease]:
        """Newest version first."""
        ...

    def last_version(self) -> int:
        """The highest version stored (0 when there is none)."""
        ...

    def live(self) -> LiveRelease | None:
        """The live pointer."""
        ...

    def live_key(self) -> tuple[int, int] | None:
        """The live pointer's (version, revision): the one small read every evaluation makes."""
        ...

    def point(self, version: int, at: datetime) -> LiveRelease | None:
        """Make `version` live and move the revision on; return the pointer as it was, read
        under a lock so concurrent publishes queue up instead of both superseding one release."""
        ...

    def touch(self, at: datetime) -> None:
        """Move the revision on (how the live release runs changed); nothing if none is live."""
        ...


class RuleControls(Protocol):
    def demote(self, demotion: Demotion) -> bool:
        """Store the demotion unless the rule already has one for that release and day (then
        False: a rule is demoted at most once a day, even after a restore)."""
        ...

    def demotions(self, release_version: int, *, active_only: bool = True) -> list[Demotion]:
        """Oldest first."""
        ...

    def restore(self, release_version: int, rule: str, *, at: datetime, by: str) -> int:
        """End the rule's active demotions in that release; how many there were."""
        ...

    def add_snooze(self, snooze: Snooze) -> None: ...
    def get_snooze(self, snooze_id: SnoozeId) -> Snooze | None: ...
    def save_snooze(self, snooze: Snooze) -> None: ...
    def snoozes(self, *, active_at: datetime | None, rule: str | None, limit: int) -> list[Snooze]:
        """Newest first; only those active at `active_at` unless it is None."""
        ...

    def snoozed(self, entities: Sequence[EntityRef], now: datetime) -> frozenset[str]:
        """The rules snoozed at `now` for any of these entities, in one query."""
        ...

    def snooze_horizon(self, rules: Sequence[str]) -> datetime | None:
        """The latest end of any snooze of these rules (None when they have none)."""
        ...


class RuleActivity(Protocol):
    def count(self, day: date, hits: Sequence[str], acted: Sequence[str]) -> dict[str, int]:
        """Count one hit for each rule of `hits` and one action for each of `acted` (a subset
        of `hits`) on `day` (rows in rule order); return the day's action totals of `acted`."""
        ...

    def day(self, day: date) -> list[RuleDay]:
        """Every rule's counts on `day`, by rule name."""
        ...

    def add_records(self, records: Sequence[ShadowRecord]) -> None: ...
    def records(self, since: datetime, until: datetime, *, limit: int) -> list[ShadowRecord]:
        """Records with since <= decided_at <= until, oldest first."""
        ...

    def decisions_by_release(self, since: datetime, until: datetime) -> dict[str, int]:
        """How many decisions each release version made with since <= decided_at <= until."""
        ...


class Alerts(Protocol):
    def add(self, alert: Alert) -> None: ...
    def get(self, alert_id: AlertId) -> Alert | None: ...
    def save(self, alert: Alert) -> None: ...
    def list(self, *, acknowledged: bool | None, limit: int) -> list[Alert]:
        """Newest first."""
        ...
