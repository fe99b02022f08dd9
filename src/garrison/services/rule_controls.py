"""Controls on the live release that need no new release: restore a demoted rule, snooze a rule
for one entity, and the alerts that tell people about demotions.

Each change moves the live pointer's revision on, so every process re-reads how the release
runs on its next event.
"""

from __future__ import annotations

from datetime import datetime

from garrison.domain.entities import EntityRef
from garrison.domain.errors import InvalidInput, NotFound
from garrison.domain.release_check import rules_of
from garrison.domain.rule_controls import Alert, AlertId, Snooze, SnoozeId
from garrison.services import audit
from garrison.services.ports import Clock, IdGenerator
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory


class RuleControlService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids

    def restore(self, rule: str, *, actor: str) -> int:
        """Undo a cap demotion: the rule acts again at its declared stage in the live release."""
        at = self._clock.now()
        with self._uow() as uow:
            version = _live_version(uow)
            restored = uow.rule_controls.restore(version, rule, at=at, by=actor)
            if not restored:
                raise NotFound(
                    f"rule {rule!r} is not demoted in the live release {version}", field="rule"
                )
            uow.releases.touch(at)
            self._audit(uow, actor, "rule.restore", f"rule:{rule}", release_version=version)
            uow.commit()
        return restored

    def snooze(
        self, rule: str, entity: EntityRef, until: datetime, *, actor: str, reason: str
    ) -> Snooze:
        """Stop `rule` from firing for events naming `entity` until `until`."""
        now = self._clock.now()
        if until <= now:
            raise InvalidInput("a snooze must end in the future", field="until")
        if not reason.strip():
            raise InvalidInput("say why the rule is snoozed", field="reason")
        snooze = Snooze(
            SnoozeId(self._ids.new("snz")), rule, entity, until, actor, reason.strip(), now
        )
        with self._uow() as uow:
            version = _live_version(uow)
            _require_rule(uow, version, rule)
            uow.rule_controls.add_snooze(snooze)
            uow.releases.touch(now)
            self._audit(
                uow,
                actor,
                "rule.snooze",
                f"rule:{rule}",
                entity=str(entity),
                until=until.isoformat(),
                reason=snooze.reason,
                snooze=snooze.id,
            )
            uow.commit()
        return snooze

    def lift(self, snooze_id: SnoozeId, *, actor: str) -> Snooze:
        """End a snooze now (it is kept, ending at this time)."""
        now = self._clock.now()
        with self._uow() as uow:
            found = uow.rule_controls.get_snooze(snooze_id)
            if found is None:
                raise NotFound(f"no snooze {snooze_id}", field="snooze_id")
            lifted = found.lifted(now)
            uow.rule_controls.save_snooze(lifted)
            uow.releases.touch(now)
            self._audit(uow, actor, "rule.unsnooze", f"rule:{found.rule}", snooze=snooze_id)
            uow.commit()
        return lifted

    def snoozes(
        self, *, rule: str | None = None, include_ended: bool = False, limit: int = 100
    ) -> list[Snooze]:
        """Newest first; only those not ended yet unless `include_ended`."""
        active_at = None if include_ended else self._clock.now()
        with self._uow() as uow:
            return uow.rule_controls.snoozes(active_at=active_at, rule=rule, limit=limit)

    def alerts(self, *, acknowledged: bool | None = False, limit: int = 100) -> list[Alert]:
        """Newest first; by default the ones nobody acknowledged yet."""
        with self._uow() as uow:
            return uow.alerts.list(acknowledged=acknowledged, limit=limit)

    def acknowledge(self, alert_id: AlertId, *, actor: str) -> Alert:
        with self._uow() as uow:
            found = uow.alerts.get(alert_id)
            if found is None:
                raise NotFound(f"no alert {alert_id}", field="alert_id")
            acknowledged = found.acknowledge(actor)
            uow.alerts.save(acknowledged)
            self._audit(uow, actor, "alert.acknowledge", f"alert:{alert_id}")
            uow.commit()
        return acknowledged

    def _audit(
        self, uow: UnitOfWork, actor: str, action: str, target: str, **details: str | int
    ) -> None:
        audit.record(uow, self._clock, actor=actor, action=action, target=target, details=details)


def _live_version(uow: UnitOfWork) -> int:
    live = uow.releases.live()
    if live is None:
        raise NotFound("no release is published yet", field="version")
    return live.version


def _require_rule(uow: UnitOfWork, version: int, rule: str) -> None:
    stored = uow.releases.get(version)
    names = {r.name for r in rules_of(stored)} if stored else set()
    if rule not in names:
        raise NotFound(f"the live release {version} has no rule {rule!r}", field="rule")
