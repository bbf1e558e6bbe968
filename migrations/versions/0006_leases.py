"""the leased index by its lease, not by status; a lease exactly while sending

Marking a message's rows sent (`WHERE id IN (…) AND status = 'sending' AND claimed_by = …`)
was planned as a bitmap scan of the partial index `WHERE status = 'sending'` instead of the
primary key: statistics stale after a bulk insert made that index look tiny, and a bitmap scan
reads every entry that rows sent since the last vacuum left in it (46 µs per row at 5,000
accounts, 79 at 10,000). `lease_until IS NOT NULL` names the same rows and matches no such
statement; expire_leases' `lease_until < now` still walks it.

Revision ID: 0006_leases
Revises: 0005_threads
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_leases"
down_revision: str | None = "0005_threads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_interactions_leased", table_name="interactions")
    op.create_index(
        "ix_interactions_leased",
        "interactions",
        ["lease_until"],
        postgresql_where=sa.text("lease_until IS NOT NULL"),
    )
    op.create_check_constraint(
        op.f("ck_interactions_lease_while_sending"),
        "interactions",
        "(status = 'sending') = (lease_until IS NOT NULL)",
    )


def downgrade() -> None:
    op.drop_constraint("ck_interactions_lease_while_sending", "interactions", type_="check")
    op.drop_index("ix_interactions_leased", table_name="interactions")
    op.create_index(
        "ix_interactions_leased",
        "interactions",
        ["lease_until"],
        postgresql_where=sa.text("status = 'sending'"),
    )
