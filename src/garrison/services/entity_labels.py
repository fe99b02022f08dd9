"""Entity labels: add, remove and list the named tags on an entity. Every write is audited.

Labels come from analysts (API, console, CLI) and from rules: the dispatcher performs an
`add_label` action by calling `label_from_action`, with params `{"label": NAME, "ttl": "30d"}`
(no ttl: `DEFAULT_ACTION_TTL`). Permissions are checked at the edge: the API needs REVIEW_CASES
to add or remove a label (labels are a reviewer's judgement about an entity) and READ_DECISIONS
to read them.
"""

from __future__ import annotations

from datetime import datetime

from garrison.domain.actions import Action
from garrison.domain.entities import EntityRef
from garrison.domain.entity_labels import (
    DEFAULT_ACTION_TTL,
    EntityLabel,
    LabelOrigin,
    check_label_name,
    expiry,
)
from garrison.domain.errors import InvalidInput, NotFound
from garrison.services import audit
from garrison.services.ports import Clock
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory


class EntityLabelService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    def for_entity(self, subject: EntityRef, *, include_expired: bool = False) -> list[EntityLabel]:
        """The entity's labels by name; only the active ones unless `include_expired`."""
        active_at = None if include_expired else self._clock.now()
        with self._uow() as uow:
            return uow.entity_labels.for_subjects([subject], active_at=active_at)

    def add(
        self,
        subject: EntityRef,
        name: str,
        *,
        actor: str,
        ttl: str | None = None,
        expires_at: datetime | None = None,
        provenance: LabelOrigin = LabelOrigin.MANUAL,
        reference: str = "",
    ) -> EntityLabel:
        """Add (or replace) the label; it expires after `ttl` (like "30d") or at `expires_at`."""
        check_label_name(name)
        now = self._clock.now()
        if ttl is not None and expires_at is not None:
            raise InvalidInput("give ttl or expires_at, not both", field="ttl")
        if expires_at is not None and expires_at <= now:
            raise InvalidInput("expires_at is not in the future", field="expires_at")
        label = EntityLabel(
            subject,
            name,
            provenance,
            actor,
            now,
            expires_at if expires_at is not None else expiry(now, ttl),
            reference,
        )
        with self._uow() as uow:
            put_label(uow, self._clock, label)
            uow.commit()
        return label

    def remove(self, subject: EntityRef, name: str, *, actor: str) -> None:
        with self._uow() as uow:
            if not uow.entity_labels.remove(subject, name):
                raise NotFound(f"{subject} has no label {name!r}", field="name")
            audit.record(
                uow,
                self._clock,
                actor=actor,
                action="entity_label.remove",
                target=str(subject),
                details={"name": name},
            )
            uow.commit()


def put_label(uow: UnitOfWork, clock: Clock, label: EntityLabel) -> None:
    """Store the label and audit it, inside the caller's unit of work."""
    uow.entity_labels.put(label)
    audit.record(
        uow,
        clock,
        actor=label.author,
        action="entity_label.add",
        target=str(label.subject),
        details={
            "name": label.name,
            "provenance": label.provenance.value,
            "expires_at": label.expires_at.isoformat() if label.expires_at else None,
            "reference": label.reference,
        },
    )


def label_from_action(uow: UnitOfWork, clock: Clock, action: Action) -> str | None:
    """Perform an `add_label` action in the caller's unit; the reason it cannot, or None."""
    name = action.params.get("label")
    ttl = action.params.get("ttl", DEFAULT_ACTION_TTL)
    try:
        if not isinstance(name, str):
            raise InvalidInput("add_label needs a 'label' parameter", field="params.label")
        check_label_name(name, field="params.label")
        if ttl is not None and not isinstance(ttl, str):
            raise InvalidInput("ttl must be text like '30d'", field="params.ttl")
        now = clock.now()
        expires_at = expiry(now, ttl, field="params.ttl")
    except InvalidInput as error:
        return error.message
    label = EntityLabel(
        action.subject, name, LabelOrigin.RULE, action.actor, now, expires_at, action.id
    )
    put_label(uow, clock, label)
    return None
