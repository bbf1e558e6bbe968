"""wire contract v2: replies, conversations, creator, topic and language on both sides

Revision ID: 0005_threads
Revises: 0004_schedules
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_threads"
down_revision: str | None = "0004_schedules"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("inbox_interactions", "interactions")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(
            table,
            sa.Column(
                "author_is_creator", sa.Boolean(), server_default=sa.text("false"), nullable=False
            ),
        )
        op.add_column(table, sa.Column("in_reply_to", sa.String(length=255), nullable=True))
        op.add_column(table, sa.Column("conversation_id", sa.String(length=255), nullable=True))
        op.add_column(table, sa.Column("topic", sa.String(length=255), nullable=True))
        op.add_column(table, sa.Column("language", sa.String(length=35), nullable=True))
    op.create_index(
        "ix_inbox_interactions_replies",
        "inbox_interactions",
        ["account_id", "platform", "in_reply_to"],
        postgresql_where=sa.text("in_reply_to IS NOT NULL"),
    )
    op.create_index(
        "ix_interactions_conversation_unsent",
        "interactions",
        ["account_id", "conversation_id", "occurred_at"],
        postgresql_where=sa.text("conversation_id IS NOT NULL AND status IN ('queued', 'sending')"),
    )
    op.create_index(
        "ix_inbox_interactions_conversation",
        "inbox_interactions",
        ["account_id", "conversation_id", "occurred_at"],
        postgresql_where=sa.text("conversation_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_inbox_interactions_conversation", table_name="inbox_interactions")
    op.drop_index("ix_inbox_interactions_replies", table_name="inbox_interactions")
    op.drop_index("ix_interactions_conversation_unsent", table_name="interactions")
    for table in TABLES:
        for column in ("language", "topic", "conversation_id", "in_reply_to", "author_is_creator"):
            op.drop_column(table, column)
