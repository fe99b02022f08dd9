"""Index the event log in replay order (occurred_at, received_at, id), for backtests by time.

Revision ID: 0004_events_by_time
Revises: 0003_merge
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004_events_by_time"
down_revision: str | Sequence[str] | None = "0003_merge"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_events_replay", "events", ["occurred_at", "received_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_events_replay", table_name="events")
