"""SQLAlchemy Core tables on one MetaData: the schema alembic migrates and repositories query."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.schema import SchemaItem

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _interaction_columns() -> list[SchemaItem]:
    """What a webhook item carries: alike on the simulator's side and in the inbox."""
    return [
        Column(
            "id", UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
        ),
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
        Column("occurred_at", DateTime(timezone=True), nullable=False),
        Column("author_is_creator", Boolean, nullable=False, server_default=text("false")),
        Column("in_reply_to", String(255)),
        Column("conversation_id", String(255)),
        Column("topic", String(255)),
        Column("language", String(35)),
        UniqueConstraint("platform", "platform_id"),
        CheckConstraint("kind IN ('comment', 'dm')", name="kind"),
    ]


inbox_interactions = Table(
    "inbox_interactions",
    metadata,
    *_interaction_columns(),
    Column("is_demo", Boolean, nullable=False, server_default=text("false")),
    Column("received_at", DateTime(timezone=True), nullable=False),
    # the inbox page (keyset on (occurred_at, id), scanned backwards for newest first) and
    # the insights window
    Index(None, "account_id", "occurred_at", "id"),
    # what retention expires: demo rows only
    Index(
        "ix_inbox_interactions_demo_occurred_at", "occurred_at", postgresql_where=text("is_demo")
    ),
    # a thread: the replies to a comment; a conversation's messages in time order
    Index(
        "ix_inbox_interactions_replies",
        "account_id",
        "platform",
        "in_reply_to",
        postgresql_where=text("in_reply_to IS NOT NULL"),
    ),
    Index(
        "ix_inbox_interactions_conversation",
        "account_id",
        "conversation_id",
        "occurred_at",
        postgresql_where=text("conversation_id IS NOT NULL"),
    ),
)

webhook_receipts = Table(
    "webhook_receipts",
    metadata,
    Column("webhook_id", String(255), primary_key=True),
    Column("item_count", Integer, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")),
    Column("kind", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("account_id", UUID(as_uuid=True)),
    Column("params", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("phase", String(64)),
    Column("progress_done", Integer, nullable=False, server_default=text("0")),
    Column("progress_total", Integer),
    Column("attempt", Integer, nullable=False, server_default=text("1")),
    Column("error", Text),
    Column("result", JSONB),
    Column("retry_of", UUID(as_uuid=True), ForeignKey("jobs.id", ondelete="SET NULL")),
    Column("schedule_slot", String(255), unique=True),
    Column("parent_id", UUID(as_uuid=True), ForeignKey("jobs.id", ondelete="CASCADE")),
    Column("cancel_requested_at", DateTime(timezone=True)),
    Column("heartbeat_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
    CheckConstraint(
        "status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')", name="status"
    ),
    # the job list, newest first (keyset on (created_at, id))
    Index(None, "created_at", "id"),
    # the sweeper's look at what is not finished
    Index(
        "ix_jobs_unfinished",
        "status",
        "heartbeat_at",
        postgresql_where=text("status IN ('queued', 'running')"),
    ),
    # a fanned-out job's children
    Index(None, "parent_id", postgresql_where=text("parent_id IS NOT NULL")),
)

schedules = Table(
    "schedules",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("cron", String(255), nullable=False),
    Column("job_kind", String(64), nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("last_run_at", DateTime(timezone=True)),
    Column("next_run_at", DateTime(timezone=True)),
    Column("last_job_id", UUID(as_uuid=True), ForeignKey("jobs.id", ondelete="SET NULL")),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# every message sent, and its answer (the deliveries page); cleared with the demo data
delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("webhook_id", String(255), nullable=False),
    Column("attempted_at", DateTime(timezone=True), nullable=False),
    Column("items", Integer, nullable=False),
    Column("ok", Boolean, nullable=False),
    Column("status_code", Integer),
    Column("error", Text),
    Index(None, "attempted_at"),
)

# who is signed in to the dashboard (domain/sessions.py)
dashboard_sessions = Table(
    "dashboard_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

# a host's platform app per family (SPEC.md "Platform emulation"): where its webhooks go,
# the secret that signs them (kept whole: delivery signs with it), the handshake's token,
# TikTok's client key
platform_apps = Table(
    "platform_apps",
    metadata,
    Column("family", String(16), primary_key=True),
    Column("callback_url", Text, nullable=False),
    Column("secret", Text, nullable=False),
    Column("verify_token", Text),
    Column("verified_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("client_key", Text),
    # X's: since when its callback fails the periodic CRC, and how (None: it passes)
    Column("invalid_since", DateTime(timezone=True)),
    Column("invalid_reason", Text),
)

# WebSub subscriptions to a native YouTube channel's feed (SPEC.md "Platform emulation"): the
# subscriber's callback, the secret its notifications are signed with, when its lease ends
websub_subscriptions = Table(
    "websub_subscriptions",
    metadata,
    Column("topic", Text, primary_key=True),
    Column("callback", Text, primary_key=True),
    Column("secret", Text),
    Column("lease_expires_at", DateTime(timezone=True), nullable=False),
    Column("verified_at", DateTime(timezone=True), nullable=False),
)

# private replies sent through the emulated Graph API: one per comment (SPEC.md "Platform
# emulation"); cleared with the comment's account
private_replies = Table(
    "private_replies",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("platform", String(32), nullable=False),
    Column("comment_id", String(255), nullable=False),
    Column("account_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("sent_at", DateTime(timezone=True), nullable=False, index=True),
    UniqueConstraint("platform", "comment_id"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("job_id", UUID(as_uuid=True), ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# the simulator's side: generated interactions, and the outbox they are delivered from
interactions = Table(
    "interactions",
    metadata,
    *_interaction_columns(),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False, server_default=text("'queued'")),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("lease_until", DateTime(timezone=True)),
    Column("claimed_by", UUID(as_uuid=True)),  # the job sending it while `sending`
    Column("last_error", Text),
    Column("sent_at", DateTime(timezone=True)),
    # hidden by the account through the emulated Graph API (`POST /{comment-id}?hide=true`)
    Column("hidden", Boolean, nullable=False, server_default=text("false")),
    # something that happened to the item `in_reply_to` (a comment) or in the conversation (a
    # message), not an item of its own: domain.lifecycle.Lifecycle as JSON
    Column("event", JSONB),
    # the scenario run that scheduled it (issue 26): due when it arrives, withdrawn if stopped
    Column("scenario_run", UUID(as_uuid=True)),
    CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed')", name="status"),
    # a lease is what `sending` means: the leased index below stands for the rows in flight
    CheckConstraint("(status = 'sending') = (lease_until IS NOT NULL)", name="lease_while_sending"),
    # what is due, in claim order: an index scan that stops at the batch size
    Index(
        "ix_interactions_due",
        "next_attempt_at",
        "id",
        postgresql_where=text("status = 'queued'"),
    ),
    # leases to expire. Its predicate is not `status = 'sending'`: the planner would take it
    # for every statement on sending rows (marking a message's rows sent, by id), and a bitmap
    # scan of it reads every entry rows sent since the last vacuum left behind
    Index(
        "ix_interactions_leased", "lease_until", postgresql_where=text("lease_until IS NOT NULL")
    ),
    # the same, for one account's delivery (an initial batch delivers its own rows)
    Index(
        "ix_interactions_due_by_account",
        "account_id",
        "next_attempt_at",
        "id",
        postgresql_where=text("status = 'queued'"),
    ),
    # dead letters and counts by status, per account
    Index(None, "account_id", "status"),
    # a claim holds a DM back while an earlier message of its conversation is unsent
    Index(
        "ix_interactions_conversation_unsent",
        "account_id",
        "conversation_id",
        "occurred_at",
        postgresql_where=text("conversation_id IS NOT NULL AND status IN ('queued', 'sending')"),
    ),
    # what retention expires
    Index(None, "occurred_at"),
    # a scenario run's rows: its curve beside what was delivered, withdrawing what is to come
    Index(None, "scenario_run", postgresql_where=text("scenario_run IS NOT NULL")),
    # the emulated Graph API (SPEC.md "Platform emulation"), in time order: a media's comments,
    # a comment's replies (and the private reply to it), a conversation's messages
    Index(
        "ix_interactions_top_level",
        "content_platform_id",
        "occurred_at",
        "id",
        postgresql_where=text("content_platform_id IS NOT NULL AND in_reply_to IS NULL"),
    ),
    # a channel's threads, all its posts' (YouTube's allThreadsRelatedToChannelId)
    Index(
        "ix_interactions_account_threads",
        "account_id",
        "occurred_at",
        "id",
        postgresql_where=text("content_platform_id IS NOT NULL AND in_reply_to IS NULL"),
    ),
    Index(
        "ix_interactions_replies",
        "in_reply_to",
        "occurred_at",
        "id",
        postgresql_where=text("in_reply_to IS NOT NULL"),
    ),
    Index(
        "ix_interactions_conversation",
        "account_id",
        "conversation_id",
        "occurred_at",
        postgresql_where=text("conversation_id IS NOT NULL"),
    ),
    # a comment's events (its edits, its removal) as the Graph API shows it: only event rows,
    # so that the probe a listed comment makes touches no reply
    Index(
        "ix_interactions_events",
        "in_reply_to",
        "occurred_at",
        postgresql_where=text("event IS NOT NULL"),
    ),
)

# demo mode: one profile per account that ever had it; enabled_at is null while it is off
demo_accounts = Table(
    "demo_accounts",
    metadata,
    Column("account_id", UUID(as_uuid=True), primary_key=True),
    Column("platform", String(32), nullable=False),
    Column("persona", String(32), nullable=False),
    Column("dm_frequency", String(16), nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("locale", String(16), nullable=False),
    Column("content_size", Integer, nullable=False),
    Column("comment_size", Integer, nullable=False),
    Column("dm_size", Integer, nullable=False),
    Column("enabled_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # demosim's webhook format, or the platform's own (native) with the emulated API's token
    Column("delivery", String(16), nullable=False, server_default=text("'demosim'")),
    Column("access_token", Text),
    Column("native_user_id", String(32)),  # its id on its platform: what native webhooks name
    # how far its past was backfilled: the live ticks after begin there (migration 0018)
    Column("history_until", DateTime(timezone=True)),
    CheckConstraint("delivery IN ('demosim', 'native')", name="delivery"),
    Index(None, "native_user_id", postgresql_where=text("native_user_id IS NOT NULL")),
    Index(None, "access_token", unique=True, postgresql_where=text("access_token IS NOT NULL")),
)

contents = Table(
    "contents",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")),
    Column("account_id", UUID(as_uuid=True), nullable=False),
    Column("platform", String(32), nullable=False),
    Column("platform_id", String(255), nullable=False),
    Column("title", Text, nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False),
    Column("target_comments", Integer, nullable=False),
    Column("comments_count", Integer, nullable=False, server_default=text("0")),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("platform", "platform_id"),
    Index(None, "account_id", "published_at"),
    Index(None, "published_at"),  # what retention expires
)
