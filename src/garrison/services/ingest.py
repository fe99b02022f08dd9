"""Ingest: one event in, one decision out, its planned actions committed in the same transaction.

validate (at the edge) -> dedupe -> read the live release (one small read) -> fetch, in one
batch, the signals of the rules that can fire for the event's type -> evaluate those rules by
stage -> decide -> plan actions -> commit event + decision + outbox + counter updates + per-rule
counts and shadow records atomically. A batch of events shares one transaction.

Only live rules and canary rules for subjects in their share act; shadow hits are recorded on the
decision and never change its verdict or actions. Snoozes are fetched (one query) only when a rule
of the release has one that has not ended.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from garrison.domain.actions import Action
from garrison.domain.decisions import Decision, ScorePolicy, decide, plan_actions
from garrison.domain.errors import Conflict, GarrisonError
from garrison.domain.events import Event
from garrison.domain.ids import ActionId, DecisionId
from garrison.domain.lifecycle import Lineup, Staging
from garrison.services.ports import Clock, IdGenerator, ReleaseSource
from garrison.services.signals import Signals
from garrison.services.staging import StagingRecorder
from garrison.services.unit_of_work import (
    DuplicateKey,
    StoredEvent,
    UnitOfWork,
    UnitOfWorkFactory,
)


@dataclass(frozen=True, slots=True)
class IngestResult:
    decision: Decision
    actions: tuple[Action, ...]
    replayed: bool
    """True when the event had been ingested before: the stored decision is returned unchanged."""


class IngestService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        releases: ReleaseSource,
        policy: ScorePolicy,
        clock: Clock,
        ids: IdGenerator,
        signals: Signals | None = None,
        *,
        canary_holdout_percent: int = 5,
    ) -> None:
        self._uow = uow_factory
        self._releases = releases
        self._policy = policy
        self._clock = clock
        self._ids = ids
        self._signals = signals or Signals()
        self._holdout = canary_holdout_percent
        self._staging = StagingRecorder(policy, clock, ids)

    def process(self, event: Event) -> IngestResult:
        fingerprint = event.fingerprint()
        try:
            with self._uow() as uow:
                stored = uow.events.get(event.id)
                if stored is not None:
                    return _replay(uow, stored, fingerprint)
                result, _ = self._write(uow, event, fingerprint, self._releases.lineup(uow))
                uow.commit()
                return result
        except DuplicateKey:
            # Another process stored the same event id first: answer with its decision.
            with self._uow() as uow:
                stored = uow.events.get(event.id)
                if stored is None:
                    raise
                return _replay(uow, stored, fingerprint)

    def process_batch(self, events: Sequence[Event]) -> list[IngestResult | GarrisonError]:
        """Every event in one unit of work and one commit; the results in order.

        An id seen before (stored, or earlier in the batch) is a replay, or that item's Conflict
        when its body differs: it writes nothing and leaves the others alone. If writing an
        event fails (an id stored meanwhile by another process, say), the unit is rolled back
        and each event runs in its own transaction instead, so one bad event never undoes the
        others.
        """
        if len(events) > 1:
            try:
                return self._batch(events)
            except (GarrisonError, DuplicateKey):
                pass
        return [self._alone(event) for event in events]

    def _batch(self, events: Sequence[Event]) -> list[IngestResult | GarrisonError]:
        """The batch's ids are looked up at once, and the live release read once (again only
        after a rule of it was demoted, which changes how it runs)."""
        results: list[IngestResult | GarrisonError] = []
        with self._uow() as uow:
            seen = set(uow.events.known([event.id for event in events]))
            lineup = self._releases.lineup(uow)
            for event in events:
                fingerprint = event.fingerprint()
                stored = uow.events.get(event.id) if event.id in seen else None
                if stored is None:
                    result, demoted = self._write(uow, event, fingerprint, lineup)
                    results.append(result)
                    seen.add(event.id)
                    lineup = self._releases.lineup(uow) if demoted else lineup
                    continue
                try:
                    results.append(_replay(uow, stored, fingerprint))
                except Conflict as conflict:
                    results.append(conflict)
            uow.commit()
        return results

    def _alone(self, event: Event) -> IngestResult | GarrisonError:
        try:
            return self.process(event)
        except GarrisonError as error:
            return error

    def _write(
        self, uow: UnitOfWork, event: Event, fingerprint: str, lineup: Lineup
    ) -> tuple[IngestResult, bool]:
        """Decide a new event and write it, its decision, actions, counts and stage records;
        whether a rule was demoted on the way (the live release then runs differently)."""
        result, staging = self._decide(uow, event, lineup)
        uow.events.add(StoredEvent(event, fingerprint, result.decision.id, self._clock.now()))
        uow.decisions.add(result.decision)
        uow.actions.add(result.actions)
        self._signals.record(uow, lineup.feeds(event.type), event)
        demoted = self._staging.record(uow, lineup, staging, result.decision, event)
        return result, demoted

    def _decide(
        self, uow: UnitOfWork, event: Event, lineup: Lineup
    ) -> tuple[IngestResult, Staging]:
        ctx = self._signals.context(uow, lineup.reads(event.type), event)
        now = self._clock.now()
        snoozed = (
            uow.rule_controls.snoozed(event.refs, now) if lineup.may_snooze(now) else frozenset()
        )
        staging = lineup.run(ctx, holdout_percent=self._holdout, snoozed=snoozed)
        decision = decide(
            DecisionId(self._ids.new("dec")),
            event,
            staging.hits,
            policy=self._policy,
            release_version=lineup.release.version,
            decided_at=now,
        )
        wanted = [
            (hit, t)
            for compiled, hit in zip(staging.acting, staging.hits, strict=True)
            for t in compiled.rule.actions
        ]
        actions = plan_actions(
            decision,
            event,
            wanted,
            policy=self._policy,
            new_id=lambda: ActionId(self._ids.new("act")),
        )
        decision = replace(
            decision,
            action_ids=tuple(a.id for a in actions),
            shadow_hits=staging.shadow_hits,
            canary=staging.canary,
            snoozed=staging.snoozed,
        )
        return IngestResult(decision, actions, replayed=False), staging


def _replay(uow: UnitOfWork, stored: StoredEvent, fingerprint: str) -> IngestResult:
    if stored.fingerprint != fingerprint:
        raise Conflict(
            f"event {stored.event.id} was already ingested with a different body",
            field="id",
        )
    decision = uow.decisions.get(stored.decision_id)
    if decision is None:  # pragma: no cover - the event and its decision commit together
        raise Conflict(f"event {stored.event.id} has no stored decision", field="id")
    actions = tuple(uow.actions.for_source(decision_ids=[decision.id]))
    return IngestResult(decision, actions, replayed=True)
