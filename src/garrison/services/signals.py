"""Signals: fetch everything a release reads for one event in one batch, and record what it adds.

Reading happens before evaluation; recording (counter updates) commits in the same transaction as
the decision, so a decision and the counts it saw never disagree.
"""

from __future__ import annotations

from garrison.domain.events import Event
from garrison.domain.rules import EvalContext
from garrison.domain.signals import (
    FieldRef,
    Needs,
    VelocitySpec,
    bucket_of,
    counter_key,
    window_buckets,
)
from garrison.services.unit_of_work import UnitOfWork


class Signals:
    def context(self, uow: UnitOfWork, needs: Needs, event: Event) -> EvalContext:
        """The evaluation context of `event`: the event and every signal `needs` names."""
        return EvalContext(event, velocity=_velocity(uow, needs, event))

    def record(self, uow: UnitOfWork, needs: Needs, event: Event) -> None:
        """Add the event to the counters (every entity is counted, whatever the rules read)."""
        uow.counters.increment(_entity_counter_keys(event), bucket_of(event.occurred_at))


def _velocity(uow: UnitOfWork, needs: Needs, event: Event) -> dict[VelocitySpec, float]:
    """Stored counts over each window, plus the event itself when it feeds the aggregate."""
    specs = [s for s in sorted(needs.velocity) if s.key.read(event) is not None]
    if not specs:
        return {}
    queries = [
        (
            s.counter_key(str(s.key.read(event))),
            *window_buckets(event.occurred_at, s.window_seconds),
        )
        for s in specs
    ]
    stored = uow.counters.sums(queries)
    return {
        spec: total + (1 if spec.matches(event) else 0)
        for spec, total in zip(specs, stored, strict=True)
    }


def _entity_counter_keys(event: Event) -> list[str]:
    keys: list[str] = []
    for kind, ident in event.entities.items():
        keys.append(counter_key(FieldRef.entity(kind), ident, None))
        keys.append(counter_key(FieldRef.entity(kind), ident, event.type))
    return keys
