"""Initial schema: events, decisions, the action outbox, cases, labels, access, audit, counters.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types in tables.py (identifiers compare byte-wise on PostgreSQL).
KEY = sa.String().with_variant(postgresql.VARCHAR(collation="C"), "postgresql")
STAMP = sa.DateTime(timezone=True)
OPEN_CASE = sa.text("status != 'resolved'")


def _id() -> sa.Column[str]:
    return sa.Column("id", KEY, nullable=False)


def _text(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(), nullable=nullable)


def _stamp(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, STAMP, nullable=nullable)


def _pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*columns, name=f"pk_{table}")


def upgrade() -> None:
    _detection()
    _review()
    _access()
    _outbox()


def _detection() -> None:
    op.create_table(
        "events",
        _id(),
        _text("type"),
        _stamp("occurred_at"),
        sa.Column("entities", sa.JSON(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        _text("fingerprint"),
        _text("decision_id"),
        _stamp("received_at"),
        _pk("events", "id"),
    )
    op.create_table(
        "event_entities",
        _text("kind"),
        _text("entity_id"),
        sa.Column("event_id", KEY, nullable=False),
        _stamp("occurred_at"),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name="fk_event_entities_event_id_events",
            ondelete="CASCADE",
        ),
        _pk("event_entities", "kind", "entity_id", "event_id"),
    )
    op.create_index(
        "ix_event_entities_timeline",
        "event_entities",
        ["kind", "entity_id", "occurred_at", "event_id"],
    )
    op.create_table(
        "decisions",
        _id(),
        _text("event_id"),
        _text("verdict"),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("hits", sa.JSON(), nullable=False),
        _text("release_version"),
        _text("policy_version"),
        _stamp("decided_at"),
        sa.Column("action_ids", sa.JSON(), nullable=False),
        _pk("decisions", "id"),
    )
    op.create_index("ix_decisions_event_id", "decisions", ["event_id"])
    op.create_table(
        "counters",
        _text("key"),
        sa.Column("bucket", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        _pk("counters", "key", "bucket"),
    )


def _review() -> None:
    op.create_table(
        "cases",
        _id(),
        _text("queue"),
        _text("subject_kind"),
        _text("subject_id"),
        _text("status"),
        sa.Column("priority", sa.Integer(), nullable=False),
        _stamp("created_at"),
        _stamp("updated_at"),
        sa.Column("decision_ids", sa.JSON(), nullable=False),
        _text("assignee", nullable=True),
        sa.Column("resolution", sa.JSON(none_as_null=True), nullable=True),
        _pk("cases", "id"),
    )
    op.create_index("ix_cases_queue_status", "cases", ["queue", "status"])
    op.create_index(
        "uq_cases_open_subject",
        "cases",
        ["subject_kind", "subject_id"],
        unique=True,
        sqlite_where=OPEN_CASE,
        postgresql_where=OPEN_CASE,
    )
    op.create_table(
        "queues",
        sa.Column("name", KEY, nullable=False),
        _text("description"),
        sa.Column("sla_seconds", sa.Integer(), nullable=False),
        _text("required"),
        _pk("queues", "name"),
    )
    op.create_table(
        "labels",
        _id(),
        _text("subject_kind"),
        _text("subject_id"),
        _text("policy", nullable=True),
        _text("value"),
        _text("provenance"),
        _text("author"),
        _stamp("created_at"),
        _text("case_id", nullable=True),
        _stamp("expires_at", nullable=True),
        _pk("labels", "id"),
    )
    op.create_index("ix_labels_subject", "labels", ["subject_kind", "subject_id", "created_at"])


def _access() -> None:
    op.create_table(
        "api_keys",
        _text("key_hash"),
        _text("principal_id"),
        _text("principal_kind"),
        _text("name"),
        _text("role"),
        _stamp("created_at"),
        _stamp("revoked_at", nullable=True),
        _pk("api_keys", "key_hash"),
    )
    op.create_index("ix_api_keys_principal_id", "api_keys", ["principal_id"])
    op.create_table(
        "users",
        _text("principal_id"),
        _text("email"),
        _text("principal_kind"),
        _text("name"),
        _text("role"),
        _text("password_hash"),
        _stamp("created_at"),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        _pk("users", "principal_id"),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )
    op.create_table(
        "audit_records",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        _text("actor"),
        _text("action"),
        _text("target"),
        _stamp("at"),
        sa.Column("details", sa.JSON(), nullable=False),
        _text("prev_hash"),
        _text("hash"),
        _pk("audit_records", "seq"),
    )
    op.create_index("ix_audit_records_target", "audit_records", ["target", "seq"])
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        _text("hash"),
        sa.CheckConstraint("id = 1", name="ck_audit_head_single_row"),
        _pk("audit_head", "id"),
    )


def _outbox() -> None:
    op.create_table(
        "actions",
        _id(),
        _text("kind"),
        _text("subject_kind"),
        _text("subject_id"),
        sa.Column("params", sa.JSON(), nullable=False),
        _text("status"),
        _stamp("created_at"),
        _text("decision_id", nullable=True),
        _text("case_id", nullable=True),
        _text("policy", nullable=True),
        _text("actor"),
        _stamp("executed_at", nullable=True),
        _text("error", nullable=True),
        _pk("actions", "id"),
    )
    op.create_index("ix_actions_case_id", "actions", ["case_id"])
    op.create_index("ix_actions_decision_id", "actions", ["decision_id"])
    op.create_index("ix_actions_status_created", "actions", ["status", "created_at", "id"])
    op.create_table(
        "deliveries",
        _id(),
        _text("action_id"),
        _text("url"),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        _text("status"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _stamp("next_attempt_at"),
        _stamp("created_at"),
        _text("last_error", nullable=True),
        _stamp("delivered_at", nullable=True),
        _pk("deliveries", "id"),
    )
    op.create_index("ix_deliveries_action_id", "deliveries", ["action_id"])
    op.create_index("ix_deliveries_created", "deliveries", ["created_at", "id"])
    op.create_index("ix_deliveries_due", "deliveries", ["status", "next_attempt_at", "id"])


def downgrade() -> None:
    for table in (
        "deliveries",
        "actions",
        "audit_head",
        "audit_records",
        "users",
        "api_keys",
        "labels",
        "queues",
        "cases",
        "counters",
        "decisions",
        "event_entities",
        "events",
    ):
        op.drop_table(table)
