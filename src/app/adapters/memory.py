"""In-memory repositories and unit of work with the SQL ones' contract, for service tests."""

import copy
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from types import TracebackType
from typing import Self
from uuid import UUID

from app.domain.inbox import (
    UNLABELLED,
    ContentEngagement,
    DayCount,
    InboxFilter,
    InboxInteraction,
    IncomingInteraction,
    IngestedItem,
    IngestStatus,
    Insights,
    InteractionKind,
    fill_days,
)
from app.domain.pagination import Cursor, Page


@dataclass
class MemoryStore:
    """What a database would hold; shared by every unit of work made for it."""

    inbox: dict[tuple[str, str], InboxInteraction] = field(default_factory=dict)
    webhook_receipts: set[str] = field(default_factory=set)


class MemoryInboxRepository:
    def __init__(self, rows: dict[tuple[str, str], InboxInteraction]) -> None:
        self._rows = rows

    def upsert(
        self, items: Sequence[IncomingInteraction], received_at: datetime
    ) -> list[IngestedItem]:
        results = []
        for item in items:
            existing = self._rows.get(item.key)
            if existing is not None:
                results.append(IngestedItem(item.platform_id, existing.id, IngestStatus.DUPLICATE))
                continue
            row = InboxInteraction(
                id=uuid.uuid4(),
                account_id=item.account_id,
                platform=item.platform,
                platform_id=item.platform_id,
                kind=item.kind,
                author=item.author,
                text=item.text,
                occurred_at=item.occurred_at,
                received_at=received_at,
                content=item.content,
                intent=item.intent,
                sentiment=item.sentiment,
                is_demo=item.is_demo,
            )
            self._rows[item.key] = row
            results.append(IngestedItem(item.platform_id, row.id, IngestStatus.CREATED))
        return results

    def page(self, where: InboxFilter, after: Cursor | None, limit: int) -> Page[InboxInteraction]:
        def matches(row: InboxInteraction) -> bool:
            return (
                row.account_id == where.account_id
                and (where.kind is None or row.kind == where.kind)
                and (where.is_demo is None or row.is_demo == where.is_demo)
                and (where.since is None or row.occurred_at >= where.since)
                and (where.until is None or row.occurred_at < where.until)
                and (after is None or (row.occurred_at, row.id) < (after.at, after.id))
            )

        found = sorted(
            filter(matches, self._rows.values()), key=lambda r: (r.occurred_at, r.id), reverse=True
        )
        items = tuple(found[:limit])
        more = len(found) > limit
        return Page(items, Cursor(items[-1].occurred_at, items[-1].id) if more else None)

    def insights(self, account_id: UUID, since: datetime, until: datetime, top: int) -> Insights:
        rows = [
            r
            for r in self._rows.values()
            if r.account_id == account_id and since <= r.occurred_at <= until
        ]
        kinds = Counter(r.kind for r in rows)
        days: dict[date, Counter[InteractionKind]] = {}
        for r in rows:
            days.setdefault(r.occurred_at.date(), Counter())[r.kind] += 1
        per_content = Counter(
            (r.content.platform_id, r.content.title)
            for r in rows
            if r.kind is InteractionKind.COMMENT and r.content is not None
        )
        ranked = sorted(per_content.items(), key=lambda kv: (-kv[1], kv[0][0]))[:top]
        return Insights(
            account_id=account_id,
            since=since,
            until=until,
            totals={kind: kinds[kind] for kind in InteractionKind},
            per_day=fill_days(
                since.date(),
                until.date(),
                {
                    d: DayCount(d, c[InteractionKind.COMMENT], c[InteractionKind.DM])
                    for d, c in days.items()
                },
            ),
            top_content=tuple(ContentEngagement(p, t, n) for (p, t), n in ranked),
            intents=dict(Counter(r.intent.value if r.intent else UNLABELLED for r in rows)),
            sentiments=dict(
                Counter(r.sentiment.value if r.sentiment else UNLABELLED for r in rows)
            ),
            demo=sum(r.is_demo for r in rows),
        )


class MemoryWebhookReceiptRepository:
    def __init__(self, ids: set[str]) -> None:
        self._ids = ids

    def record(self, webhook_id: str, item_count: int, received_at: datetime) -> bool:
        first_time = webhook_id not in self._ids
        self._ids.add(webhook_id)
        return first_time


class MemoryUnitOfWork:
    """Works on a copy of the store; commit() publishes the copy, leaving the block drops it."""

    inbox: MemoryInboxRepository
    webhook_receipts: MemoryWebhookReceiptRepository

    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        self._work: MemoryStore | None = None
        self.commits = 0

    def __enter__(self) -> Self:
        self._begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._work = None

    def commit(self) -> None:
        assert self._work is not None, "commit() outside `with uow:`"
        self.store.inbox, self.store.webhook_receipts = (
            self._work.inbox,
            self._work.webhook_receipts,
        )
        self.commits += 1
        self._begin()

    def rollback(self) -> None:
        self._begin()

    def _begin(self) -> None:
        self._work = copy.deepcopy(self.store)
        self.inbox = MemoryInboxRepository(self._work.inbox)
        self.webhook_receipts = MemoryWebhookReceiptRepository(self._work.webhook_receipts)
