"""The outbox: claims with leases, delivery outcomes, dead letters."""

import math
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from app.domain.delivery import Attempt, DeliveryStatus, Key, OutboxInteraction
from app.domain.inbox import (
    WebhookInteraction,
)
from app.domain.scenarios import ScenarioCounts
from fakes.store import MemoryStore


class MemoryOutboxRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._rows = store.outbox
        self._attempts = store.attempts
        self._runs = store.scenario_runs

    def add(
        self,
        items: Sequence[WebhookInteraction],
        now: datetime,
        went: Mapping[Key, OutboxInteraction] | None = None,
        *,
        scheduled_by: UUID | None = None,
    ) -> dict[Key, UUID]:
        added = {}
        for item in items:
            if item.key not in self._rows:
                if scheduled_by is not None:
                    self._runs[item.key] = scheduled_by
                row = (went or {}).get(item.key)
                self._rows[item.key] = (
                    OutboxInteraction(
                        id=uuid.uuid4(),
                        data=item,
                        status=DeliveryStatus.QUEUED,
                        attempts=0,
                        next_attempt_at=item.occurred_at if scheduled_by else now,
                        lease_until=None,
                        claimed_by=None,
                        last_error=None,
                        sent_at=None,
                    )
                    if row is None
                    else replace(row, data=item, lease_until=None, claimed_by=None)
                )
                added[item.key] = self._rows[item.key].id
        return added

    def existing(self, keys: Sequence[Key]) -> set[Key]:
        return {k for k in keys if k in self._rows}

    def _due(self, now: datetime, accounts: Sequence[UUID] | None) -> list[OutboxInteraction]:
        return sorted(
            (
                r
                for r in self._rows.values()
                if (accounts is None or r.data.account_id in accounts)
                and r.status is DeliveryStatus.QUEUED
                and r.next_attempt_at <= now
            ),
            key=lambda r: (r.next_attempt_at, r.id),
        )

    def _waits(self, row: OutboxInteraction) -> bool:
        """A reply whose parent, or a DM whose earlier message, is still to be sent."""
        unsent = (DeliveryStatus.QUEUED, DeliveryStatus.SENDING)
        item = row.data
        if item.in_reply_to is not None:
            parent = self._rows.get((item.platform.value, item.in_reply_to))
            if parent is not None and parent.status in unsent:
                return True
        return item.conversation_id is not None and any(
            other.data.account_id == item.account_id
            and other.data.conversation_id == item.conversation_id
            and other.data.occurred_at < item.occurred_at
            and other.status in unsent
            for other in self._rows.values()
        )

    def claim_due(
        self,
        job_id: UUID,
        now: datetime,
        limit: int,
        lease_until: datetime,
        accounts: Sequence[UUID] | None = None,
    ) -> list[OutboxInteraction]:
        claimed = []
        claimable = [r for r in self._due(now, accounts) if not self._waits(r)]
        for row in claimable[:limit]:
            row = replace(
                row,
                status=DeliveryStatus.SENDING,
                lease_until=lease_until,
                claimed_by=job_id,
                attempts=row.attempts + 1,
            )
            self._rows[row.data.key] = row
            claimed.append(row)
        return claimed

    def _release(self, job_id: UUID, ids: Sequence[UUID], **changes: Any) -> int:
        """Out of `sending`, only the rows this job still holds."""
        wanted = set(ids)
        changed = 0
        for key, row in list(self._rows.items()):
            if (
                row.id in wanted
                and row.status is DeliveryStatus.SENDING
                and row.claimed_by == job_id
            ):
                self._rows[key] = replace(row, lease_until=None, claimed_by=None, **changes)
                changed += 1
        return changed

    def mark_sent(self, job_id: UUID, ids: Sequence[UUID], now: datetime) -> int:
        return self._release(job_id, ids, status=DeliveryStatus.SENT, sent_at=now, last_error=None)

    def record_attempts(self, attempts: Sequence[Attempt]) -> None:
        first = max(self._attempts, default=0) + 1
        self._attempts.update(enumerate(attempts, start=first))

    def mark_failed(self, job_id: UUID, ids: Sequence[UUID], error: str) -> int:
        return self._release(job_id, ids, status=DeliveryStatus.FAILED, last_error=error)

    def reschedule(
        self, job_id: UUID, ids: Sequence[UUID], next_attempt_at: datetime, error: str
    ) -> int:
        return self._release(
            job_id,
            ids,
            status=DeliveryStatus.QUEUED,
            next_attempt_at=next_attempt_at,
            last_error=error,
        )

    def _requeue(self, matches: Callable[[OutboxInteraction], bool], error: str) -> int:
        changed = 0
        for key, row in list(self._rows.items()):
            if row.status is DeliveryStatus.SENDING and matches(row):
                self._rows[key] = replace(
                    row,
                    status=DeliveryStatus.QUEUED,
                    lease_until=None,
                    claimed_by=None,
                    last_error=error,
                )
                changed += 1
        return changed

    def expire_leases(self, now: datetime) -> int:
        return self._requeue(
            lambda r: r.lease_until is not None and r.lease_until < now,
            "lease expired: worker lost",
        )

    def release_claims(self, job_ids: Sequence[UUID]) -> int:
        lost = set(job_ids)
        return self._requeue(
            lambda r: r.claimed_by in lost, "claim released: its job's worker was lost"
        )

    def count_due(self, now: datetime, accounts: Sequence[UUID] | None = None) -> int:
        return len(self._due(now, accounts))

    def requeue_failed(self, now: datetime, account_id: UUID | None = None) -> int:
        requeued = 0
        for key, row in list(self._rows.items()):
            if row.status is DeliveryStatus.FAILED and (
                account_id is None or row.data.account_id == account_id
            ):
                self._rows[key] = replace(
                    row, status=DeliveryStatus.QUEUED, attempts=0, next_attempt_at=now
                )
                requeued += 1
        return requeued

    def scenario_counts(self, run: UUID, start: datetime, window: timedelta) -> ScenarioCounts:
        sent: Counter[int] = Counter()
        pending = 0
        for key, of in self._runs.items():
            row = self._rows.get(key)
            if of != run or row is None:
                continue
            if row.status is DeliveryStatus.SENT and row.sent_at is not None:
                sent[math.floor((row.sent_at - start) / window)] += 1
            elif row.status in (DeliveryStatus.QUEUED, DeliveryStatus.SENDING):
                pending += 1
        return ScenarioCounts(sent=dict(sent), pending=pending)

    def withdraw(self, account_id: UUID, run: UUID | None) -> int:
        gone = [
            key
            for key, of in self._runs.items()
            if (run is None or of == run)
            and key in self._rows
            and self._rows[key].data.account_id == account_id
            and self._rows[key].status is DeliveryStatus.QUEUED
        ]
        for key in gone:
            del self._rows[key]
            del self._runs[key]
        return len(gone)

    def count_scheduled_due(self, now: datetime) -> int:
        return sum(1 for r in self._due(now, None) if r.data.key in self._runs)
