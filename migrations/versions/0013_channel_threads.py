"""a channel's threads: the top-level comments of all an account's posts in time order, as
YouTube's commentThreads.list?allThreadsRelatedToChannelId pages them

Revision ID: 0013_channel_threads
Revises: 0012_lifecycle_events
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_channel_threads"
down_revision: str | None = "0012_lifecycle_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_interactions_account_threads",
        "interactions",
        ["account_id", "occurred_at", "id"],
        postgresql_where=sa.text("content_platform_id IS NOT NULL AND in_reply_to IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_interactions_account_threads", table_name="interactions")
