"""Backfilled history: how far a demo account's past was filled, so that the live ticks after it
begin where it ended (no gap, no overlap)

Revision ID: 0018_history
Revises: 0017_x_crc
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_history"
down_revision: str | None = "0017_x_crc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("demo_accounts", sa.Column("history_until", sa.DateTime(timezone=True)))


def downgrade() -> None:
    op.drop_column("demo_accounts", "history_until")
