"""Queue settings (SLA, required permission, playbook and wellness keys) and the SLA watch."""

from __future__ import annotations

from datetime import timedelta

from garrison.domain.access import Permission, Principal
from garrison.domain.cases import Queue
from garrison.domain.errors import InvalidInput, NotFound
from garrison.domain.ids import QueueName
from garrison.domain.routing import NAME
from garrison.domain.sla import SlaStanding, SlaState, check_warn_at, standing
from garrison.services import audit
from garrison.services.ports import Clock
from garrison.services.unit_of_work import UnitOfWorkFactory

MAX_SLA_SECONDS = 90 * 24 * 3600
SLA_ROWS = 500
QUEUE_PERMISSIONS = (
    Permission.REVIEW_CASES,
    Permission.REVIEW_ESCALATIONS,
    Permission.REVIEW_POLICY_LEGAL,
)


class QueueService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, warn_at: float) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._warn_at = check_warn_at(warn_at)

    @property
    def warn_at(self) -> float:
        """The default warning threshold (share of the SLA used)."""
        return self._warn_at

    def get(self, principal: Principal, name: QueueName) -> Queue:
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            queue = uow.queues.get(name)
        if queue is None:
            raise NotFound(f"no queue named {name!r}", field="queue")
        return queue

    def put(self, principal: Principal, queue: Queue) -> Queue:
        """Create a queue or change its settings."""
        principal.require(Permission.MANAGE_QUEUES)
        _check(queue)
        with self._uow() as uow:
            before = uow.queues.get(queue.name)
            uow.queues.save(queue)
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action="queue.update" if before else "queue.create",
                target=f"queue:{queue.name}",
                details={
                    "sla_seconds": queue.sla_seconds,
                    "required": queue.required.value,
                    "playbook": queue.playbook,
                    "wellness": queue.wellness,
                },
            )
            uow.commit()
        return queue

    def sla(
        self,
        principal: Principal,
        *,
        queue: QueueName | None = None,
        warn_at: float | None = None,
    ) -> list[SlaStanding]:
        """Unresolved cases that used `warn_at` of their SLA or more (breached ones included),
        the most overdue first."""
        principal.require(Permission.READ_CASES)
        share = check_warn_at(warn_at if warn_at is not None else self._warn_at)
        now = self._clock.now()
        found: list[SlaStanding] = []
        with self._uow() as uow:
            queues = uow.queues.list()
            if queue is not None:
                queues = [q for q in queues if q.name == queue]
                if not queues:
                    raise NotFound(f"no queue named {queue!r}", field="queue")
            for q in queues:
                before = now - timedelta(seconds=q.sla_seconds * share)
                for case in uow.cases.waiting_since(q.name, before, SLA_ROWS):
                    found.append(standing(case, q, now, share))
        found = [s for s in found if s.state is not SlaState.OK]
        return sorted(found, key=lambda s: (-s.used, s.case.id))


def _check(queue: Queue) -> None:
    if not NAME.match(queue.name):
        raise InvalidInput(f"bad queue name {queue.name!r}", field="name")
    if not 60 <= queue.sla_seconds <= MAX_SLA_SECONDS:
        raise InvalidInput("the SLA is between 60 seconds and 90 days", field="sla_seconds")
    if queue.required not in QUEUE_PERMISSIONS:
        known = ", ".join(QUEUE_PERMISSIONS)
        raise InvalidInput(f"a queue requires one of {known}", field="required_permission")
