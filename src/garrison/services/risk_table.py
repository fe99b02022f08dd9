"""The training table of Garrison's own risk model: events, as scorers see them, labelled by
the review labels of the entities they name.

An event is positive when an entity it names carries a `violating` label, negative when its
entities carry only `not_violating` ones; events of unlabelled entities are left out (they are
not known to be fine). Identifier features (`entity.*`) are left out: a model must not learn who,
only what. The table's rows are what a registry model sees at scoring time (`features_of` plus
`signal_features`: entity event counts and entity labels), so training and serving agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from garrison.domain.entities import EntityRef
from garrison.domain.events import Event, JsonValue
from garrison.domain.labels import LabelValue
from garrison.services.scoring import signal_features
from garrison.services.signals import features_of
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

LABEL = "label"
TIME = "occurred_at"
PAGE = 1000


@dataclass(frozen=True, slots=True)
class RiskTable:
    rows: list[dict[str, JsonValue]]
    """Features plus `label` (1/0) and `occurred_at` (ISO 8601)."""
    events_seen: int

    @property
    def positives(self) -> int:
        return sum(1 for row in self.rows if row[LABEL] == 1)


def risk_table(
    uow_factory: UnitOfWorkFactory, start: datetime, end: datetime, *, policy: str | None = None
) -> RiskTable:
    """The labelled events with `start <= occurred_at < end` (labels of `policy` only, if named)."""
    rows: list[dict[str, JsonValue]] = []
    seen = 0
    verdicts: dict[EntityRef, int | None] = {}
    with uow_factory() as uow:
        after = None
        while page := uow.events.by_time(start, end, after, PAGE):
            after = page[-1]
            for stored in page:
                seen += 1
                label = _label(uow, stored.event, verdicts, policy)
                if label is not None:
                    rows.append(_row(uow, stored.event, label))
    return RiskTable(rows, seen)


def _row(uow: UnitOfWork, event: Event, label: int) -> dict[str, JsonValue]:
    features = {k: v for k, v in features_of(event, {}).items() if not k.startswith("entity.")}
    features.update(signal_features(uow, event, recorded=True))
    return {**features, LABEL: label, TIME: event.occurred_at.isoformat()}


def _label(
    uow: UnitOfWork, event: Event, verdicts: dict[EntityRef, int | None], policy: str | None
) -> int | None:
    found: list[int] = []
    for ref in event.refs:
        if ref not in verdicts:
            labels = [
                lab for lab in uow.labels.for_subject(ref) if policy is None or lab.policy == policy
            ]
            values = {lab.value for lab in labels}
            verdicts[ref] = 1 if LabelValue.VIOLATING in values else (0 if values else None)
        verdict = verdicts[ref]
        if verdict is not None:
            found.append(verdict)
    return max(found) if found else None
