"""Scenario runs: the run that scheduled an outbox row (due when it arrives), for its curve and
for withdrawing what it has not delivered when it is stopped

Revision ID: 0019_scenarios
Revises: 0018_history
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0019_scenarios"
down_revision: str | None = "0018_history"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("interactions", sa.Column("scenario_run", postgresql.UUID(as_uuid=True)))
    op.create_index(
        "ix_interactions_scenario_run",
        "interactions",
        ["scenario_run"],
        postgresql_where=sa.text("scenario_run IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_interactions_scenario_run", table_name="interactions")
    op.drop_column("interactions", "scenario_run")
