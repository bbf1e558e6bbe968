"""WebSub subscriptions to a native YouTube channel's feed of new videos: the callback, its
secret (kept whole: each notification is signed with it) and when its lease ends

Revision ID: 0016_websub
Revises: 0015_youtube_poll
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_websub"
down_revision: str | None = "0015_youtube_poll"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "websub_subscriptions",
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("callback", sa.Text(), nullable=False),
        sa.Column("secret", sa.Text(), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("topic", "callback"),
    )


def downgrade() -> None:
    op.drop_table("websub_subscriptions")
