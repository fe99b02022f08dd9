"""Audit: every write and every read of raw content appends a hash-chained record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from garrison.domain.access import Permission, Principal
from garrison.domain.audit import AuditRecord, ChainBreak, chain, first_broken
from garrison.domain.events import JsonValue
from garrison.services.ports import Clock
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

SCAN_PAGE = 1000


def record(
    uow: UnitOfWork,
    clock: Clock,
    *,
    actor: str,
    action: str,
    target: str,
    details: Mapping[str, JsonValue] | None = None,
) -> AuditRecord:
    """Append a record inside the caller's unit of work, so it commits with the change it audits."""
    entry = chain(
        uow.audit.last(),
        actor=actor,
        action=action,
        target=target,
        at=clock.now(),
        details=details or {},
    )
    uow.audit.append(entry)
    return entry


@dataclass(frozen=True, slots=True)
class Verification:
    records: int
    broken: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify(uow_factory: UnitOfWorkFactory) -> Verification:
    """Re-hash the whole chain page by page; report the first record that does not fit."""
    with uow_factory() as uow:
        head = uow.audit.head()
        records: list[AuditRecord] = []
        after = 0
        while page := uow.audit.scan(after, SCAN_PAGE):
            records.extend(page)
            after = page[-1].seq
    return Verification(len(records), first_broken(records, head))


def recent(
    uow_factory: UnitOfWorkFactory,
    principal: Principal,
    *,
    limit: int = 100,
    target: str | None = None,
) -> list[AuditRecord]:
    principal.require(Permission.READ_AUDIT)
    with uow_factory() as uow:
        return uow.audit.recent(limit=limit, target=target)
