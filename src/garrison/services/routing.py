"""Routing rules: stored, editable, audited; `route_for` picks the queue for new review work.

Other services call `route_for(uow, WorkItem(...))` inside their own unit of work (the enforcement
dispatcher, for example, to send an enterprise subject's case to the `sensitive` queue).
"""

from __future__ import annotations

from collections.abc import Sequence

from garrison.domain.access import Permission, Principal
from garrison.domain.errors import InvalidInput, NotFound
from garrison.domain.ids import QueueName
from garrison.domain.routing import DEFAULT_ROUTES, FALLBACK_QUEUE, RoutingRule, WorkItem, route
from garrison.services import audit
from garrison.services.ports import Clock
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory


def route_for(uow: UnitOfWork, item: WorkItem) -> QueueName:
    """The queue new work goes to: the stored rules (the defaults if none are stored), and the
    fallback queue if the chosen queue does not exist."""
    rules = uow.routing.list() or list(DEFAULT_ROUTES)
    queue = route(rules, item)
    return queue if uow.queues.get(queue) is not None else FALLBACK_QUEUE


class RoutingService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    def rules(self, principal: Principal) -> list[RoutingRule]:
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            return uow.routing.list()

    def preview(self, principal: Principal, item: WorkItem) -> QueueName:
        """Which queue this work would go to now."""
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            return route_for(uow, item)

    def put(self, principal: Principal, rule: RoutingRule) -> RoutingRule:
        """Create or replace the rule of that name."""
        principal.require(Permission.MANAGE_QUEUES)
        with self._uow() as uow:
            if uow.queues.get(rule.queue) is None:
                raise InvalidInput(f"no queue named {rule.queue!r}", field="queue")
            before = uow.routing.get(rule.name)
            uow.routing.save(rule)
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action="routing.update" if before else "routing.create",
                target=f"route:{rule.name}",
                details={"queue": rule.queue, "position": rule.position, "enabled": rule.enabled},
            )
            uow.commit()
        return rule

    def delete(self, principal: Principal, name: str) -> None:
        principal.require(Permission.MANAGE_QUEUES)
        with self._uow() as uow:
            if not uow.routing.delete(name):
                raise NotFound(f"no routing rule named {name!r}", field="name")
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action="routing.delete",
                target=f"route:{name}",
            )
            uow.commit()


def ensure_routes(uow_factory: UnitOfWorkFactory, rules: Sequence[RoutingRule]) -> None:
    """Store the shipped rules once, on an empty rule table (edits and deletions then stick)."""
    with uow_factory() as uow:
        if uow.routing.list():
            return
        for rule in rules:
            uow.routing.save(rule)
        uow.commit()
