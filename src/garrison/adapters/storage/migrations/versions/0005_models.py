"""Model registry: model versions with their lifecycle, and the scores shadow versions gave.

Revision ID: 0005_models
Revises: 0004_events_by_time
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_models"
down_revision: str | Sequence[str] | None = "0004_events_by_time"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types in tables.py.
KEY = sa.String().with_variant(postgresql.VARCHAR(collation="C"), "postgresql")
STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "model_versions",
        sa.Column("name", KEY, nullable=False),
        sa.Column("version", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("name", "version", name="pk_model_versions"),
    )
    op.create_index("ix_model_versions_status", "model_versions", ["status", "name"])
    op.create_table(
        "model_scores",
        sa.Column("name", KEY, nullable=False),
        sa.Column("version", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("event_id", KEY, nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("occurred_at", STAMP, nullable=False),
        sa.Column("scored_at", STAMP, nullable=False),
        sa.PrimaryKeyConstraint("name", "version", "event_id", name="pk_model_scores"),
    )
    op.create_index("ix_model_scores_recent", "model_scores", ["name", "version", "occurred_at"])


def downgrade() -> None:
    op.drop_index("ix_model_scores_recent", table_name="model_scores")
    op.drop_table("model_scores")
    op.drop_index("ix_model_versions_status", table_name="model_versions")
    op.drop_table("model_versions")
