"""lifecycle events: an outbox row that is not a new item but something that happened to one
(an edit, a removal, an unsend, a reaction, a read: domain.lifecycle)

Revision ID: 0012_lifecycle_events
Revises: 0011_graph_api
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012_lifecycle_events"
down_revision: str | None = "0011_graph_api"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("interactions", sa.Column("event", postgresql.JSONB(), nullable=True))
    op.create_index(
        "ix_interactions_events",
        "interactions",
        ["in_reply_to", "occurred_at"],
        postgresql_where=sa.text("event IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_interactions_events", table_name="interactions")
    op.drop_column("interactions", "event")
