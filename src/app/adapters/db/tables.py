"""SQLAlchemy Core tables on one MetaData: the schema alembic migrates and repositories query."""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import UUID

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

inbox_interactions = Table(
    "inbox_interactions",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")),
    Column("account_id", UUID(as_uuid=True), nullable=False),
    Column("platform", String(32), nullable=False),
    Column("platform_id", String(255), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("author_handle", String(255), nullable=False),
    Column("author_display_name", String(255), nullable=False),
    Column("text", Text, nullable=False),
    Column("content_platform_id", String(255)),
    Column("content_title", Text),
    Column("intent", String(32)),
    Column("sentiment", String(16)),
    Column("is_demo", Boolean, nullable=False, server_default=text("false")),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("platform", "platform_id"),
    CheckConstraint("kind IN ('comment', 'dm')", name="kind"),
    # the inbox page (keyset on (occurred_at, id), scanned backwards for newest first) and
    # the insights window
    Index(None, "account_id", "occurred_at", "id"),
)

webhook_receipts = Table(
    "webhook_receipts",
    metadata,
    Column("webhook_id", String(255), primary_key=True),
    Column("item_count", Integer, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)
