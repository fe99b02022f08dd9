"""Entity labels on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from garrison.domain.entity_labels import EntityLabel, LabelOrigin


class EntityLabelIn(BaseModel):
    name: str = Field(description="a-z, 0-9, '_', '.', ':', '-'; how rules name it in has_label().")
    ttl: str | None = Field(
        None, description="How long it lasts, like '30d', '12h' (none: until removed)."
    )
    expires_at: datetime | None = Field(None, description="Or when it expires (not with ttl).")


class EntityLabelOut(BaseModel):
    subject: str
    name: str
    provenance: LabelOrigin
    author: str
    created_at: datetime
    expires_at: datetime | None
    reference: str


class EntityLabelListOut(BaseModel):
    labels: list[EntityLabelOut]


def entity_label_wire(label: EntityLabel) -> dict[str, Any]:
    return {
        "subject": str(label.subject),
        "name": label.name,
        "provenance": label.provenance.value,
        "author": label.author,
        "created_at": label.created_at,
        "expires_at": label.expires_at,
        "reference": label.reference,
    }
