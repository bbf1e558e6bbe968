"""Repositories over SQLAlchemy Core: statements in, frozen entities out, a mapper each way."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    String,
    Table,
    and_,
    bindparam,
    column,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.adapters.db.tables import inbox_interactions, webhook_receipts
from app.domain.inbox import (
    Author,
    ContentRef,
    InboxInteraction,
    IngestedItem,
    IngestStatus,
    Intent,
    InteractionKind,
    Platform,
    Sentiment,
    WebhookInteraction,
)
from app.domain.lifecycle import Lifecycle

_inbox = inbox_interactions


def by_keys(table: Table, *columns: ColumnElement[Any]) -> Select[Any]:
    """The rows of `table` with these keys (platform, platform_id), given as key_params(…):
    joined to the keys read from one JSON parameter, so each key is one probe of the unique
    (platform, platform_id) index and the statement is compiled once whatever their number
    (what `= ANY(…)` and unnested arrays cost instead: bench/README.md)."""
    keys = (
        func.json_to_recordset(bindparam("keys"))
        .table_valued(column("platform", String), column("platform_id", String))
        .render_derived(name="wanted", with_types=True)
    )
    return select(*columns).join_from(
        table,
        keys,
        and_(table.c.platform == keys.c.platform, table.c.platform_id == keys.c.platform_id),
    )


def key_params(keys: Sequence[tuple[str, str]]) -> dict[str, str]:
    return {"keys": orjson.dumps([{"platform": p, "platform_id": i} for p, i in keys]).decode()}


_STORED = by_keys(_inbox, _inbox.c.id, _inbox.c.platform, _inbox.c.platform_id)


def insert_rows(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], returning: Sequence[str]
) -> list[tuple[Any, ...]]:
    """Rows into `table` as one INSERT … SELECT FROM json_populate_recordset(…) ON CONFLICT
    (platform, platform_id) DO NOTHING RETURNING, on this connection (same transaction): the
    batch travels as one JSON parameter (UUIDs and aware datetimes as orjson writes them: RFC
    4122 and RFC 3339 with the offset) that PostgreSQL reads by the table's own column types,
    instead of a literal per value (psycopg2's execute_values quotes each row with mogrify,
    and SQLAlchemy's executemany did more per row still). Rows go in in the order given; keys
    are the columns, and rows must share them."""
    if not rows:
        return []
    columns = ", ".join(rows[0])
    statement = (
        f"INSERT INTO {table.name} ({columns}) SELECT {columns}"
        f" FROM json_populate_recordset(NULL::{table.name}, %s)"
        f" ON CONFLICT (platform, platform_id) DO NOTHING RETURNING {', '.join(returning)}"
    )
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(statement, (orjson.dumps(rows).decode(),))
        found = [tuple(row) for row in cursor.fetchall()]
    finally:
        cursor.close()
    return found


def interaction_to_row(item: WebhookInteraction) -> dict[str, Any]:
    """The columns a webhook item fills, on either side (see tables._interaction_columns)."""
    return {
        "account_id": item.account_id,
        "platform": item.platform.value,
        "platform_id": item.platform_id,
        "kind": item.kind.value,
        "author_handle": item.author.handle,
        "author_display_name": item.author.display_name,
        "text": item.text,
        "content_platform_id": item.content.platform_id if item.content else None,
        "content_title": item.content.title if item.content else None,
        "intent": item.intent.value if item.intent else None,
        "sentiment": item.sentiment.value if item.sentiment else None,
        "occurred_at": item.occurred_at,
        "author_is_creator": item.author.is_creator,
        "in_reply_to": item.in_reply_to,
        "conversation_id": item.conversation_id,
        "topic": item.topic,
        "language": item.language,
    }


def row_to_interaction(row: Row[Any], is_demo: bool) -> WebhookInteraction:
    return WebhookInteraction(
        account_id=row.account_id,
        platform=Platform(row.platform),
        platform_id=row.platform_id,
        kind=InteractionKind(row.kind),
        author=Author(row.author_handle, row.author_display_name, row.author_is_creator),
        text=row.text,
        occurred_at=row.occurred_at,
        content=(
            ContentRef(platform_id=row.content_platform_id, title=row.content_title)
            if row.content_platform_id is not None
            else None
        ),
        intent=Intent(row.intent) if row.intent else None,
        sentiment=Sentiment(row.sentiment) if row.sentiment else None,
        is_demo=is_demo,
        in_reply_to=row.in_reply_to,
        conversation_id=row.conversation_id,
        topic=row.topic,
        language=row.language,
        # the simulator's rows only: the inbox files items, not events
        event=Lifecycle.from_json(event) if (event := row._mapping.get("event")) else None,
    )


def row_to_inbox_interaction(row: Row[Any]) -> InboxInteraction:
    return InboxInteraction(
        id=row.id, data=row_to_interaction(row, row.is_demo), received_at=row.received_at
    )


class SqlInboxRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def upsert(
        self, items: Sequence[WebhookInteraction], received_at: datetime
    ) -> list[IngestedItem]:
        if not items:
            return []
        # every transaction takes row locks in key order, so concurrent batches cannot deadlock
        rows = sorted(
            (
                {**interaction_to_row(item), "is_demo": item.is_demo, "received_at": received_at}
                for item in items
            ),
            key=lambda r: (r["platform"], r["platform_id"]),
        )
        inserted = insert_rows(self._conn, _inbox, rows, ("id", "platform", "platform_id"))
        created = {(platform, pid): i for i, platform, pid in inserted}  # UUIDs already
        # DO NOTHING returns no row for what already existed: read those back by their key
        missing = [item.key for item in items if item.key not in created]
        existing: dict[tuple[str, str], UUID] = {}
        if missing:
            found = self._conn.execute(_STORED, key_params(missing))
            wanted = set(missing)
            existing = {
                (r.platform, r.platform_id): r.id
                for r in found
                if (r.platform, r.platform_id) in wanted
            }
        return [
            IngestedItem(item.platform_id, created[item.key], IngestStatus.CREATED)
            if item.key in created
            else IngestedItem(item.platform_id, existing[item.key], IngestStatus.DUPLICATE)
            for item in items
        ]


class SqlWebhookReceiptRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def record(self, webhook_id: str, item_count: int, received_at: datetime) -> bool:
        stmt = (
            pg_insert(webhook_receipts)
            .values(webhook_id=webhook_id, item_count=item_count, received_at=received_at)
            .on_conflict_do_nothing(index_elements=[webhook_receipts.c.webhook_id])
            .returning(webhook_receipts.c.webhook_id)
        )
        return self._conn.execute(stmt).first() is not None
