"""Adjudication: the list of conflicting labels, and an adjudicator's ruling that settles one."""

from __future__ import annotations

from datetime import datetime

from garrison.domain.access import Permission, Principal
from garrison.domain.adjudication import LabelConflict, conflicts
from garrison.domain.entities import EntityRef
from garrison.domain.errors import Conflict, InvalidInput
from garrison.domain.ids import LabelId
from garrison.domain.labels import Label, LabelValue, Provenance
from garrison.services import audit
from garrison.services.ports import Clock, IdGenerator
from garrison.services.unit_of_work import UnitOfWorkFactory

MAX_LABELS = 100_000


class AdjudicationService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids

    def conflicts(
        self, principal: Principal, *, since: datetime | None = None, limit: int = 100
    ) -> list[LabelConflict]:
        """Open conflicts among labels created since `since` (and the subjects' older labels)."""
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            recent = uow.quality.labels(since=since, limit=MAX_LABELS)
            subjects = sorted({x.subject for x in recent})
            labels = [x for s in subjects for x in uow.labels.for_subject(s)]
        return conflicts(labels)[:limit]

    def adjudicate(
        self,
        principal: Principal,
        subject: EntityRef,
        policy: str,
        value: LabelValue,
        note: str = "",
    ) -> Label:
        """Write the adjudicated label for an open conflict; it wins over the labels it settles."""
        principal.require(Permission.ADJUDICATE_LABELS)
        if not policy:
            raise InvalidInput("name the policy the conflict is about", field="policy")
        now = self._clock.now()
        with self._uow() as uow:
            found = [c for c in conflicts(uow.labels.for_subject(subject)) if c.policy == policy]
            if not found:
                raise Conflict(f"no open conflict about {subject} and {policy}", field="policy")
            if any(x.author == principal.actor for x in found[0].labels):
                raise Conflict(
                    "an adjudicator cannot settle a conflict they labelled", field="subject"
                )
            label = Label(
                LabelId(self._ids.new("lbl")),
                subject,
                policy,
                value,
                Provenance.ADJUDICATION,
                principal.actor,
                now,
            )
            uow.labels.add(label)
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action="label.adjudicate",
                target=str(subject),
                details={
                    "policy": policy,
                    "value": value.value,
                    "settles": [x.id for x in found[0].labels],
                    "note": note,
                },
            )
            uow.commit()
        return label
