"""Signals: SUM and DISTINCT velocity buckets, value lists and entity labels.

Revision ID: 0002_signals
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_signals"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types in tables.py (identifiers compare byte-wise on PostgreSQL).
KEY = sa.String().with_variant(postgresql.VARCHAR(collation="C"), "postgresql")
STAMP = sa.DateTime(timezone=True)


def _text(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(), nullable=nullable)


def _key(name: str) -> sa.Column[str]:
    return sa.Column(name, KEY, nullable=False)


def _bucket() -> sa.Column[int]:
    return sa.Column("bucket", sa.BigInteger(), autoincrement=False, nullable=False)


def _pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*columns, name=f"pk_{table}")


def upgrade() -> None:
    op.create_table(
        "counter_sums",
        _text("key"),
        _bucket(),
        sa.Column("total", sa.Double(), nullable=False),
        _pk("counter_sums", "key", "bucket"),
    )
    op.create_table(
        "counter_values",
        _text("key"),
        _bucket(),
        _text("value"),
        _pk("counter_values", "key", "bucket", "value"),
    )
    op.create_table(
        "value_lists",
        _key("name"),
        _text("kind"),
        _text("description"),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        _pk("value_lists", "name"),
    )
    op.create_table(
        "value_list_entries",
        _key("list_name"),
        _key("value"),
        sa.ForeignKeyConstraint(
            ["list_name"],
            ["value_lists.name"],
            name="fk_value_list_entries_list_name_value_lists",
            ondelete="CASCADE",
        ),
        _pk("value_list_entries", "list_name", "value"),
    )
    op.create_table(
        "sequences",
        _key("name"),
        sa.Column("value", sa.BigInteger(), nullable=False),
        _pk("sequences", "name"),
    )
    op.create_table(
        "entity_labels",
        _key("subject_kind"),
        _key("subject_id"),
        _key("name"),
        _text("provenance"),
        _text("author"),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=True),
        _text("reference"),
        _pk("entity_labels", "subject_kind", "subject_id", "name"),
    )


def downgrade() -> None:
    for table in (
        "entity_labels",
        "sequences",
        "value_list_entries",
        "value_lists",
        "counter_values",
        "counter_sums",
    ):
        op.drop_table(table)
