"""native delivery: an account's items in its platform's own webhooks, and its API token

Revision ID: 0010_native_delivery
Revises: 0009_platform_apps
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_native_delivery"
down_revision: str | None = "0009_platform_apps"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "demo_accounts",
        sa.Column("delivery", sa.String(16), server_default=sa.text("'demosim'"), nullable=False),
    )
    op.add_column("demo_accounts", sa.Column("access_token", sa.Text(), nullable=True))
    op.add_column("demo_accounts", sa.Column("native_user_id", sa.String(32), nullable=True))
    op.create_index(
        op.f("ix_demo_accounts_native_user_id"),
        "demo_accounts",
        ["native_user_id"],
        postgresql_where=sa.text("native_user_id IS NOT NULL"),
    )
    op.create_check_constraint(
        op.f("ck_demo_accounts_delivery"), "demo_accounts", "delivery IN ('demosim', 'native')"
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_demo_accounts_delivery"), "demo_accounts", type_="check")
    op.drop_index(op.f("ix_demo_accounts_native_user_id"), table_name="demo_accounts")
    op.drop_column("demo_accounts", "native_user_id")
    op.drop_column("demo_accounts", "access_token")
    op.drop_column("demo_accounts", "delivery")
