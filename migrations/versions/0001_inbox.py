"""inbox and webhook receipts

Revision ID: 0001_inbox
Revises: (none)
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_inbox"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbox_interactions",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("platform_id", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("author_handle", sa.String(length=255), nullable=False),
        sa.Column("author_display_name", sa.String(length=255), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_platform_id", sa.String(length=255), nullable=True),
        sa.Column("content_title", sa.Text(), nullable=True),
        sa.Column("intent", sa.String(length=32), nullable=True),
        sa.Column("sentiment", sa.String(length=16), nullable=True),
        sa.Column("is_demo", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('comment', 'dm')", name=op.f("ck_inbox_interactions_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_interactions")),
        sa.UniqueConstraint(
            "platform", "platform_id", name=op.f("uq_inbox_interactions_platform_platform_id")
        ),
    )
    op.create_index(
        op.f("ix_inbox_interactions_account_id_occurred_at_id"),
        "inbox_interactions",
        ["account_id", "occurred_at", "id"],
        unique=False,
    )
    op.create_table(
        "webhook_receipts",
        sa.Column("webhook_id", sa.String(length=255), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("webhook_id", name=op.f("pk_webhook_receipts")),
    )


def downgrade() -> None:
    op.drop_table("webhook_receipts")
    op.drop_index(
        op.f("ix_inbox_interactions_account_id_occurred_at_id"), table_name="inbox_interactions"
    )
    op.drop_table("inbox_interactions")
