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
            row = InboxInteraction(id=uuid.uuid4(), data=item, received_at=received_at)
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
