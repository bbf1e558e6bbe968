"""Keeping demos alive: the scheduled ticks over every active demo account, and retention.

A tick's parent job picks the accounts that take part and fans out into chunks of them, so
that any number of workers share the work; each chunk generates, stores a committed batch at
a time and delivers its own accounts' rows. Generation is deterministic from the account, its
seed and the tick's reference time, so a retried chunk stores nothing twice.
"""

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from app.domain.demo import Content, DemoProfile
from app.domain.generation import generate_daily_content, generate_tick
from app.domain.inbox import InteractionKind, Platform
from app.domain.jobs import Job, JobKind, NewJob
from app.services.delivery import DeliveryPolicy, deliver_due
from app.services.demo import delete_in_batches, store_interactions
from app.services.jobs import Checkpoint, FanOut
from app.services.ports import Clock, UnitOfWork, UnitOfWorkFactory, WebhookSender

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class UpkeepPolicy:
    fanout_size: int = 200  # accounts per child job
    batch_size: int = 500  # rows per committed batch
    retention: timedelta = timedelta(days=30)


# what a tick does to an account, and how long after enabling it starts to
_TICKS: dict[JobKind, tuple[JobKind, timedelta]] = {
    JobKind.DAILY_CONTENT: (JobKind.DAILY_CONTENT_CHUNK, timedelta(hours=24)),
    JobKind.ONGOING_INTERACTIONS: (JobKind.ONGOING_INTERACTIONS_CHUNK, timedelta(hours=6)),
}
_SETTLING = {chunk: settling for chunk, settling in _TICKS.values()}


def reference_time(job: Job) -> datetime:
    """The tick's time: its slot, or when it was triggered. A retry keeps it."""
    given = job.params.get("reference_time")
    return datetime.fromisoformat(given) if given else job.created_at


def fan_out_tick(
    uow_factory: UnitOfWorkFactory, policy: UpkeepPolicy, job: Job, checkpoint: Checkpoint
) -> FanOut:
    """The accounts enabled long enough before the tick, in chunks of fanout_size."""
    chunk_kind, settling = _TICKS[job.kind]
    at = reference_time(job)
    with uow_factory() as uow:
        accounts = uow.demo.enabled_accounts(at - settling)
    chunks = [
        accounts[start : start + policy.fanout_size]
        for start in range(0, len(accounts), policy.fanout_size)
    ]
    # progress is counted in accounts, the parent's the sum of its chunks'
    return FanOut(
        [
            NewJob(
                chunk_kind,
                params={"reference_time": at.isoformat(), "accounts": [str(a) for a in chunk]},
                progress_total=len(chunk),
            )
            for chunk in chunks
        ]
    )


def _taking_part(uow_factory: UnitOfWorkFactory, job: Job) -> tuple[list[DemoProfile], int]:
    """The chunk's accounts still on and enabled long enough; and how many were left out
    (they count as done in the chunk's progress, which is in accounts)."""
    accounts = [UUID(a) for a in job.params["accounts"]]
    enabled_before = reference_time(job) - _SETTLING[job.kind]
    with uow_factory() as uow:
        profiles = [
            p
            for p in uow.demo.profiles(accounts)
            if p.enabled_at is not None and p.enabled_at <= enabled_before
        ]
    return profiles, len(accounts) - len(profiles)


def run_daily_content(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    policy: UpkeepPolicy,
    job: Job,
    checkpoint: Checkpoint,
) -> dict[str, Any]:
    """New posts for each account of the chunk."""
    profiles, skipped = _taking_part(uow_factory, job)
    at = reference_time(job)

    def store(uow: UnitOfWork, part: Sequence[tuple[Platform, Content]]) -> int:
        stored = 0
        for platform in {p for p, _ in part}:
            content = [c for p, c in part if p is platform]
            stored += uow.demo.add_content(content, platform, clock.now())
        return stored

    generated, stored = _in_batches(
        uow_factory,
        policy.batch_size,
        profiles,
        skipped,
        lambda profile: [(profile.platform, c) for c in generate_daily_content(profile, at)],
        lambda _: "content",
        store,
        "content",
        checkpoint,
    )
    return {
        "accounts": len(profiles),
        "skipped": skipped,
        "generated": {"content": 0} | generated,
        "stored": {"content": stored},
    }


def run_ongoing_interactions(
    uow_factory: UnitOfWorkFactory,
    sender: WebhookSender,
    clock: Clock,
    delivery_policy: DeliveryPolicy,
    rng: random.Random,
    policy: UpkeepPolicy,
    job: Job,
    checkpoint: Checkpoint,
) -> dict[str, Any]:
    """Comments on each account's newest content and DMs at its rate, stored a committed batch
    at a time, then delivered."""
    profiles, skipped = _taking_part(uow_factory, job)
    at = reference_time(job)
    with uow_factory() as uow:
        content = uow.demo.content_of([p.account_id for p in profiles])
    by_account: dict[UUID, list[Content]] = {}
    for c in content:
        by_account.setdefault(c.account_id, []).append(c)

    generated, stored = _in_batches(
        uow_factory,
        policy.batch_size,
        profiles,
        skipped,
        lambda profile: generate_tick(profile, at, by_account.get(profile.account_id, ())),
        lambda item: item.kind.value,
        lambda uow, part: store_interactions(uow, part, clock.now()),
        "interactions",
        checkpoint,
    )
    size = len(profiles) + skipped

    def delivering(phase: str, done: int, total: int | None) -> None:
        checkpoint(phase, size, size)  # heartbeat and cancel; progress stays in accounts

    delivery = deliver_due(
        uow_factory,
        sender,
        clock,
        delivery_policy,
        rng,
        job,
        delivering,
        [p.account_id for p in profiles],
    )
    return {
        "accounts": len(profiles),
        "skipped": skipped,
        "generated": {InteractionKind.COMMENT.value: 0, InteractionKind.DM.value: 0} | generated,
        "stored": stored,  # new this run: less than generated when resuming
        "delivery": delivery,
    }


def _in_batches(
    uow_factory: UnitOfWorkFactory,
    batch_size: int,
    profiles: Sequence[DemoProfile],
    skipped: int,
    generate: Callable[[DemoProfile], Sequence[T]],
    kind: Callable[[T], str],
    store: Callable[[UnitOfWork, Sequence[T]], int],
    phase: str,
    checkpoint: Checkpoint,
) -> tuple[dict[str, int], int]:
    """Each account's rows generated and stored a committed batch at a time, progress in
    accounts (the skipped ones count as done). Returns what was generated, by kind, and how
    many rows were new."""
    generated: Counter[str] = Counter()
    stored = 0
    pending: list[T] = []
    size = len(profiles) + skipped
    checkpoint(phase, skipped, size)
    for n, profile in enumerate(profiles, start=1):
        pending += generate(profile)
        if len(pending) >= batch_size or n == len(profiles):
            with uow_factory() as uow:
                stored += store(uow, pending)
                uow.commit()
            generated.update(kind(item) for item in pending)
            pending = []
            checkpoint(phase, skipped + n, size)
    return dict(generated), stored


def run_cleanup(
    uow_factory: UnitOfWorkFactory, policy: UpkeepPolicy, job: Job, checkpoint: Checkpoint
) -> dict[str, Any]:
    """Demo data older than the retention period, on both sides, and the record of jobs that
    finished before it, a committed batch at a time."""
    before = reference_time(job) - policy.retention
    deleted = delete_in_batches(
        uow_factory,
        lambda uow: uow.demo.count_expired(before),
        lambda uow: uow.demo.delete_expired(before, policy.batch_size),
        "cleanup",
        checkpoint,
    )
    return {"deleted": deleted, "before": before.isoformat()}
