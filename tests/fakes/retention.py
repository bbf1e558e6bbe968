"""Deleting demo data: past retention, and an account's on purge."""

from datetime import datetime
from typing import Any
from uuid import UUID

from app.domain.delivery import DeliveryStatus
from fakes.store import MemoryStore


class MemoryRetentionRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    def _expired(self, before: datetime) -> list[tuple[dict[Any, Any], list[Any]]]:
        store = self._store
        return [
            (
                store.outbox,
                [
                    k
                    for k, r in store.outbox.items()
                    if r.data.occurred_at < before and r.status is not DeliveryStatus.SENDING
                ],
            ),
            (store.contents, [k for k, c in store.contents.items() if c.published_at < before]),
            (
                store.inbox,
                [
                    k
                    for k, r in store.inbox.items()
                    if r.data.occurred_at < before and r.data.is_demo
                ],
            ),
            (
                store.jobs,
                [k for k, j in store.jobs.items() if j.finished_at and j.finished_at < before],
            ),
        ]

    def count_expired(self, before: datetime) -> int:
        return sum(len(keys) for _, keys in self._expired(before))

    def delete_expired(self, before: datetime, limit: int) -> int:
        return _delete_some(self._expired(before), limit)

    def _demo_rows(self, account_id: UUID) -> list[tuple[dict[Any, Any], list[Any]]]:
        store = self._store
        return [
            (store.outbox, [k for k, r in store.outbox.items() if r.data.account_id == account_id]),
            (store.contents, [k for k, c in store.contents.items() if c.account_id == account_id]),
            (
                store.inbox,
                [
                    k
                    for k, r in store.inbox.items()
                    if r.data.account_id == account_id and r.data.is_demo
                ],
            ),
        ]

    def purge_batch(self, account_id: UUID, limit: int) -> int:
        return _delete_some(self._demo_rows(account_id), limit)

    def count_demo_rows(self, account_id: UUID) -> int:
        return sum(len(keys) for _, keys in self._demo_rows(account_id))


def _delete_some(places: list[tuple[dict[Any, Any], list[Any]]], limit: int) -> int:
    for rows, keys in places:
        if keys:
            for key in keys[:limit]:
                del rows[key]
            return len(keys[:limit])
    return 0
