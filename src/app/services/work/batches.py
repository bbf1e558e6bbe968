"""The batch loop: long work as a committed batch at a time, resumable by running again."""

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TypeVar
from uuid import UUID

from app.domain.delivery import Key, OutboxInteraction
from app.domain.demo import DemoProfile
from app.domain.inbox import Platform, WebhookInteraction
from app.services.ports import UnitOfWork, UnitOfWorkFactory
from app.services.work.engine import Checkpoint

T = TypeVar("T")


def store_interactions(
    uow: UnitOfWork,
    items: Sequence[WebhookInteraction],
    now: datetime,
    went: Mapping[Key, OutboxInteraction] | None = None,
    *,
    scheduled_by: UUID | None = None,
) -> dict[Key, UUID]:
    """Into the outbox, what is not there yet (what `went` holds as its delivery left it);
    each new comment counts on its content in the same transaction, so a resumed batch counts
    nothing twice. Returns the new rows' ids by key."""
    added = uow.outbox.add(items, now, went, scheduled_by=scheduled_by)
    per_content: dict[Platform, Counter[str]] = {}
    for item in items:
        if item.content is not None and item.key in added:
            per_content.setdefault(item.platform, Counter())[item.content.platform_id] += 1
    for platform, counts in per_content.items():
        uow.demo.count_comments(platform, counts)
    return added


def in_batches(
    uow_factory: UnitOfWorkFactory,
    batch_size: int,
    profiles: Sequence[DemoProfile],
    skipped: int,
    generate: Callable[[DemoProfile], Sequence[T]],
    kind: Callable[[T], str],
    store: Callable[[UnitOfWork, Sequence[T]], int],
    phase: str,
    checkpoint: Checkpoint,
    ahead: Callable[[Sequence[T]], None] = lambda _: None,
) -> tuple[dict[str, int], int]:
    """Each account's rows generated and stored a committed batch at a time, progress in
    accounts (the skipped ones count as done); `ahead` runs with each batch before its
    transaction. Returns what was generated, by kind, and how many rows were new."""
    generated: Counter[str] = Counter()
    stored = 0
    pending: list[T] = []
    size = len(profiles) + skipped
    checkpoint(phase, skipped, size)
    for n, profile in enumerate(profiles, start=1):
        pending += generate(profile)
        if len(pending) >= batch_size or n == len(profiles):
            ahead(pending)
            with uow_factory() as uow:
                stored += store(uow, pending)
                uow.commit()
            generated.update(kind(item) for item in pending)
            pending = []
            checkpoint(phase, skipped + n, size)
    return dict(generated), stored


def delete_in_batches(
    uow_factory: UnitOfWorkFactory,
    count: Callable[[UnitOfWork], int],
    delete_some: Callable[[UnitOfWork], int],
    phase: str,
    checkpoint: Checkpoint,
) -> int:
    """A committed batch at a time until none is left: stopped anywhere, it resumes by
    running again."""
    with uow_factory() as uow:
        total = count(uow)
    deleted = 0
    checkpoint(phase, 0, total)
    while True:
        with uow_factory() as uow:
            n = delete_some(uow)
            uow.commit()
        if not n:
            return deleted
        deleted += n
        checkpoint(phase, deleted, max(total, deleted))
