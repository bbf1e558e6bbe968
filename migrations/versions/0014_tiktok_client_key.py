"""a TikTok app's client key: its webhooks name it (`client_key`), and its host checks it

Revision ID: 0014_tiktok_client_key
Revises: 0013_channel_threads
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_tiktok_client_key"
down_revision: str | None = "0013_channel_threads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("platform_apps", sa.Column("client_key", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("platform_apps", "client_key")
