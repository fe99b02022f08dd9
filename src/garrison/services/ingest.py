"""Ingest: one event in, one decision out, its planned actions committed in the same transaction.

validate (at the edge) -> dedupe -> fetch signals in one batch -> evaluate -> decide -> plan actions
-> commit event + decision + outbox + counter updates atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from garrison.domain.actions import Action
from garrison.domain.decisions import Decision, ScorePolicy, decide, plan_actions
from garrison.domain.errors import Conflict, GarrisonError
from garrison.domain.events import Event
from garrison.domain.ids import ActionId, DecisionId
from garrison.domain.rules import Release
from garrison.services.ports import Clock, IdGenerator, ReleaseSource
from garrison.services.signals import Signals
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
    ) -> None:
        self._uow = uow_factory
        self._releases = releases
        self._policy = policy
        self._clock = clock
        self._ids = ids
        self._signals = signals or Signals()

    def process(self, event: Event) -> IngestResult:
        fingerprint = event.fingerprint()
        try:
            with self._uow() as uow:
                stored = uow.events.get(event.id)
                if stored is not None:
                    return _replay(uow, stored, fingerprint)
                release = self._releases.current()
                result = self._decide(uow, event, release)
                uow.events.add(
                    StoredEvent(event, fingerprint, result.decision.id, self._clock.now())
                )
                uow.decisions.add(result.decision)
                uow.actions.add(result.actions)
                self._signals.record(uow, release.needs, event)
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
        """Each event is its own transaction: one bad event does not undo the others."""
        results: list[IngestResult | GarrisonError] = []
        for event in events:
            try:
                results.append(self.process(event))
            except GarrisonError as error:
                results.append(error)
        return results

    def _decide(self, uow: UnitOfWork, event: Event, release: Release) -> IngestResult:
        ctx = self._signals.context(uow, release.needs, event)
        fired = release.fired(ctx)
        hits = tuple(compiled.hit(ctx) for compiled in fired)
        decision = decide(
            DecisionId(self._ids.new("dec")),
            event,
            hits,
            policy=self._policy,
            release_version=release.version,
            decided_at=self._clock.now(),
        )
        wanted = [
            (hit, t)
            for compiled, hit in zip(fired, hits, strict=True)
            for t in compiled.rule.actions
        ]
        actions = plan_actions(
            decision,
            event,
            wanted,
            policy=self._policy,
            new_id=lambda: ActionId(self._ids.new("act")),
        )
        decision = replace(decision, action_ids=tuple(a.id for a in actions))
        return IngestResult(decision, actions, replayed=False)


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
