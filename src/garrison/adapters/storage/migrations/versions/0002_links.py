"""Investigations: identity links between accounts and identifiers, and the rings found in them.

Revision ID: 0002_links
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_links"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types in tables.py (identifiers compare byte-wise on PostgreSQL).
KEY = sa.String().with_variant(postgresql.VARCHAR(collation="C"), "postgresql")
STAMP = sa.DateTime(timezone=True)


def _key(name: str) -> sa.Column[str]:
    return sa.Column(name, KEY, nullable=False)


def upgrade() -> None:
    op.create_table(
        "links",
        _key("account_id"),
        _key("identifier_kind"),
        _key("identifier_id"),
        sa.Column("first_seen", STAMP, nullable=False),
        sa.Column("last_seen", STAMP, nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "identifier_kind", "identifier_id", name="pk_links"),
    )
    op.create_index(
        "ix_links_identifier", "links", ["identifier_kind", "identifier_id", "account_id"]
    )
    op.create_table(
        "rings",
        _key("id"),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("risk", sa.Double(), nullable=False),
        sa.Column("detected_at", STAMP, nullable=False),
        sa.Column("flagged_at", STAMP, nullable=True),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rings"),
    )
    op.create_index("ix_rings_rank", "rings", ["risk", "size", "id"])
    op.create_table(
        "ring_members",
        _key("account_id"),
        _key("ring_id"),
        sa.PrimaryKeyConstraint("account_id", name="pk_ring_members"),
    )
    op.create_index("ix_ring_members_ring_id", "ring_members", ["ring_id"])


def downgrade() -> None:
    for table in ("ring_members", "rings", "links"):
        op.drop_table(table)
