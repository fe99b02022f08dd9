"""Appeals: challenge an action; another reviewer upholds or overturns it.

An overturn reverses the action (and the other actions in effect that the same decision or case
took under the same policy) through compensating actions, writes a corrected label with
`Provenance.APPEAL`, and counts against the rules and models that caused the action.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from garrison.domain.access import Permission, Principal
from garrison.domain.actions import Action, ActionStatus
from garrison.domain.appeals import (
    MAX_REASON_LENGTH,
    Appeal,
    AppealOutcome,
    AppealStatus,
    check_appealable,
    due,
    origin_of,
)
from garrison.domain.decisions import Decision
from garrison.domain.errors import InvalidInput, NotFound
from garrison.domain.ids import ActionId, AppealId, LabelId
from garrison.domain.labels import Label, LabelValue, Provenance
from garrison.services import audit
from garrison.services.ledger import get_action, plan_reversal
from garrison.services.ports import Clock, IdGenerator
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

DECIDED_PAGE = 500


@dataclass(frozen=True, slots=True)
class AppealFile:
    appeal: Appeal
    action: Action
    reversals: tuple[Action, ...]


class AppealService:
    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock, ids: IdGenerator, *, sla_seconds: int
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids
        self.sla_seconds = sla_seconds

    def file(
        self,
        principal: Principal,
        action_id: ActionId,
        *,
        reason: str,
        appellant: str | None = None,
    ) -> Appeal:
        """Appeal an action in effect; `appellant` names the account when staff file for it."""
        principal.require(Permission.FILE_APPEALS)
        if not reason.strip() or len(reason) > MAX_REASON_LENGTH:
            raise InvalidInput(f"say why, in 1 to {MAX_REASON_LENGTH} characters", field="reason")
        now = self._clock.now()
        with self._uow() as uow:
            action = get_action(uow, action_id)
            check_appealable(action, uow.appeals.for_action(action_id))
            appeal = Appeal(
                AppealId(self._ids.new("apl")),
                action.id,
                action.subject,
                appellant or principal.actor,
                reason.strip(),
                now,
                due(now, self.sla_seconds),
                origin_of(action, _decisions_behind(uow, action)),
            )
            uow.appeals.add(appeal)
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action="appeal.file",
                target=f"action:{action.id}",
                details={"appeal_id": appeal.id, "appellant": appeal.appellant},
            )
            uow.commit()
        return appeal

    def appeals(
        self,
        principal: Principal,
        *,
        status: AppealStatus | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Appeal]:
        """Soonest due first."""
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            return uow.appeals.list(status=status, limit=limit, offset=offset)

    def get(self, principal: Principal, appeal_id: AppealId) -> AppealFile:
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            appeal = _get(uow, appeal_id)
            return AppealFile(
                appeal,
                get_action(uow, appeal.action_id),
                tuple(get_action(uow, a) for a in appeal.reversal_ids),
            )

    def decide(
        self, principal: Principal, appeal_id: AppealId, *, outcome: AppealOutcome, note: str = ""
    ) -> AppealFile:
        principal.require(Permission.DECIDE_APPEALS)
        now = self._clock.now()
        with self._uow() as uow:
            appeal = _get(uow, appeal_id)
            appeal.decide(outcome, by=principal.actor, at=now, note=note)  # checks who and when
            action = get_action(uow, appeal.action_id)
            reversals: list[Action] = []
            if outcome is AppealOutcome.OVERTURN:
                reversals = [
                    plan_reversal(
                        uow, self._ids, a, actor=principal.actor, at=now, reason="appeal overturned"
                    )
                    for a in _in_effect(uow, action)
                ]
            decided = appeal.decide(
                outcome,
                by=principal.actor,
                at=now,
                note=note,
                reversal_ids=tuple(r.id for r in reversals),
            )
            uow.appeals.save(decided)
            uow.labels.add(self._label(decided, principal, outcome))
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action=f"appeal.{decided.status}",
                target=f"appeal:{appeal_id}",
                details={"action_id": action.id, "reversals": [r.id for r in reversals]},
            )
            uow.commit()
        return AppealFile(decided, action, tuple(reversals))

    def decided(self, *, limit: int = DECIDED_PAGE) -> list[Appeal]:
        """Decided appeals with their origin (rules, models, policy, original actor) and who
        decided: what quality metrics read to compute overturn rates."""
        with self._uow() as uow:
            upheld = uow.appeals.list(status=AppealStatus.UPHELD, limit=limit)
            overturned = uow.appeals.list(status=AppealStatus.OVERTURNED, limit=limit)
        return sorted([*upheld, *overturned], key=lambda a: (a.decided_at, a.id))

    def overturns_by_rule(self) -> dict[str, tuple[int, int]]:
        """For each rule or model named by a decided appeal: (overturned, decided)."""
        overturned: Counter[str] = Counter()
        decided: Counter[str] = Counter()
        for appeal in self.decided():
            for name in (*appeal.origin.rule_ids, *appeal.origin.models):
                decided[name] += 1
                overturned[name] += appeal.status is AppealStatus.OVERTURNED
        return {name: (overturned[name], decided[name]) for name in sorted(decided)}

    def _label(self, appeal: Appeal, principal: Principal, outcome: AppealOutcome) -> Label:
        value = (
            LabelValue.NOT_VIOLATING if outcome is AppealOutcome.OVERTURN else LabelValue.VIOLATING
        )
        return Label(
            LabelId(self._ids.new("lbl")),
            appeal.subject,
            appeal.origin.policy,
            value,
            Provenance.APPEAL,
            principal.actor,
            self._clock.now(),
            case_id=appeal.origin.case_id,
        )


def _get(uow: UnitOfWork, appeal_id: AppealId) -> Appeal:
    appeal = uow.appeals.get(appeal_id)
    if appeal is None:
        raise NotFound(f"no appeal {appeal_id}", field="appeal_id")
    return appeal


def _decisions_behind(uow: UnitOfWork, action: Action) -> list[Decision]:
    if action.decision_id is not None:
        return uow.decisions.many([action.decision_id])
    case = uow.cases.get(action.case_id) if action.case_id else None
    return uow.decisions.many(case.decision_ids) if case else []


def _in_effect(uow: UnitOfWork, action: Action) -> list[Action]:
    """The appealed action and its siblings (same decision or case, same policy) in effect."""
    siblings = uow.actions.for_source(
        decision_ids=[action.decision_id] if action.decision_id else [], case_id=action.case_id
    )
    found = {
        a.id: a
        for a in [action, *siblings]
        if a.policy == action.policy
        and a.status is ActionStatus.EXECUTED
        and a.reverted_by is None
        and a.kind.compensation is not None
    }
    return list(found.values())
