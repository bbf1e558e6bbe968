"""the reference host's poll of native YouTube channels, every minute (YouTube pushes no
comments: its hosts poll the Data API)

Revision ID: 0015_youtube_poll
Revises: 0014_tiktok_client_key
Create Date: 2026-12-04
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0015_youtube_poll"
down_revision: str | None = "0014_tiktok_client_key"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

schedules = sa.table(
    "schedules",
    sa.column("name", sa.String),
    sa.column("cron", sa.String),
    sa.column("job_kind", sa.String),
    sa.column("enabled", sa.Boolean),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    op.bulk_insert(
        schedules,
        [
            {
                "name": "youtube-poll",
                "cron": "* * * * *",
                "job_kind": "reference.youtube_poll",
                "enabled": True,
                "updated_at": datetime.now(UTC),
            }
        ],
    )


def downgrade() -> None:
    op.execute(schedules.delete().where(schedules.c.name == "youtube-poll"))
