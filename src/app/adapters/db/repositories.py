"""Repositories over SQLAlchemy Core: statements in, frozen entities out, a mapper each way."""

from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Date, Row, and_, any_, cast, func, select, tuple_
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.adapters.db.tables import inbox_interactions, webhook_receipts
from app.domain.inbox import (
    UNLABELLED,
    Author,
    ContentEngagement,
    ContentRef,
    DayCount,
    InboxFilter,
    InboxInteraction,
    IngestedItem,
    IngestStatus,
    Insights,
    Intent,
    InteractionKind,
    Platform,
    Sentiment,
    WebhookInteraction,
    fill_days,
)
from app.domain.pagination import Cursor, Page, page_of

_inbox = inbox_interactions


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
    }


def row_to_interaction(row: Row[Any], is_demo: bool) -> WebhookInteraction:
    return WebhookInteraction(
        account_id=row.account_id,
        platform=Platform(row.platform),
        platform_id=row.platform_id,
        kind=InteractionKind(row.kind),
        author=Author(handle=row.author_handle, display_name=row.author_display_name),
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
    )


def _row_to_inbox_interaction(row: Row[Any]) -> InboxInteraction:
    item = row_to_interaction(row, row.is_demo)
    return InboxInteraction(
        id=row.id,
        received_at=row.received_at,
        **{f.name: getattr(item, f.name) for f in fields(item)},
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
        # executemany with RETURNING: SQLAlchemy sends it as multi-row INSERTs ("insertmanyvalues")
        # from one cached compiled statement, where .values(rows) would compile anew per batch
        inserted = self._conn.execute(
            pg_insert(_inbox)
            .on_conflict_do_nothing(index_elements=[_inbox.c.platform, _inbox.c.platform_id])
            .returning(_inbox.c.id, _inbox.c.platform, _inbox.c.platform_id),
            rows,
        )
        created = {(r.platform, r.platform_id): r.id for r in inserted}
        # DO NOTHING returns no row for what already existed: read those back by their key
        missing = [item.key for item in items if item.key not in created]
        existing: dict[tuple[str, str], UUID] = {}
        if missing:
            # two = ANY(array) conditions walk the unique (platform, platform_id) index; a row-value
            # IN list of hundreds of pairs is planned as a scan
            found = self._conn.execute(
                select(_inbox.c.id, _inbox.c.platform, _inbox.c.platform_id).where(
                    _inbox.c.platform == any_(array(sorted({p for p, _ in missing}))),
                    _inbox.c.platform_id == any_(array([i for _, i in missing])),
                )
            )
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

    def page(self, where: InboxFilter, after: Cursor | None, limit: int) -> Page[InboxInteraction]:
        stmt = select(_inbox).where(_inbox.c.account_id == where.account_id)
        if where.kind is not None:
            stmt = stmt.where(_inbox.c.kind == where.kind.value)
        if where.is_demo is not None:
            stmt = stmt.where(_inbox.c.is_demo.is_(where.is_demo))
        if where.since is not None:
            stmt = stmt.where(_inbox.c.occurred_at >= where.since)
        if where.until is not None:
            stmt = stmt.where(_inbox.c.occurred_at < where.until)
        if after is not None:
            stmt = stmt.where(
                tuple_(_inbox.c.occurred_at, _inbox.c.id) < tuple_(after.at, after.id)
            )
        stmt = stmt.order_by(_inbox.c.occurred_at.desc(), _inbox.c.id.desc()).limit(limit + 1)
        found = [_row_to_inbox_interaction(r) for r in self._conn.execute(stmt)]
        return page_of(found, limit, lambda i: (i.occurred_at, i.id))

    def insights(self, account_id: UUID, since: datetime, until: datetime, top: int) -> Insights:
        window = and_(
            _inbox.c.account_id == account_id,
            _inbox.c.occurred_at >= since,
            _inbox.c.occurred_at <= until,
        )
        is_comment = _inbox.c.kind == InteractionKind.COMMENT.value
        is_dm = _inbox.c.kind == InteractionKind.DM.value
        comments, dms, demo = self._conn.execute(
            select(
                func.count().filter(is_comment),
                func.count().filter(is_dm),
                func.count().filter(_inbox.c.is_demo),
            ).where(window)
        ).one()
        day = cast(func.timezone("UTC", _inbox.c.occurred_at), Date)
        per_day = self._conn.execute(
            select(day, func.count().filter(is_comment), func.count().filter(is_dm))
            .where(window)
            .group_by(day)
        )
        comment_count = func.count()
        top_content = self._conn.execute(
            select(_inbox.c.content_platform_id, func.max(_inbox.c.content_title), comment_count)
            .where(window, is_comment, _inbox.c.content_platform_id.is_not(None))
            .group_by(_inbox.c.content_platform_id)
            .order_by(comment_count.desc(), _inbox.c.content_platform_id)
            .limit(top)
        )
        return Insights(
            account_id=account_id,
            since=since,
            until=until,
            totals={InteractionKind.COMMENT: comments, InteractionKind.DM: dms},
            per_day=fill_days(
                since.date(), until.date(), {d: DayCount(d, c, m) for d, c, m in per_day}
            ),
            top_content=tuple(ContentEngagement(p, t, n) for p, t, n in top_content),
            intents=self._mix(_inbox.c.intent, window),
            sentiments=self._mix(_inbox.c.sentiment, window),
            demo=demo,
        )

    def received_since(self, since: datetime) -> tuple[int, int]:
        items = select(func.coalesce(func.sum(webhook_receipts.c.item_count), 0)).where(
            webhook_receipts.c.received_at >= since
        )
        created = select(func.count()).where(_inbox.c.received_at >= since)
        return (
            int(self._conn.execute(items).scalar_one()),
            int(self._conn.execute(created).scalar_one()),
        )

    def _mix(self, column: Any, window: Any) -> dict[str, int]:
        label = func.coalesce(column, UNLABELLED)
        rows = self._conn.execute(select(label, func.count()).where(window).group_by(label))
        return {name: count for name, count in rows}


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
