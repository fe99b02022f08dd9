"""Measured quality: QA items kept next to cases, calibration sessions and answers, and an index
to scan labels by time.

Revision ID: 0005_quality
Revises: 0004_events_by_time
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_quality"
down_revision: str | Sequence[str] | None = "0004_events_by_time"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types in tables.py (identifiers compare byte-wise on PostgreSQL).
KEY = sa.String().with_variant(postgresql.VARCHAR(collation="C"), "postgresql")
STAMP = sa.DateTime(timezone=True)


def _text(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "qa_items",
        sa.Column("id", KEY, nullable=False),
        _text("kind"),
        sa.Column("key", KEY, nullable=False),
        sa.Column("case_id", KEY, nullable=False),
        _text("queue"),
        _text("subject_kind"),
        _text("subject_id"),
        sa.Column("created_at", STAMP, nullable=False),
        _text("expected", nullable=True),
        _text("expected_policy", nullable=True),
        _text("segment", nullable=True),
        sa.Column("rate", sa.Double(), nullable=True),
        _text("source", nullable=True),
        sa.Column("score", sa.Double(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_qa_items"),
    )
    op.create_index("ix_qa_items_case_id", "qa_items", ["case_id"])
    op.create_index("uq_qa_items_kind_key", "qa_items", ["kind", "key"], unique=True)
    op.create_index("ix_qa_items_created", "qa_items", ["created_at", "id"])
    op.create_table(
        "calibration_sessions",
        sa.Column("id", KEY, nullable=False),
        _text("name"),
        sa.Column("subjects", sa.JSON(), nullable=False),
        sa.Column("participants", sa.JSON(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        _text("created_by"),
        sa.PrimaryKeyConstraint("id", name="pk_calibration_sessions"),
    )
    op.create_table(
        "calibration_answers",
        sa.Column("session_id", KEY, nullable=False),
        sa.Column("subject_kind", KEY, nullable=False),
        sa.Column("subject_id", KEY, nullable=False),
        sa.Column("reviewer", KEY, nullable=False),
        _text("value"),
        _text("policy", nullable=True),
        sa.Column("at", STAMP, nullable=False),
        sa.PrimaryKeyConstraint(
            "session_id", "subject_kind", "subject_id", "reviewer", name="pk_calibration_answers"
        ),
    )
    op.create_index("ix_labels_created", "labels", ["created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_labels_created", table_name="labels")
    op.drop_table("calibration_answers")
    op.drop_table("calibration_sessions")
    op.drop_index("ix_qa_items_created", table_name="qa_items")
    op.drop_index("uq_qa_items_kind_key", table_name="qa_items")
    op.drop_index("ix_qa_items_case_id", table_name="qa_items")
    op.drop_table("qa_items")
