"""Join the signals, lifecycle and links branches into one history.

Revision ID: 0003_merge
Revises: 0002_signals, 0002_lifecycle, 0002_links
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0003_merge"
down_revision: str | Sequence[str] | None = ("0002_signals", "0002_lifecycle", "0002_links")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: the branches touch separate tables."""


def downgrade() -> None:
    """Nothing to undo."""
