"""Value lists on the wire. The domain checks entries and names a bad one `entries[i]`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from garrison.domain.lists import (
    MAX_DESCRIPTION_LENGTH,
    MAX_ENTRIES,
    ListKind,
    ListSummary,
    ValueList,
)


class ListCreateIn(BaseModel):
    name: str = Field(description="a-z, 0-9, '_', '.', '-'; how rules name it in in_list().")
    kind: ListKind
    entries: list[str] = Field(default_factory=list, max_length=MAX_ENTRIES)
    description: str = Field("", max_length=MAX_DESCRIPTION_LENGTH)


class ListReplaceIn(BaseModel):
    entries: list[str] = Field(max_length=MAX_ENTRIES)
    description: str | None = Field(None, max_length=MAX_DESCRIPTION_LENGTH)
    version: int | None = Field(
        None, description="Refuse (409) unless the list is still at this version."
    )


class EntriesIn(BaseModel):
    entries: list[str] = Field(min_length=1, max_length=MAX_ENTRIES)


class ListSummaryOut(BaseModel):
    name: str
    kind: ListKind
    description: str
    version: int
    updated_at: datetime
    size: int


class ListOut(ListSummaryOut):
    entries: list[str]


class ListListOut(BaseModel):
    lists: list[ListSummaryOut]


def summary_wire(summary: ListSummary) -> dict[str, Any]:
    return {
        "name": summary.name,
        "kind": summary.kind.value,
        "description": summary.description,
        "version": summary.version,
        "updated_at": summary.updated_at,
        "size": summary.size,
    }


def list_wire(value_list: ValueList) -> dict[str, Any]:
    return {**summary_wire(value_list.summary()), "entries": list(value_list.entries)}
