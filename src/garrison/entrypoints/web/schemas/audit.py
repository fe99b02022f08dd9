"""Audit records on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from garrison.domain.audit import AuditRecord


class AuditRecordOut(BaseModel):
    seq: int
    actor: str
    action: str
    target: str
    at: datetime
    details: dict[str, Any]
    prev_hash: str
    hash: str


class AuditListOut(BaseModel):
    records: list[AuditRecordOut]


def audit_wire(record: AuditRecord) -> dict[str, Any]:
    return {
        "seq": record.seq,
        "actor": record.actor,
        "action": record.action,
        "target": record.target,
        "at": record.at,
        "details": dict(record.details),
        "prev_hash": record.prev_hash,
        "hash": record.hash,
    }
