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
from garrison.domain.ids import ActionId, DecisionId, EventId
from garrison.domain.lifecycle import Lineup, Staging
from garrison.services.ingest_group import GroupCommit
from garrison.services.investigate import record_links_many
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
        self._group: GroupCommit[Event, IngestResult | GarrisonError] = GroupCommit(
            self.process_batch
        )

    def process(self, event: Event) -> IngestResult:
        """One event's decision; raises its Conflict or InvalidInput. Calls that overlap in
        time share one transaction (see `ingest_group`); a lone call runs alone."""
        outcome = self._group.submit(event)
        if isinstance(outcome, GarrisonError):
            raise outcome
        return outcome

    def _process(self, event: Event) -> IngestResult:
        fingerprint = event.fingerprint()
        try:
            with self._uow() as uow:
                stored = uow.events.get(event.id)
                if stored is not None:
                    return _replay(uow, stored, fingerprint)
                lineup = self._releases.lineup(uow)
                result, written, _ = self._decide_new(uow, event, fingerprint, lineup)
                _store(uow, [written], [result])
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
        """The batch's ids are looked up at once, the live release read once (again only after
        a rule of it was demoted, which changes how it runs), and its new events, decisions and
        actions written together at the end; an id repeated in the batch answers from memory."""
        results: list[IngestResult | GarrisonError] = []
        new: dict[EventId, tuple[str, IngestResult]] = {}
        written: list[StoredEvent] = []
        fingerprints = [event.fingerprint() for event in events]  # before the write lock
        with self._uow() as uow:
            known = uow.events.known([event.id for event in events])
            lineup = self._releases.lineup(uow)
            for event, fingerprint in zip(events, fingerprints, strict=True):
                stored = uow.events.get(event.id) if event.id in known else None
                try:
                    if event.id in new:
                        results.append(_again(event, fingerprint, *new[event.id]))
                    elif stored is not None:
                        results.append(_replay(uow, stored, fingerprint))
                    else:
                        result, stored, demoted = self._decide_new(uow, event, fingerprint, lineup)
                        results.append(result)
                        written.append(stored)
                        new[event.id] = (fingerprint, result)
                        lineup = self._releases.lineup(uow) if demoted else lineup
                except Conflict as conflict:
                    results.append(conflict)
            _store(uow, written, [new[stored.event.id][1] for stored in written])
            uow.commit()
        return results

    def _alone(self, event: Event) -> IngestResult | GarrisonError:
        try:
            return self._process(event)
        except GarrisonError as error:
            return error

    def _decide_new(
        self, uow: UnitOfWork, event: Event, fingerprint: str, lineup: Lineup
    ) -> tuple[IngestResult, StoredEvent, bool]:
        """Decide a new event and write its counts and stage records; the event to store (the
        caller stores it with its decision and actions: see `_store`), and whether a rule was
        demoted on the way (the live release then runs differently)."""
        result, staging = self._decide(uow, event, lineup)
        self._signals.record(uow, lineup.feeds(event.type), event)
        demoted = self._staging.record(uow, lineup, staging, result.decision, event)
        stored = StoredEvent(event, fingerprint, result.decision.id, self._clock.now())
        return result, stored, demoted

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


def _store(uow: UnitOfWork, events: list[StoredEvent], results: list[IngestResult]) -> None:
    """New events with their decisions and planned actions (the outbox), a few statements."""
    uow.events.add_many(events)
    record_links_many(uow, [stored.event for stored in events])  # identity links, same commit
    uow.decisions.add_many([result.decision for result in results])
    uow.actions.add([action for result in results for action in result.actions])


def _again(event: Event, fingerprint: str, first: str, result: IngestResult) -> IngestResult:
    """An id already decided in this batch: its decision again, or a Conflict."""
    if fingerprint != first:
        raise _conflict(event.id)
    return IngestResult(result.decision, result.actions, replayed=True)


def _conflict(event_id: EventId) -> Conflict:
    return Conflict(f"event {event_id} was already ingested with a different body", field="id")


def _replay(uow: UnitOfWork, stored: StoredEvent, fingerprint: str) -> IngestResult:
    if stored.fingerprint != fingerprint:
        raise _conflict(stored.event.id)
    decision = uow.decisions.get(stored.decision_id)
    if decision is None:  # pragma: no cover - the event and its decision commit together
        raise Conflict(f"event {stored.event.id} has no stored decision", field="id")
    actions = tuple(uow.actions.for_source(decision_ids=[decision.id]))
    return IngestResult(decision, actions, replayed=True)
