"""Deleting demo data: past retention, and an account's on purge."""

from datetime import datetime
from typing import Any
from uuid import UUID

from app.domain.delivery import DeliveryStatus
from app.domain.inbox import InteractionKind
from app.services.ports import Keyset
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
            (store.inbox, _old_conversations(store.inbox, before)),
            (
                store.jobs,
                [k for k, j in store.jobs.items() if j.finished_at and j.finished_at < before],
            ),
            (store.attempts, [k for k, a in store.attempts.items() if a.at < before]),
        ]

    def count_expired(self, before: datetime) -> int:
        """As the SQL counts: demo comments past the cut, whether their threads can go yet or
        not; the rest as deleted."""
        comments = [
            k
            for k, r in self._store.inbox.items()
            if r.data.kind is InteractionKind.COMMENT and r.data.is_demo
            and r.data.occurred_at < before
        ]  # fmt: skip
        return len(comments) + sum(len(keys) for _, keys in self._expired(before))

    def delete_expired(self, before: datetime, limit: int) -> int:
        return _delete_some(self._expired(before), limit)

    def delete_expired_threads(
        self, before: datetime, limit: int, after: Keyset | None
    ) -> tuple[int, Keyset | None]:
        """All the threads with nothing newer at once (the walk's windows are the SQL's)."""
        if after is not None:
            return 0, None
        keys = _old_threads(self._store.inbox, before)
        for key in keys:
            del self._store.inbox[key]
        return len(keys), (before, UUID(int=0)) if keys else None

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


def _old_threads(inbox: dict[Any, Any], before: datetime) -> list[Any]:
    """Old demo comments of threads with nothing newer: a thread is the comments linked by
    replies (to a parent that is in the inbox), found here by walking the links."""
    comments = {k: r.data for k, r in inbox.items() if r.data.kind is InteractionKind.COMMENT}
    by_id = {(d.account_id, d.platform, d.platform_id): k for k, d in comments.items()}
    linked: dict[Any, set[Any]] = {k: set() for k in comments}
    for k, d in comments.items():
        parent = by_id.get((d.account_id, d.platform, d.in_reply_to))
        if d.in_reply_to is not None and parent is not None:
            linked[k].add(parent)
            linked[parent].add(k)
    kept: set[Any] = set()
    for k, d in comments.items():
        if d.occurred_at >= before and k not in kept:  # its whole thread stays
            todo = [k]
            while todo:
                here = todo.pop()
                if here not in kept:
                    kept.add(here)
                    todo += linked[here]
    return [
        k for k, d in comments.items() if d.is_demo and d.occurred_at < before and k not in kept
    ]


def _old_conversations(inbox: dict[Any, Any], before: datetime) -> list[Any]:
    dms = {k: r.data for k, r in inbox.items() if r.data.kind is InteractionKind.DM}
    active = {
        (d.account_id, d.conversation_id)
        for d in dms.values()
        if d.conversation_id is not None and d.occurred_at >= before
    }
    return [
        k
        for k, d in dms.items()
        if d.is_demo and d.occurred_at < before and (d.account_id, d.conversation_id) not in active
    ]


def _delete_some(places: list[tuple[dict[Any, Any], list[Any]]], limit: int) -> int:
    for rows, keys in places:
        if keys:
            for key in keys[:limit]:
                del rows[key]
            return len(keys[:limit])
    return 0
