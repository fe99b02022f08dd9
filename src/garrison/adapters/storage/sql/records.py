"""Rows <-> domain types for labels, principals, audit records and deliveries."""

from __future__ import annotations

from sqlalchemy import RowMapping

from garrison.adapters.storage.sql.codecs import Row, ref_columns, ref_of
from garrison.domain.access import Principal, PrincipalKind, Role
from garrison.domain.audit import AuditRecord
from garrison.domain.ids import ActionId, CaseId, DeliveryId, LabelId, PrincipalId
from garrison.domain.labels import Label, LabelValue, Provenance
from garrison.domain.webhooks import Delivery, DeliveryStatus
from garrison.services.unit_of_work import ApiKeyRecord, UserRecord


def label_row(label: Label) -> Row:
    return {
        "id": label.id,
        **ref_columns(label.subject),
        "policy": label.policy,
        "value": label.value.value,
        "provenance": label.provenance.value,
        "author": label.author,
        "created_at": label.created_at,
        "case_id": label.case_id,
        "expires_at": label.expires_at,
    }


def label_of(row: RowMapping) -> Label:
    case_id = row["case_id"]
    return Label(
        id=LabelId(row["id"]),
        subject=ref_of(row),
        policy=row["policy"],
        value=LabelValue(row["value"]),
        provenance=Provenance(row["provenance"]),
        author=row["author"],
        created_at=row["created_at"],
        case_id=CaseId(case_id) if case_id is not None else None,
        expires_at=row["expires_at"],
    )


def _principal_columns(principal: Principal) -> Row:
    return {
        "principal_id": principal.id,
        "principal_kind": principal.kind.value,
        "name": principal.name,
        "role": principal.role.value,
    }


def _principal_of(row: RowMapping) -> Principal:
    return Principal(
        PrincipalId(row["principal_id"]),
        PrincipalKind(row["principal_kind"]),
        row["name"],
        Role(row["role"]),
    )


def api_key_row(record: ApiKeyRecord) -> Row:
    return {
        **_principal_columns(record.principal),
        "key_hash": record.key_hash,
        "created_at": record.created_at,
        "revoked_at": record.revoked_at,
    }


def api_key_of(row: RowMapping) -> ApiKeyRecord:
    return ApiKeyRecord(_principal_of(row), row["key_hash"], row["created_at"], row["revoked_at"])


def user_row(record: UserRecord) -> Row:
    return {
        **_principal_columns(record.principal),
        "email": record.email,
        "password_hash": record.password_hash,
        "created_at": record.created_at,
        "disabled": record.disabled,
    }


def user_of(row: RowMapping) -> UserRecord:
    return UserRecord(
        _principal_of(row),
        row["email"],
        row["password_hash"],
        row["created_at"],
        bool(row["disabled"]),
    )


def audit_row(record: AuditRecord) -> Row:
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


def audit_of(row: RowMapping) -> AuditRecord:
    return AuditRecord(
        seq=int(row["seq"]),
        actor=row["actor"],
        action=row["action"],
        target=row["target"],
        at=row["at"],
        details=row["details"],
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )


def delivery_row(delivery: Delivery) -> Row:
    return {
        "id": delivery.id,
        "action_id": delivery.action_id,
        "url": delivery.url,
        "body": delivery.body,
        "status": delivery.status.value,
        "attempts": delivery.attempts,
        "next_attempt_at": delivery.next_attempt_at,
        "created_at": delivery.created_at,
        "last_error": delivery.last_error,
        "delivered_at": delivery.delivered_at,
    }


def delivery_of(row: RowMapping) -> Delivery:
    return Delivery(
        id=DeliveryId(row["id"]),
        action_id=ActionId(row["action_id"]),
        url=row["url"],
        body=bytes(row["body"]),
        status=DeliveryStatus(row["status"]),
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        created_at=row["created_at"],
        last_error=row["last_error"],
        delivered_at=row["delivered_at"],
    )
