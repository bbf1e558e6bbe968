"""The inbox: ingest signed webhook batches idempotently, read them back, summarise them."""

from collections.abc import Sequence
from dataclasses import dataclass, replace

from app.domain.inbox import (
    IngestedItem,
    IngestResult,
    IngestStatus,
    WebhookInteraction,
)
from app.services.ports import Clock, UnitOfWorkFactory


@dataclass(frozen=True)
class InboxService:
    uow: UnitOfWorkFactory
    clock: Clock

    def ingest(self, webhook_id: str, items: Sequence[WebhookInteraction]) -> IngestResult:
        """Store a verified batch in one transaction: all of it or, on any error, none of it.

        The result has one entry per input item; an item repeated within the batch is a
        duplicate."""
        distinct: dict[tuple[str, str], WebhookInteraction] = {}
        for item in items:
            distinct.setdefault(item.key, item)
        received_at = self.clock.now()
        with self.uow() as uow:
            first_time = uow.webhook_receipts.record(webhook_id, len(items), received_at)
            upserted = uow.inbox.upsert(list(distinct.values()), received_at)
            stored = dict(zip(distinct, upserted, strict=True))
            uow.commit()
        results: list[IngestedItem] = []
        seen: set[tuple[str, str]] = set()
        for item in items:
            outcome = stored[item.key]
            if item.key in seen:
                outcome = replace(outcome, status=IngestStatus.DUPLICATE)
            seen.add(item.key)
            results.append(outcome)
        return IngestResult(webhook_id=webhook_id, replayed=not first_time, items=tuple(results))
