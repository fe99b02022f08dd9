"""Trend alerts and incidents.

Revision ID: 0005_trends
Revises: 0004_events_by_time
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_trends"
down_revision: str | Sequence[str] | None = "0004_events_by_time"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types in tables.py.
KEY = sa.String().with_variant(postgresql.VARCHAR(collation="C"), "postgresql")
STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "trend_alerts",
        sa.Column("id", KEY, nullable=False),
        sa.Column("segment", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("detected_at", STAMP, nullable=False),
        sa.Column("last_seen_at", STAMP, nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_trend_alerts"),
    )
    op.create_index("ix_trend_alerts_segment", "trend_alerts", ["segment", "last_seen_at"])
    op.create_index("ix_trend_alerts_detected", "trend_alerts", ["detected_at", "id"])
    op.create_table(
        "incidents",
        sa.Column("id", KEY, nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("declared_at", STAMP, nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
    )
    op.create_index("ix_incidents_declared", "incidents", ["declared_at", "id"])


def downgrade() -> None:
    op.drop_table("incidents")
    op.drop_table("trend_alerts")
