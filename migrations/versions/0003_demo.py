"""demo accounts and content

Revision ID: 0003_demo
Revises: 0002_jobs_outbox
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_demo"
down_revision: str | None = "0002_jobs_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contents",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("platform_id", sa.String(length=255), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("target_comments", sa.Integer(), nullable=False),
        sa.Column("comments_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contents")),
        sa.UniqueConstraint(
            "platform", "platform_id", name=op.f("uq_contents_platform_platform_id")
        ),
    )
    op.create_index(
        op.f("ix_contents_account_id_published_at"),
        "contents",
        ["account_id", "published_at"],
        unique=False,
    )
    op.create_table(
        "demo_accounts",
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("persona", sa.String(length=32), nullable=False),
        sa.Column("dm_frequency", sa.String(length=16), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("content_size", sa.Integer(), nullable=False),
        sa.Column("comment_size", sa.Integer(), nullable=False),
        sa.Column("dm_size", sa.Integer(), nullable=False),
        sa.Column("enabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_demo_accounts")),
    )


def downgrade() -> None:
    op.drop_table("demo_accounts")
    op.drop_index(op.f("ix_contents_account_id_published_at"), table_name="contents")
    op.drop_table("contents")
