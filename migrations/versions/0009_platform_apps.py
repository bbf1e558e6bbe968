"""platform apps: a host's app per platform family, verified by the family's handshake

Revision ID: 0009_platform_apps
Revises: 0008_delivery_attempts
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_platform_apps"
down_revision: str | None = "0008_delivery_attempts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "platform_apps",
        sa.Column("family", sa.String(16), nullable=False),
        sa.Column("callback_url", sa.Text(), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("verify_token", sa.Text(), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("family", name=op.f("pk_platform_apps")),
    )


def downgrade() -> None:
    op.drop_table("platform_apps")
