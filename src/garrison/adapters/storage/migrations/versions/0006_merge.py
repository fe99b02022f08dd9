"""Join the review, enforcement, policy, quality, model, investigation and trend branches.

Revision ID: 0006_merge
Revises: 0005_reviewcore, 0005_enforcement, 0005_policies, 0005_quality, 0005_models,
    0005_investigations, 0005_trends
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0006_merge"
down_revision: str | Sequence[str] | None = (
    "0005_reviewcore",
    "0005_enforcement",
    "0005_policies",
    "0005_quality",
    "0005_models",
    "0005_investigations",
    "0005_trends",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: the branches touch separate tables."""


def downgrade() -> None:
    """Nothing to undo."""
