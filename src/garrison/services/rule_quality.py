"""Rule precision from review labels.

For each rule: the subjects of the decisions it hit in a period (shadow hits included) that a
reviewer labelled, and the share of them labelled violating, with a 95% Wilson interval. A
subject counts by its newest review label that covers the rule's policy (a label without a
policy, or one whose policy is the rule's or a parent of it, like `fraud` for `fraud.card`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from garrison.domain.decisions import Decision
from garrison.domain.entities import EntityRef
from garrison.domain.events import Event
from garrison.domain.labels import Label, LabelValue, Provenance
from garrison.domain.metrics import Proportion
from garrison.services.ports import Clock
from garrison.services.unit_of_work import StoredEvent, UnitOfWork, UnitOfWorkFactory

WINDOW = timedelta(days=30)
MAX_EVENTS = 200_000
"""Events read at most; past it the sheet says it is `capped`."""
PAGE = 2000


@dataclass(frozen=True, slots=True)
class RulePrecision:
    rule: str
    subjects: int
    """Distinct subjects the rule hit in the period."""
    precision: Proportion
    """Violating of the labelled subjects (value and interval None when none is labelled)."""


@dataclass(frozen=True, slots=True)
class QualitySheet:
    since: datetime
    until: datetime
    events: int
    capped: bool
    rules: Mapping[str, RulePrecision]

    def of(self, rule: str) -> Proportion:
        """A rule's precision; `n` is 0 for a rule that hit nothing."""
        found = self.rules.get(rule)
        return found.precision if found else Proportion.of(0, 0)


class RuleQuality:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        *,
        window: timedelta = WINDOW,
        max_events: int = MAX_EVENTS,
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._window = window
        self._max_events = max_events

    def sheet(self) -> QualitySheet:
        """Every rule that hit an event that occurred in the last `window`."""
        until = self._clock.now()
        since = until - self._window
        hits: dict[str, dict[EntityRef, str]] = {}
        events = 0
        for event, decision in self._decided(since, until):
            events += 1
            subject = event.subject
            if subject is None:
                continue
            for hit in (*decision.hits, *decision.shadow_hits):
                hits.setdefault(hit.rule, {})[subject] = hit.policy
        labels = self._review_labels({s for subjects in hits.values() for s in subjects})
        rules = {
            rule: _precision(rule, subjects, labels) for rule, subjects in sorted(hits.items())
        }
        return QualitySheet(since, until, events, events >= self._max_events, rules)

    def _decided(self, since: datetime, until: datetime) -> Iterator[tuple[Event, Decision]]:
        """Events in the period with their decisions, a page per unit of work, up to the cap."""
        after: StoredEvent | None = None
        read = 0
        while read < self._max_events:
            limit = min(PAGE, self._max_events - read)
            with self._uow() as uow:
                page = uow.events.by_time(since, until, after, limit)
                decisions = _decisions(uow, page)
            for stored in page:
                decision = decisions.get(stored.decision_id)
                if decision is not None:
                    yield stored.event, decision
            read += len(page)
            if len(page) < limit:
                return
            after = page[-1]

    def _review_labels(self, subjects: set[EntityRef]) -> dict[EntityRef, list[Label]]:
        """Each subject's review labels, newest first."""
        with self._uow() as uow:
            return {
                subject: [
                    label
                    for label in uow.labels.for_subject(subject)
                    if label.provenance is Provenance.REVIEW
                ]
                for subject in subjects
            }


def _decisions(uow: UnitOfWork, page: list[StoredEvent]) -> dict[str, Decision]:
    return {d.id: d for d in uow.decisions.many([stored.decision_id for stored in page])}


def _precision(
    rule: str, subjects: Mapping[EntityRef, str], labels: Mapping[EntityRef, list[Label]]
) -> RulePrecision:
    violating = labelled = 0
    for subject, policy in subjects.items():
        label = next((x for x in labels.get(subject, []) if _covers(x.policy, policy)), None)
        if label is not None:
            labelled += 1
            violating += label.value is LabelValue.VIOLATING
    return RulePrecision(rule, len(subjects), Proportion.of(violating, labelled))


def _covers(label_policy: str | None, rule_policy: str) -> bool:
    return (
        label_policy is None
        or rule_policy == label_policy
        or rule_policy.startswith(label_policy + ".")
    )
