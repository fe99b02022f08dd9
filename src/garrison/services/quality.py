"""Quality of every rule, model and policy: precision from labels, recall from the QA sample.

Precision counts subjects a detector flagged (hits and shadow hits) whose label for the
detector's policy is known; the label that counts is the adjudicated one when there is one,
else the newest (review, appeal, QA sample, golden or import). Recall is per policy, counted in
events: caught = events the engine did not allow whose subject is labelled violating for the
policy; missed = the Horvitz-Thompson estimate over the stratified QA sample of allowed events
(see `domain.sampling`). A rule's recall is its caught events over the policy's estimated total.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from garrison.domain.access import Permission, Principal
from garrison.domain.adjudication import effective
from garrison.domain.decisions import Decision
from garrison.domain.entities import EntityRef
from garrison.domain.events import Event
from garrison.domain.labels import Label, LabelValue
from garrison.domain.metrics import Interval, Proportion
from garrison.domain.qa import QaItem, QaItemId, QaKind
from garrison.domain.sampling import (
    MissedEstimate,
    RecallEstimate,
    Stratum,
    estimate_missed,
    recall,
    segment_of,
)
from garrison.domain.verdicts import Verdict
from garrison.services.ports import Clock
from garrison.services.qa import MAX_SCAN, decided
from garrison.services.unit_of_work import UnitOfWorkFactory

WINDOW = timedelta(days=30)
MAX_ITEMS = 100_000
_MODEL_INPUT = re.compile(r"^score\((?P<model>[^)]+)\)$")
ANY_POLICY = "*"


@dataclass(frozen=True, slots=True)
class DetectorQuality:
    """A rule, model or policy: distinct subjects flagged, precision over the labelled ones."""

    name: str
    subjects: int
    precision: Proportion
    caught: int = 0
    """Flagged events labelled violating (rules and policies)."""
    recall: RecallEstimate | None = None


@dataclass(frozen=True, slots=True)
class QualityReport:
    since: datetime
    until: datetime
    events: int
    capped: bool
    rules: tuple[DetectorQuality, ...]
    models: tuple[DetectorQuality, ...]
    policies: tuple[DetectorQuality, ...]
    overall: RecallEstimate
    """Recall of the whole engine for any policy."""


@dataclass
class _Scan:
    events: int = 0
    rules: dict[str, dict[EntityRef, str]] = field(default_factory=dict)
    models: dict[str, dict[EntityRef, str]] = field(default_factory=dict)
    flagged: dict[EntityRef, int] = field(default_factory=lambda: defaultdict(int))
    rule_events: dict[str, dict[EntityRef, int]] = field(default_factory=dict)
    allowed: dict[str, str] = field(default_factory=dict)
    """Allowed event id -> segment."""
    population: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class QualityService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        *,
        window: timedelta = WINDOW,
        max_events: int = MAX_SCAN,
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._window = window
        self._max_events = max_events

    def report(self, principal: Principal, *, days: int | None = None) -> QualityReport:
        principal.require(Permission.READ_DECISIONS)
        until = self._clock.now()
        since = until - (timedelta(days=days) if days else self._window)
        scan = self._scan(since, until)
        with self._uow() as uow:
            samples = [
                i
                for i in uow.quality.items(kind=QaKind.SAMPLE, since=None, limit=MAX_ITEMS)
                if i.key in scan.allowed
            ]
            resolved = {i.id for i in samples if _resolved(uow.cases.get(i.case_id))}
            subjects = {*scan.flagged, *(i.subject for i in samples)}
            for named in (*scan.rules.values(), *scan.models.values()):
                subjects.update(named)
            labels = {s: uow.labels.for_subject(s) for s in subjects}
        return _report(scan, samples, resolved, labels, since, until, self._max_events)

    def _scan(self, since: datetime, until: datetime) -> _Scan:
        scan = _Scan()
        for event, decision in decided(self._uow, since, until, self._max_events):
            scan.events += 1
            _take(scan, event, decision)
        return scan


def _take(scan: _Scan, event: Event, decision: Decision) -> None:
    subject = event.subject
    if subject is None:
        return
    if decision.verdict is Verdict.ALLOW:
        tier = event.attributes.get("tier")
        segment = segment_of(event.type, str(tier) if tier is not None else None)
        scan.allowed[event.id] = segment
        scan.population[segment] += 1
    else:
        scan.flagged[subject] += 1
    for hit in (*decision.hits, *decision.shadow_hits):
        scan.rules.setdefault(hit.rule, {})[subject] = hit.policy
        per_rule = scan.rule_events.setdefault(hit.rule, defaultdict(int))
        if decision.verdict is not Verdict.ALLOW:
            per_rule[subject] += 1
        for key in hit.inputs:
            match = _MODEL_INPUT.match(key)
            if match:
                scan.models.setdefault(match["model"], {})[subject] = hit.policy


def _resolved(case: object) -> bool:
    return getattr(case, "resolution", None) is not None


def _violating(labels: list[Label], policy: str) -> bool | None:
    if policy == ANY_POLICY:
        if not labels:
            return None
        return any(x.value is LabelValue.VIOLATING for x in _current(labels))
    label = effective(labels, policy)
    return None if label is None else label.value is LabelValue.VIOLATING


def _current(labels: list[Label]) -> list[Label]:
    """Each policy's effective label (and the newest policy-less one)."""
    policies = {x.policy for x in labels if x.policy is not None}
    found = [effective(labels, p) for p in sorted(policies)]
    if not policies:
        found.append(effective(labels, ""))
    return [x for x in found if x is not None]


def _report(
    scan: _Scan,
    samples: list[QaItem],
    resolved: set[QaItemId],
    labels: Mapping[EntityRef, list[Label]],
    since: datetime,
    until: datetime,
    cap: int,
) -> QualityReport:
    policies = sorted({p for named in scan.rules.values() for p in named.values()})
    missed = {p: _missed(scan, samples, resolved, labels, p) for p in (*policies, ANY_POLICY)}
    caught = {p: _caught(scan.flagged, labels, p) for p in (*policies, ANY_POLICY)}
    rules = tuple(
        _detector(name, subjects, labels, scan.rule_events[name], missed, caught)
        for name, subjects in sorted(scan.rules.items())
    )
    models = tuple(
        _detector(name, subjects, labels, None, missed, caught)
        for name, subjects in sorted(scan.models.items())
    )
    by_policy: dict[str, dict[EntityRef, str]] = defaultdict(dict)
    for named in scan.rules.values():
        for subject, policy in named.items():
            by_policy[policy][subject] = policy
    policy_rows = tuple(
        _detector(p, by_policy[p], labels, None, missed, caught, policy_level=True)
        for p in policies
    )
    overall = recall(caught[ANY_POLICY], missed[ANY_POLICY])
    return QualityReport(
        since, until, scan.events, scan.events >= cap, rules, models, policy_rows, overall
    )


def _detector(
    name: str,
    subjects: Mapping[EntityRef, str],
    labels: Mapping[EntityRef, list[Label]],
    events: Mapping[EntityRef, int] | None,
    missed: Mapping[str, MissedEstimate],
    caught: Mapping[str, int],
    *,
    policy_level: bool = False,
) -> DetectorQuality:
    violating = labelled = 0
    for subject, named in subjects.items():
        found = _violating(labels.get(subject, []), named)
        if found is not None:
            labelled += 1
            violating += found
    precision = Proportion.of(violating, labelled)
    first = next(iter(subjects.values()), None)
    if first is None or (events is None and not policy_level):
        return DetectorQuality(name, len(subjects), precision)
    policy: str = first
    if policy_level:
        mine = caught[policy]
    else:
        assert events is not None
        mine = sum(n for s, n in events.items() if _violating(labels.get(s, []), policy))
    share = _share(mine, caught[policy], missed[policy])
    return DetectorQuality(name, len(subjects), precision, mine, share)


def _share(mine: int, caught: int, missed: MissedEstimate) -> RecallEstimate:
    """A detector's caught events over the policy's estimated total (all caught + missed)."""
    others = max(0, caught - mine)
    widened = MissedEstimate(
        missed.total + others,
        Interval(missed.interval.low + others, missed.interval.high + others),
        missed.labelled,
        missed.violating,
        missed.uncovered,
        missed.strata,
    )
    return recall(mine, widened)


def _caught(
    flagged: Mapping[EntityRef, int], labels: Mapping[EntityRef, list[Label]], policy: str
) -> int:
    return sum(n for s, n in flagged.items() if _violating(labels.get(s, []), policy))


def _missed(
    scan: _Scan,
    samples: list[QaItem],
    resolved: set[QaItemId],
    labels: Mapping[EntityRef, list[Label]],
    policy: str,
) -> MissedEstimate:
    strata: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    rates: dict[str, float] = {}
    for item in samples:
        segment = scan.allowed[item.key]
        rates[segment] = item.rate or 0.0
        tally = strata[segment]
        tally[0] += 1
        if item.id in resolved:
            tally[1] += 1
            tally[2] += bool(_violating(labels.get(item.subject, []), policy))
    return estimate_missed(
        [
            Stratum(seg, scan.population[seg], rates.get(seg, 0.0), *strata[seg])
            for seg in sorted(scan.population)
        ]
    )
