"""The inbox (receiving side): upserts on (platform, platform_id)."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from app.domain.inbox import (
    InboxInteraction,
    IngestedItem,
    IngestStatus,
    WebhookInteraction,
)


class MemoryInboxRepository:
    def __init__(self, rows: dict[tuple[str, str], InboxInteraction]) -> None:
        self._rows = rows

    def upsert(
        self, items: Sequence[WebhookInteraction], received_at: datetime
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


class MemoryWebhookReceiptRepository:
    def __init__(self, ids: set[str]) -> None:
        self._ids = ids

    def record(self, webhook_id: str, item_count: int, received_at: datetime) -> bool:
        first_time = webhook_id not in self._ids
        self._ids.add(webhook_id)
        return first_time
