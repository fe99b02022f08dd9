"""Investigations: saved searches and retroactive actions.

Revision ID: 0005_investigations
Revises: 0004_events_by_time
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_investigations"
down_revision: str | Sequence[str] | None = "0004_events_by_time"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types in tables.py.
KEY = sa.String().with_variant(postgresql.VARCHAR(collation="C"), "postgresql")
STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "saved_queries",
        sa.Column("id", KEY, nullable=False),
        sa.Column("owner", sa.String(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_saved_queries"),
    )
    op.create_index("ix_saved_queries_owner", "saved_queries", ["owner", "created_at"])
    op.create_table(
        "retro_actions",
        sa.Column("id", KEY, nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_retro_actions"),
    )
    op.create_index("ix_retro_actions_created", "retro_actions", ["created_at", "id"])


def downgrade() -> None:
    op.drop_table("retro_actions")
    op.drop_table("saved_queries")
