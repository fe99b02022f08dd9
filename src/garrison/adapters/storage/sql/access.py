"""Principals (people and API keys) and the hash-chained audit log."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select, text, union_all

from garrison.adapters.storage.sql import records
from garrison.adapters.storage.sql.tables import api_keys, audit_head, audit_records, users
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.access import Role
from garrison.domain.audit import AuditRecord
from garrison.domain.ids import PrincipalId
from garrison.services.unit_of_work import ApiKeyRecord, DuplicateKey, UserRecord

AUDIT_LOCK_KEY = 0x6A5_A0D17
"""The PostgreSQL advisory lock that serialises audit appends (any constant unique to Garrison)."""


_KEY_BY_HASH = select(api_keys).where(api_keys.c.key_hash == bindparam("key_hash"))
"""Built once: every API request looks its key up."""
_LAST = select(audit_records).order_by(audit_records.c.seq.desc()).limit(1)
_NEWEST = select(func.max(audit_records.c.seq))
_HEAD = select(audit_head.c.seq, audit_head.c.hash)
"""Built once: every write appends to the audit chain."""


class SqlPrincipals:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add_api_key(self, record: ApiKeyRecord) -> None:
        self._tx.insert_new(api_keys, [records.api_key_row(record)], what="api key")

    def api_key_by_hash(self, key_hash: str) -> ApiKeyRecord | None:
        row = self._tx.row(_KEY_BY_HASH, {"key_hash": key_hash})
        return records.api_key_of(row) if row is not None else None

    def add_user(self, record: UserRecord) -> None:
        self._tx.insert_new(users, [records.user_row(record)], what=f"user {record.email}")

    def user_by_email(self, email: str) -> UserRecord | None:
        row = self._tx.row(select(users).where(users.c.email == email))
        return records.user_of(row) if row is not None else None

    def user_by_id(self, principal_id: PrincipalId) -> UserRecord | None:
        row = self._tx.row(select(users).where(users.c.principal_id == principal_id))
        return records.user_of(row) if row is not None else None

    def count_by_role(self, role: Role) -> int:
        people = select(func.count()).select_from(users).where(users.c.role == role.value)
        machines = select(func.count()).select_from(api_keys).where(api_keys.c.role == role.value)
        counts = self._tx.conn.execute(union_all(people, machines)).scalars()
        return sum(int(count) for count in counts)


class SqlAuditLog:
    """Appends are serialised: SQLite by `BEGIN IMMEDIATE`, PostgreSQL by an advisory lock."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def last(self) -> AuditRecord | None:
        self._lock()
        row = self._tx.row(_LAST)
        return records.audit_of(row) if row is not None else None

    def append(self, record: AuditRecord) -> None:
        self._lock()
        newest = self._tx.scalar(_NEWEST)
        if newest is not None and newest >= record.seq:
            raise DuplicateKey(f"audit record {record.seq}")
        self._tx.insert_new(
            audit_records, [records.audit_row(record)], what=f"audit record {record.seq}"
        )
        self._tx.upsert(audit_head, {"id": 1, "seq": record.seq, "hash": record.hash})

    def head(self) -> tuple[int, str] | None:
        row = self._tx.row(_HEAD)
        return (int(row["seq"]), row["hash"]) if row is not None else None

    def scan(self, after_seq: int, limit: int) -> list[AuditRecord]:
        stmt = (
            select(audit_records)
            .where(audit_records.c.seq > after_seq)
            .order_by(audit_records.c.seq)
            .limit(limit)
        )
        return [records.audit_of(row) for row in self._tx.rows(stmt)]

    def recent(self, *, limit: int, target: str | None = None) -> list[AuditRecord]:
        stmt = select(audit_records)
        if target is not None:
            stmt = stmt.where(audit_records.c.target == target)
        stmt = stmt.order_by(audit_records.c.seq.desc()).limit(limit)
        return [records.audit_of(row) for row in self._tx.rows(stmt)]

    def _lock(self) -> None:
        if self._tx.dialect != "postgresql" or self._tx.audit_locked:
            return
        self._tx.conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})
        self._tx.audit_locked = True
