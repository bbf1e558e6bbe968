"""the emulated Graph API: a media's comments, a comment's replies and a conversation's
messages in time order; an account by its access token; private replies, one per comment;
comments the account hid

Revision ID: 0011_graph_api
Revises: 0010_native_delivery
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_graph_api"
down_revision: str | None = "0010_native_delivery"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "interactions",
        sa.Column("hidden", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.create_table(
        "private_replies",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("comment_id", sa.String(255), nullable=False),
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_private_replies")),
        sa.UniqueConstraint(
            "platform", "comment_id", name=op.f("uq_private_replies_platform_comment_id")
        ),
    )
    op.create_index(op.f("ix_private_replies_account_id"), "private_replies", ["account_id"])
    op.create_index(op.f("ix_private_replies_sent_at"), "private_replies", ["sent_at"])
    op.create_index(
        "ix_interactions_top_level",
        "interactions",
        ["content_platform_id", "occurred_at", "id"],
        postgresql_where=sa.text("content_platform_id IS NOT NULL AND in_reply_to IS NULL"),
    )
    op.create_index(
        "ix_interactions_replies",
        "interactions",
        ["in_reply_to", "occurred_at", "id"],
        postgresql_where=sa.text("in_reply_to IS NOT NULL"),
    )
    op.create_index(
        "ix_interactions_conversation",
        "interactions",
        ["account_id", "conversation_id", "occurred_at"],
        postgresql_where=sa.text("conversation_id IS NOT NULL"),
    )
    op.create_index(
        op.f("ix_demo_accounts_access_token"),
        "demo_accounts",
        ["access_token"],
        unique=True,
        postgresql_where=sa.text("access_token IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_demo_accounts_access_token"), table_name="demo_accounts")
    op.drop_index("ix_interactions_conversation", table_name="interactions")
    op.drop_index("ix_interactions_replies", table_name="interactions")
    op.drop_index("ix_interactions_top_level", table_name="interactions")
    op.drop_index(op.f("ix_private_replies_sent_at"), table_name="private_replies")
    op.drop_index(op.f("ix_private_replies_account_id"), table_name="private_replies")
    op.drop_table("private_replies")
    op.drop_column("interactions", "hidden")
