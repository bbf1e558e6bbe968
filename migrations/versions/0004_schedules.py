"""schedules (seeded), fanned-out jobs, retention indexes

Revision ID: 0004_schedules
Revises: 0003_demo
Create Date: 2026-11-23
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0004_schedules"
down_revision: str | None = "0003_demo"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "schedules",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("cron", sa.String(length=255), nullable=False),
        sa.Column("job_kind", sa.String(length=64), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_job_id", sa.UUID(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["last_job_id"],
            ["jobs.id"],
            name=op.f("fk_schedules_last_job_id_jobs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_schedules")),
    )
    # the product's schedules, in UTC; `demosim scheduler` plans and registers them
    seeded = sa.table(
        "schedules",
        sa.column("name", sa.String),
        sa.column("cron", sa.String),
        sa.column("job_kind", sa.String),
        sa.column("enabled", sa.Boolean),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        seeded,
        [
            {"name": name, "cron": cron, "job_kind": kind, "enabled": True, "updated_at": now}
            for name, cron, kind in (
                ("daily-content", "0 10 * * *", "demo.daily_content"),
                ("ongoing-interactions", "0 */6 * * *", "demo.ongoing_interactions"),
                ("cleanup", "0 3 * * 1", "demo.cleanup"),
                ("delivery-sweep", "* * * * *", "delivery.sweep"),
            )
        ],
    )
    op.create_index(op.f("ix_contents_published_at"), "contents", ["published_at"], unique=False)
    op.create_index(
        "ix_inbox_interactions_demo_occurred_at",
        "inbox_interactions",
        ["occurred_at"],
        unique=False,
        postgresql_where=sa.text("is_demo"),
    )
    op.create_index(
        op.f("ix_interactions_occurred_at"), "interactions", ["occurred_at"], unique=False
    )
    op.add_column("jobs", sa.Column("parent_id", sa.UUID(), nullable=True))
    op.create_index(
        op.f("ix_jobs_parent_id"),
        "jobs",
        ["parent_id"],
        unique=False,
        postgresql_where=sa.text("parent_id IS NOT NULL"),
    )
    op.create_foreign_key(
        op.f("fk_jobs_parent_id_jobs"), "jobs", "jobs", ["parent_id"], ["id"], ondelete="CASCADE"
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_jobs_parent_id_jobs"), "jobs", type_="foreignkey")
    op.drop_index(
        op.f("ix_jobs_parent_id"),
        table_name="jobs",
        postgresql_where=sa.text("parent_id IS NOT NULL"),
    )
    op.drop_column("jobs", "parent_id")
    op.drop_index(op.f("ix_interactions_occurred_at"), table_name="interactions")
    op.drop_index(
        "ix_inbox_interactions_demo_occurred_at",
        table_name="inbox_interactions",
        postgresql_where=sa.text("is_demo"),
    )
    op.drop_index(op.f("ix_contents_published_at"), table_name="contents")
    op.drop_table("schedules")
