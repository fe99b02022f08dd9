"""Policies and review wellness: taxonomy versions, playbooks, notices, reviewer exposure.

Revision ID: 0005_policies
Revises: 0004_events_by_time
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_policies"
down_revision: str | Sequence[str] | None = "0004_events_by_time"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types in tables.py (identifiers compare byte-wise on PostgreSQL).
KEY = sa.String().with_variant(postgresql.VARCHAR(collation="C"), "postgresql")
STAMP = sa.DateTime(timezone=True)


def _key(name: str) -> sa.Column[str]:
    return sa.Column(name, KEY, nullable=False)


def upgrade() -> None:
    op.create_table(
        "policy_taxonomies",
        sa.Column("version", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("version", name="pk_policy_taxonomies"),
    )
    op.create_table(
        "playbooks",
        _key("key"),
        sa.Column("version", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key", "version", name="pk_playbooks"),
    )
    op.create_table(
        "notices",
        _key("id"),
        _key("action_id"),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("issued_at", STAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_notices"),
    )
    op.create_index("ix_notices_action_id", "notices", ["action_id"], unique=True)
    op.create_index("ix_notices_issued", "notices", ["issued_at", "id"])
    op.create_table(
        "reviewer_settings",
        _key("reviewer"),
        sa.Column("opted_out", sa.JSON(), nullable=False),
        sa.Column("reveal_by_default", sa.Boolean(), nullable=False),
        sa.Column("updated_at", STAMP, nullable=True),
        sa.Column("streak_started_at", STAMP, nullable=True),
        sa.Column("streak_items", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("reviewer", name="pk_reviewer_settings"),
    )
    op.create_table(
        "reviewer_exposures",
        _key("reviewer"),
        _key("day"),
        _key("category"),
        sa.Column("seen", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("reviewer", "day", "category", name="pk_reviewer_exposures"),
    )


def downgrade() -> None:
    op.drop_table("reviewer_exposures")
    op.drop_table("reviewer_settings")
    op.drop_index("ix_notices_issued", table_name="notices")
    op.drop_index("ix_notices_action_id", table_name="notices")
    op.drop_table("notices")
    op.drop_table("playbooks")
    op.drop_table("policy_taxonomies")
