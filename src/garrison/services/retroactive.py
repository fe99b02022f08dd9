"""Retroactive action: act on every member of a ring or every result of a search, safely.

preview (who, how many; nothing written) -> request: refused over the cap; over the approval
threshold it waits for another person (APPROVE_ACTIONS), else it is applied at once -> applied:
one planned action per subject through the outbox, performed by the dispatcher like any other
-> undo (one step): each action in effect gets its compensating action (`ledger.plan_reversal`),
each not yet performed is cancelled. Every step is audited.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from garrison.domain.access import Permission, Principal
from garrison.domain.actions import Action, ActionKind, ActionStatus, ActionTemplate
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.errors import InvalidInput, NotFound
from garrison.domain.events import JsonValue
from garrison.domain.ids import ActionId
from garrison.domain.retroactive import (
    RetroAction,
    RetroActionId,
    RetroLimits,
    RetroStatus,
    Target,
    TargetKind,
)
from garrison.services import audit
from garrison.services.ledger import plan_reversal
from garrison.services.ports import Clock, IdGenerator
from garrison.services.search import SearchRequest, SearchService
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

SAMPLE = 25
LISTED = 100
CANCELLED = "cancelled: the retroactive action was undone"


@dataclass(frozen=True, slots=True)
class Preview:
    target: Target
    template: ActionTemplate
    count: int
    """Subjects it would act on (counted up to the cap plus one)."""
    sample: tuple[EntityRef, ...]
    over_cap: bool
    needs_approval: bool
    limits: RetroLimits


class RetroactiveService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        search: SearchService,
        limits: RetroLimits | None = None,
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids
        self._search = search
        self.limits = limits or RetroLimits()

    def preview(
        self, principal: Principal, target: Target, template: ActionTemplate, subject: EntityKind
    ) -> Preview:
        """Who the action would reach; nothing is written."""
        principal.require(Permission.TAKE_ACTIONS)
        _check_template(template)
        found = self._subjects(target, subject)
        count = len(found)
        return Preview(
            target,
            template,
            count,
            found[:SAMPLE],
            count > self.limits.cap,
            self.limits.needs_approval(count),
            self.limits,
        )

    def request(
        self,
        principal: Principal,
        target: Target,
        template: ActionTemplate,
        subject: EntityKind,
        reason: str,
    ) -> RetroAction:
        """Refused over the cap; waits for approval over the threshold; else applied now."""
        principal.require(Permission.TAKE_ACTIONS)
        _check_template(template)
        if not reason.strip():
            raise InvalidInput("say why (the reason is kept with every action)", field="reason")
        subjects = self._subjects(target, subject)
        self.limits.check(len(subjects))
        now = self._clock.now()
        retro = RetroAction(
            RetroActionId(self._ids.new("retro")),
            target,
            template,
            subjects,
            reason.strip(),
            principal.actor,
            now,
            RetroStatus.PENDING_APPROVAL,
        )
        with self._uow() as uow:
            uow.retro_actions.add(retro)
            self._audit(uow, principal, "retroactive.request", retro)
            if not self.limits.needs_approval(len(subjects)):
                retro = self._apply(uow, retro, now)
            uow.commit()
        return retro

    def approve(self, principal: Principal, retro_id: str) -> RetroAction:
        """Another person approves: the actions are planned now."""
        principal.require(Permission.APPROVE_ACTIONS)
        now = self._clock.now()
        with self._uow() as uow:
            retro = _get(uow, retro_id).approve(principal.actor, now)
            retro = self._apply(uow, retro, now)
            self._audit(uow, principal, "retroactive.approve", retro)
            uow.commit()
        return retro

    def reject(self, principal: Principal, retro_id: str) -> RetroAction:
        principal.require(Permission.APPROVE_ACTIONS)
        with self._uow() as uow:
            retro = _get(uow, retro_id).reject(principal.actor, self._clock.now())
            uow.retro_actions.save(retro)
            self._audit(uow, principal, "retroactive.reject", retro)
            uow.commit()
        return retro

    def undo(self, principal: Principal, retro_id: str) -> RetroAction:
        """Reverse what it did: compensate actions in effect, cancel those not yet performed."""
        principal.require(Permission.TAKE_ACTIONS)
        now = self._clock.now()
        with self._uow() as uow:
            retro = _get(uow, retro_id)
            undo_ids = tuple(self._undo_actions(uow, retro, principal.actor, now))
            retro = retro.undone(undo_ids, principal.actor, now)
            uow.retro_actions.save(retro)
            self._audit(uow, principal, "retroactive.undo", retro)
            uow.commit()
        return retro

    def get(self, principal: Principal, retro_id: str) -> RetroAction:
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            return _get(uow, retro_id)

    def recent(self, principal: Principal) -> list[RetroAction]:
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            return uow.retro_actions.recent(LISTED)

    def _subjects(self, target: Target, kind: EntityKind) -> tuple[EntityRef, ...]:
        """Distinct subjects in target order, read up to the cap plus one."""
        found: dict[EntityRef, None] = {}
        for ref in self._candidates(target, kind):
            found[ref] = None
            if len(found) > self.limits.cap:
                break
        return tuple(found)

    def _candidates(self, target: Target, kind: EntityKind) -> Iterator[EntityRef]:
        if target.kind is TargetKind.RING:
            with self._uow() as uow:
                ring = uow.rings.get(target.ref)
            if ring is None:
                raise NotFound(f"no ring {target.ref}", field="target.ref")
            yield from ring.members
            return
        if target.since is None:
            raise InvalidInput("a query target needs `since`", field="target.since")
        request = SearchRequest(target.ref, target.since, target.until)
        for event in self._search.matches(request):
            ident = event.entities.get(kind)
            if ident:
                yield EntityRef(kind, ident)

    def _apply(self, uow: UnitOfWork, retro: RetroAction, now: datetime) -> RetroAction:
        params: dict[str, JsonValue] = {
            **dict(retro.template.params),
            "reason": retro.reason,
            "retroactive": retro.id,
        }
        actions = [
            Action(
                id=ActionId(self._ids.new("act")),
                kind=retro.template.kind,
                subject=subject,
                params=params,
                status=ActionStatus.PLANNED,
                created_at=now,
                actor=retro.requested_by,
                approved_by=retro.approved_by,
            )
            for subject in retro.subjects
        ]
        uow.actions.add(actions)
        applied = retro.applied(tuple(a.id for a in actions), now)
        uow.retro_actions.save(applied)
        return applied

    def _undo_actions(
        self, uow: UnitOfWork, retro: RetroAction, actor: str, now: datetime
    ) -> Iterator[ActionId]:
        reason = f"undo of retroactive action {retro.id}"
        for action_id in retro.action_ids:
            action = uow.actions.get(action_id)
            if action is None:
                continue
            if action.status is ActionStatus.EXECUTED and action.kind.compensation is not None:
                reversal = plan_reversal(uow, self._ids, action, actor=actor, at=now, reason=reason)
                yield reversal.id
            elif action.status is ActionStatus.PLANNED:
                uow.actions.save(action.failed(now, CANCELLED))
            elif action.status is ActionStatus.PENDING_APPROVAL:
                uow.actions.save(action.rejected(actor, now))

    def _audit(self, uow: UnitOfWork, principal: Principal, what: str, retro: RetroAction) -> None:
        audit.record(
            uow,
            self._clock,
            actor=principal.actor,
            action=what,
            target=f"retroactive:{retro.id}",
            details={
                "target": retro.target.describe(),
                "kind": retro.template.kind.value,
                "subjects": len(retro.subjects),
                "status": retro.status.value,
            },
        )


def _get(uow: UnitOfWork, retro_id: str) -> RetroAction:
    found = uow.retro_actions.get(RetroActionId(retro_id))
    if found is None:
        raise NotFound(f"no retroactive action {retro_id}", field="retro_id")
    return found


def _check_template(template: ActionTemplate) -> None:
    if template.kind.is_reversal:
        raise InvalidInput("compensating actions come from undo, not retroactively", field="kind")
    if template.kind is ActionKind.ADD_LABEL and not template.params.get("label"):
        raise InvalidInput("add_label needs params.label", field="params.label")
