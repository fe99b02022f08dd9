"""Enforcement ledger: action expiry, reversals, idempotency keys and approvals; appeals.

Revision ID: 0005_enforcement
Revises: 0004_events_by_time
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_enforcement"
down_revision: str | Sequence[str] | None = "0004_events_by_time"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types in tables.py (identifiers compare byte-wise on PostgreSQL).
KEY = sa.String().with_variant(postgresql.VARCHAR(collation="C"), "postgresql")
STAMP = sa.DateTime(timezone=True)
ACTION_COLUMNS = (
    "policy_version",
    "reverses",
    "reverted_by",
    "idempotency_key",
    "approval_id",
    "approved_by",
)


def _text(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(), nullable=nullable)


def _stamp(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, STAMP, nullable=nullable)


def upgrade() -> None:
    for name in ACTION_COLUMNS:
        op.add_column("actions", _text(name, nullable=True))
    op.add_column("actions", _stamp("expires_at", nullable=True))
    op.create_index("ix_actions_expiry", "actions", ["status", "expires_at"])
    op.create_index("ix_actions_subject", "actions", ["subject_kind", "subject_id", "created_at"])
    op.create_index("ix_actions_idempotency_key", "actions", ["idempotency_key"], unique=True)
    op.create_table(
        "appeals",
        sa.Column("id", KEY, nullable=False),
        _text("action_id"),
        _text("subject_kind"),
        _text("subject_id"),
        _text("appellant"),
        _text("reason"),
        _stamp("filed_at"),
        _stamp("due_at"),
        sa.Column("origin", sa.JSON(), nullable=False),
        _text("status"),
        _text("decided_by", nullable=True),
        _stamp("decided_at", nullable=True),
        _text("note"),
        sa.Column("reversal_ids", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_appeals"),
    )
    op.create_index("ix_appeals_action_id", "appeals", ["action_id"])
    op.create_index("ix_appeals_status_due", "appeals", ["status", "due_at", "id"])
    op.create_table(
        "approvals",
        sa.Column("id", KEY, nullable=False),
        sa.Column("action_ids", sa.JSON(), nullable=False),
        _text("reason"),
        _text("requested_by"),
        _stamp("created_at"),
        _text("status"),
        _text("decided_by", nullable=True),
        _stamp("decided_at", nullable=True),
        _text("note"),
        sa.PrimaryKeyConstraint("id", name="pk_approvals"),
    )
    op.create_index("ix_approvals_status_created", "approvals", ["status", "created_at", "id"])


def downgrade() -> None:
    op.drop_table("approvals")
    op.drop_table("appeals")
    for index in ("ix_actions_idempotency_key", "ix_actions_subject", "ix_actions_expiry"):
        op.drop_index(index, table_name="actions")
    with op.batch_alter_table("actions") as batch:
        for name in (*ACTION_COLUMNS, "expires_at"):
            batch.drop_column(name)
