"""X's Challenge-Response Check every 30 minutes: an app that fails it is marked invalid
(when, and why) and X sends it nothing until a CRC passes

Revision ID: 0017_x_crc
Revises: 0016_websub
Create Date: 2026-12-04
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0017_x_crc"
down_revision: str | None = "0016_websub"
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
    op.add_column("platform_apps", sa.Column("invalid_since", sa.DateTime(timezone=True)))
    op.add_column("platform_apps", sa.Column("invalid_reason", sa.Text))
    op.bulk_insert(
        schedules,
        [
            {
                "name": "x-crc",
                "cron": "*/30 * * * *",
                "job_kind": "apps.x_crc",
                "enabled": True,
                "updated_at": datetime.now(UTC),
            }
        ],
    )


def downgrade() -> None:
    op.execute(schedules.delete().where(schedules.c.name == "x-crc"))
    op.drop_column("platform_apps", "invalid_reason")
    op.drop_column("platform_apps", "invalid_since")
