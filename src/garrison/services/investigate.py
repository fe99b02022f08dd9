"""Investigations: identity links kept up to date, and the views an investigator reads.

`record_links(uow, event)` runs inside the ingest transaction, so an event and the links it
reveals commit together. `rebuild_links` re-derives every link from the event log (a backfill,
or after the link rules change). The entity page, its graph and the audited reveal of personal
data are `Investigations` methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from garrison.domain.access import Permission, Principal
from garrison.domain.entities import EntityRef
from garrison.domain.events import Event
from garrison.domain.graph import DEFAULT_LINK_POLICY, LinkPolicy, observations
from garrison.domain.redaction import is_pii, redact_ref
from garrison.services import audit
from garrison.services.entity_page import EntityPage, build_page
from garrison.services.graph_storage import Observation
from garrison.services.link_graph import GraphView, build_graph
from garrison.services.ports import Clock
from garrison.services.redactor import Redactor
from garrison.services.unit_of_work import StoredEvent, UnitOfWork, UnitOfWorkFactory

REBUILD_PAGE = 2000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def record_links(uow: UnitOfWork, event: Event) -> None:
    """Record which identifiers the event's account was seen with (a no-op without an account)."""
    found = observations(event)
    if found is not None:
        account, identifiers = found
        uow.links.observe(account, identifiers, event.occurred_at)


def record_links_many(uow: UnitOfWork, events: Sequence[Event]) -> None:
    """`record_links` for a batch of events, written in one statement (the ingest batch path)."""
    observed: list[Observation] = []
    for event in events:
        found = observations(event)
        if found is not None:
            observed.append((found[0], found[1], event.occurred_at))
    if observed:
        uow.links.observe_many(observed)


def rebuild_links(uow_factory: UnitOfWorkFactory, *, page: int = REBUILD_PAGE) -> int:
    """Forget every link and re-derive them from the event log, in one transaction.

    Returns how many events were read.
    """
    read = 0
    with uow_factory() as uow:
        uow.links.clear()
        after: StoredEvent | None = None
        while batch := uow.events.by_time(EPOCH, None, after, page):
            for stored in batch:
                record_links(uow, stored.event)
            read += len(batch)
            after = batch[-1]
        uow.commit()
    return read


@dataclass(frozen=True, slots=True)
class Revealed:
    """Personal data of an entity page in full: each redacted text and what it stands for."""

    subject: EntityRef
    values: tuple[tuple[str, str], ...]


class Investigations:
    """Entity pages, link graphs and reveals. Every read is audited; PII is redacted by default.

    `pseudonym_key` keys the pseudonyms that stand for personal data in graph node ids and audit
    records (so they can be matched without being readable).
    """

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        *,
        pseudonym_key: bytes,
        policy: LinkPolicy = DEFAULT_LINK_POLICY,
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._key = pseudonym_key
        self.policy = policy

    def entity_page(
        self, principal: Principal, subject: EntityRef, *, limit: int = 50, offset: int = 0
    ) -> EntityPage:
        """Timeline (newest first), links and risk of one entity, with PII redacted."""
        principal.require(Permission.READ_CONTENT)
        redactor = Redactor(self._key)
        with self._uow() as uow:
            page = build_page(uow, subject, redactor, self.policy, limit=limit, offset=offset)
            self._audit(uow, principal, "entity.read", subject, {"offset": offset})
            uow.commit()
        return page

    def reveal(
        self, principal: Principal, subject: EntityRef, *, limit: int = 50, offset: int = 0
    ) -> Revealed:
        """The personal data the same entity page redacts, in full (audited)."""
        principal.require(Permission.READ_CONTENT)
        principal.require(Permission.READ_PII)
        redactor = Redactor(self._key)
        with self._uow() as uow:
            build_page(uow, subject, redactor, self.policy, limit=limit, offset=offset)
            values = redactor.revealed()
            details = {"offset": offset, "values": len(values)}
            self._audit(uow, principal, "entity.reveal", subject, details)
            uow.commit()
        return Revealed(subject, values)

    def graph(self, principal: Principal, center: EntityRef, *, depth: int = 2) -> GraphView:
        """Accounts and identifiers within `depth` hops of `center`.

        Nodes that are personal data carry a pseudonym id and a redacted label; principals who
        may read PII also get their real ref (to expand them), and then the read is audited.
        """
        principal.require(Permission.READ_CONTENT)
        may_expand_pii = principal.can(Permission.READ_PII)
        redactor = Redactor(self._key)
        with self._uow() as uow:
            view = build_graph(uow, center, redactor, self.policy, depth, may_expand_pii)
            if may_expand_pii and view.pii:
                self._audit(uow, principal, "entity.graph", center, {"depth": depth})
                uow.commit()
        return view

    def _audit(
        self,
        uow: UnitOfWork,
        principal: Principal,
        action: str,
        subject: EntityRef,
        details: dict[str, int],
    ) -> None:
        extra: dict[str, str | int] = dict(details)
        if is_pii(subject):
            extra["pseudonym"] = Redactor(self._key).pseudonym(subject)
        audit.record(
            uow,
            self._clock,
            actor=principal.actor,
            action=action,
            target=redact_ref(subject),
            details=extra,
        )
