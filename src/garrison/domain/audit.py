"""The audit log: append-only records, each hashed together with the one before it.

Altering or removing any record breaks the chain from that record on, and `first_broken`
names the first record that no longer fits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from garrison.domain.events import JsonValue

GENESIS_HASH = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditRecord:
    seq: int
    actor: str
    action: str
    target: str
    at: datetime
    details: Mapping[str, JsonValue]
    prev_hash: str
    hash: str


def chain(
    prev: AuditRecord | None,
    *,
    actor: str,
    action: str,
    target: str,
    at: datetime,
    details: Mapping[str, JsonValue],
) -> AuditRecord:
    """The record that follows `prev` (or starts the chain)."""
    seq = prev.seq + 1 if prev else 1
    prev_hash = prev.hash if prev else GENESIS_HASH
    digest = record_hash(seq, actor, action, target, at, details, prev_hash)
    return AuditRecord(seq, actor, action, target, at, dict(details), prev_hash, digest)


def record_hash(
    seq: int,
    actor: str,
    action: str,
    target: str,
    at: datetime,
    details: Mapping[str, JsonValue],
    prev_hash: str,
) -> str:
    body = json.dumps(
        [seq, actor, action, target, at.isoformat(), details, prev_hash],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainBreak:
    seq: int
    reason: str


def first_broken(
    records: Iterable[AuditRecord], head: tuple[int, str] | None = None
) -> ChainBreak | None:
    """Walk the chain in order; return the first record that is altered, missing or out of place.

    `head` is the (seq, hash) the log recorded for its last append: it catches a removed tail.
    """
    expected_seq, expected_prev = 1, GENESIS_HASH
    for record in records:
        if record.seq != expected_seq:
            return ChainBreak(expected_seq, f"record {expected_seq} is missing")
        if record.prev_hash != expected_prev:
            return ChainBreak(record.seq, "previous-hash link does not match")
        digest = record_hash(
            record.seq,
            record.actor,
            record.action,
            record.target,
            record.at,
            record.details,
            record.prev_hash,
        )
        if digest != record.hash:
            return ChainBreak(record.seq, "contents do not match the stored hash")
        expected_seq, expected_prev = record.seq + 1, record.hash
    if head is not None and head != (expected_seq - 1, expected_prev):
        return ChainBreak(expected_seq, f"the log ends before its recorded head (record {head[0]})")
    return None
