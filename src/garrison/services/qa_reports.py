"""Reviewer QA results: golden accuracy, blind double-review agreement, accuracy against
adjudicated labels. Answers are read from the resolutions of the QA items' cases."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from garrison.domain.access import Permission, Principal
from garrison.domain.adjudication import NOT_VIOLATING, category_of
from garrison.domain.agreement import Agreement, cohen_kappa, fleiss_kappa, krippendorff_alpha
from garrison.domain.cases import Case, Outcome
from garrison.domain.ids import CaseId, PrincipalId
from garrison.domain.labels import Label, LabelValue, Provenance
from garrison.domain.metrics import Proportion
from garrison.domain.qa import QaKind
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

MAX_ITEMS = 50_000
C = TypeVar("C", bound=Hashable)
VOTES = frozenset({Provenance.REVIEW, Provenance.QA_SAMPLE, Provenance.APPEAL})


@dataclass(frozen=True, slots=True)
class AgreementGroup:
    """Agreement of the double-reviewed items in one queue, policy or reviewer's work."""

    name: str
    pairs: int
    agreement: Proportion
    kappa: Agreement


@dataclass(frozen=True, slots=True)
class DoubleReviewReport:
    pairs: int
    pending: int
    same_reviewer: int
    """Pairs where one person answered twice: left out (not independent)."""
    cohen: Agreement
    fleiss: Agreement
    alpha: Agreement
    by_queue: tuple[AgreementGroup, ...]
    by_policy: tuple[AgreementGroup, ...]
    by_reviewer: tuple[AgreementGroup, ...]


@dataclass(frozen=True, slots=True)
class AccuracyReport:
    """Answers compared with a known label: golden items or adjudicated labels."""

    overall: Proportion
    pending: int
    by_reviewer: Mapping[str, Proportion]
    by_group: Mapping[str, Proportion]
    """Golden items: per queue. Adjudicated labels: per provenance of the reviewer's label."""


@dataclass(frozen=True, slots=True)
class _Pair:
    queue: str
    first: str
    second: str
    first_by: str
    second_by: str


class QaReports:
    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow = uow_factory

    def double_reviews(self, principal: Principal, *, since: datetime | None) -> DoubleReviewReport:
        principal.require(Permission.READ_DECISIONS)
        pairs: list[_Pair] = []
        pending = same = 0
        with self._uow() as uow:
            for item in uow.quality.items(kind=QaKind.DOUBLE, since=since, limit=MAX_ITEMS):
                first, second = _answer(uow, CaseId(item.key)), _answer(uow, item.case_id)
                if first is None or second is None:
                    pending += 1
                elif first[1] == second[1]:
                    same += 1
                else:
                    by = (_actor(uow, first[1]), _actor(uow, second[1]))
                    pairs.append(_Pair(item.queue, first[0], second[0], *by))
        return _double_report(pairs, pending, same)

    def golden(self, principal: Principal, *, since: datetime | None) -> AccuracyReport:
        principal.require(Permission.READ_DECISIONS)
        results: list[tuple[str, str, bool]] = []
        pending = 0
        with self._uow() as uow:
            for item in uow.quality.items(kind=QaKind.GOLDEN, since=since, limit=MAX_ITEMS):
                answer = _answer(uow, item.case_id)
                if answer is None or item.expected is None:
                    pending += 1
                    continue
                expected = category_of(item.expected, item.expected_policy)
                results.append((_actor(uow, answer[1]), item.queue, answer[0] == expected))
        return _accuracy(results, pending)

    def adjudicated(self, principal: Principal, *, since: datetime | None) -> AccuracyReport:
        """Each reviewer's labels compared with the adjudication of the same subject and policy."""
        principal.require(Permission.READ_DECISIONS)
        with self._uow() as uow:
            labels = uow.quality.labels(since=since, limit=MAX_ITEMS)
        return _accuracy(list(_against_adjudication(labels)), 0)


def _answer(uow: UnitOfWork, case_id: CaseId) -> tuple[str, PrincipalId] | None:
    """A resolved case's answer as a category, and who gave it."""
    case: Case | None = uow.cases.get(case_id)
    if case is None or case.resolution is None or case.resolution.outcome is Outcome.ESCALATE:
        return None
    r = case.resolution
    value = LabelValue.VIOLATING if r.outcome is Outcome.VIOLATING else LabelValue.NOT_VIOLATING
    return category_of(value, r.policy), r.by


def _actor(uow: UnitOfWork, principal_id: PrincipalId) -> str:
    user = uow.principals.user_by_id(principal_id)
    return user.principal.actor if user else str(principal_id)


def _double_report(pairs: list[_Pair], pending: int, same: int) -> DoubleReviewReport:
    both = [(p.first, p.second) for p in pairs]
    counts = [{p.first: 2} if p.first == p.second else {p.first: 1, p.second: 1} for p in pairs]
    queues: dict[str, list[tuple[str, str]]] = defaultdict(list)
    reviewers: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for p in pairs:
        queues[p.queue].append((p.first, p.second))
        reviewers[p.first_by].append((p.first, p.second))
        reviewers[p.second_by].append((p.second, p.first))
    policies = sorted({c for pair in both for c in pair} - {NOT_VIOLATING})
    by_policy = [
        _group(policy, [(a == policy, b == policy) for a, b in both]) for policy in policies
    ]
    return DoubleReviewReport(
        len(pairs),
        pending,
        same,
        cohen_kappa(both),
        fleiss_kappa(counts),
        krippendorff_alpha(counts),
        tuple(_group(q, v) for q, v in sorted(queues.items())),
        tuple(by_policy),
        tuple(_group(r, v) for r, v in sorted(reviewers.items())),
    )


def _group(name: str, pairs: Sequence[tuple[C, C]]) -> AgreementGroup:
    agreeing = sum(1 for a, b in pairs if a == b)
    return AgreementGroup(name, len(pairs), Proportion.of(agreeing, len(pairs)), cohen_kappa(pairs))


def _accuracy(results: list[tuple[str, str, bool]], pending: int) -> AccuracyReport:
    return AccuracyReport(
        Proportion.of(sum(ok for _, _, ok in results), len(results)),
        pending,
        _shares((who, ok) for who, _, ok in results),
        _shares((queue, ok) for _, queue, ok in results),
    )


def _shares(results: Iterable[tuple[str, bool]]) -> dict[str, Proportion]:
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, ok in results:
        tally[key][0] += ok
        tally[key][1] += 1
    return {k: Proportion.of(right, n) for k, (right, n) in sorted(tally.items())}


def _against_adjudication(labels: list[Label]) -> Iterable[tuple[str, str, bool]]:
    adjudications: dict[object, list[Label]] = defaultdict(list)
    for label in labels:
        if label.provenance is Provenance.ADJUDICATION:
            adjudications[label.subject].append(label)
    for label in labels:
        if label.provenance not in VOTES:
            continue
        for ruling in adjudications.get(label.subject, []):
            if label.policy is None or ruling.policy == label.policy:
                yield label.author, label.provenance.value, ruling.value is label.value
                break
