"""Keeping demos alive: the scheduled ticks over every active demo account, and retention.

A tick's parent job picks the accounts that take part and fans out into chunks of them, so
that any number of workers share the work; each chunk generates, stores a committed batch at
a time and delivers its own accounts' rows. Generation is deterministic from the account, its
seed and the tick's reference time, so a retried chunk stores nothing twice.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from app.config import DEFAULTS, Settings
from app.domain.demo import Content, Delivery, DemoProfile
from app.domain.generation import generate_daily_content, generate_tick
from app.domain.inbox import InteractionKind, Platform
from app.domain.jobs import AtReference, Job, JobKind, NewJob, TickChunk
from app.services.ports import Keyset, UnitOfWork
from app.services.work import (
    Checkpoint,
    Deliverer,
    FanOut,
    JobEngine,
    StraightSend,
    delete_in_batches,
    in_batches,
)


@dataclass(frozen=True, slots=True)
class UpkeepPolicy:
    fanout_size: int = DEFAULTS.fanout_size  # accounts per child job
    batch_size: int = DEFAULTS.db_batch_size  # rows per committed batch
    retention: timedelta = timedelta(days=DEFAULTS.retention_days)

    @classmethod
    def of(cls, settings: Settings) -> "UpkeepPolicy":
        return cls(
            fanout_size=settings.fanout_size,
            batch_size=settings.db_batch_size,
            retention=timedelta(days=settings.retention_days),
        )


# what a tick does to an account, and how long after enabling it starts to
_TICKS: dict[JobKind, tuple[JobKind, timedelta]] = {
    JobKind.DAILY_CONTENT: (JobKind.DAILY_CONTENT_CHUNK, timedelta(hours=24)),
    JobKind.ONGOING_INTERACTIONS: (JobKind.ONGOING_INTERACTIONS_CHUNK, timedelta(hours=6)),
}
_SETTLING = {chunk: settling for chunk, settling in _TICKS.values()}


# tells a native channel's subscribers of its new videos; how many notifications they took
Announce = Callable[[DemoProfile, Sequence[Content]], int]


def announces(profile: DemoProfile) -> bool:
    """Whether the platform announces the account's new posts (YouTube's WebSub, for a native
    channel)."""
    return profile.platform is Platform.YOUTUBE and profile.delivery is Delivery.NATIVE


@dataclass(frozen=True)
class UpkeepService:
    engine: JobEngine
    deliverer: Deliverer
    policy: UpkeepPolicy = UpkeepPolicy()
    # a native YouTube channel's new videos told to its WebSub subscribers (none: no one told)
    announce: Announce | None = None

    def fan_out_tick(self, job: Job, checkpoint: Checkpoint) -> FanOut:
        """The accounts enabled long enough before the tick, in chunks of fanout_size."""
        chunk_kind, settling = _TICKS[job.kind]
        at = AtReference.of(job).reference_time
        with self.engine.uow() as uow:
            accounts = uow.demo.enabled_accounts(at - settling)
        size = self.policy.fanout_size
        chunks = [tuple(accounts[start : start + size]) for start in range(0, len(accounts), size)]
        # progress is counted in accounts, the parent's the sum of its chunks'
        return FanOut(
            [
                NewJob(
                    chunk_kind, params=TickChunk(at, chunk).to_params(), progress_total=len(chunk)
                )
                for chunk in chunks
            ]
        )

    def _taking_part(self, job: Job) -> tuple[TickChunk, list[DemoProfile], int]:
        """The chunk's accounts still on and enabled long enough; and how many were left out
        (they count as done in the chunk's progress, which is in accounts)."""
        chunk = TickChunk.of(job)
        enabled_before = chunk.reference_time - _SETTLING[job.kind]
        with self.engine.uow() as uow:
            profiles = [
                p
                for p in uow.demo.profiles(chunk.accounts)
                if p.enabled_at is not None and p.enabled_at <= enabled_before
            ]
        return chunk, profiles, len(chunk.accounts) - len(profiles)

    def run_daily_content(self, job: Job, checkpoint: Checkpoint) -> dict[str, Any]:
        """New posts for each account of the chunk."""
        chunk, profiles, skipped = self._taking_part(job)
        clock = self.engine.clock

        def store(uow: UnitOfWork, part: Sequence[tuple[Platform, Content]]) -> int:
            stored = 0
            for platform in {p for p, _ in part}:
                content = [c for p, c in part if p is platform]
                stored += uow.demo.add_content(content, platform, clock.now())
            return stored

        made: dict[UUID, Sequence[Content]] = {}

        def new_posts(profile: DemoProfile) -> list[tuple[Platform, Content]]:
            posts = made[profile.account_id] = generate_daily_content(profile, chunk.reference_time)
            return [(profile.platform, c) for c in posts]

        generated, stored = in_batches(
            self.engine.uow,
            self.policy.batch_size,
            profiles,
            skipped,
            new_posts,
            lambda _: "content",
            store,
            "content",
            checkpoint,
        )
        announced = 0
        for profile in profiles:  # once stored: a subscriber may ask the Data API about it
            videos = made.get(profile.account_id)
            if self.announce is not None and videos and announces(profile):
                announced += self.announce(profile, videos)
        return {
            "accounts": len(profiles),
            "skipped": skipped,
            "generated": {"content": 0} | generated,
            "stored": {"content": stored},
            "announced": announced,
        }

    def run_ongoing_interactions(self, job: Job, checkpoint: Checkpoint) -> dict[str, Any]:
        """Comments on each account's newest content and DMs at its rate, stored a committed
        batch at a time, then delivered."""
        chunk, profiles, skipped = self._taking_part(job)
        clock = self.engine.clock
        with self.engine.uow() as uow:
            content = uow.demo.content_of([p.account_id for p in profiles])
        by_account: dict[UUID, list[Content]] = {}
        for c in content:
            by_account.setdefault(c.account_id, []).append(c)

        size = len(profiles) + skipped

        def delivering(phase: str, done: int, total: int | None) -> None:
            checkpoint(phase, size, size)  # heartbeat and cancel; progress stays in accounts

        # each batch sent, then stored as it went
        with StraightSend.of(self.deliverer, job) as straight:
            generated, stored = in_batches(
                self.engine.uow,
                self.policy.batch_size,
                profiles,
                skipped,
                lambda profile: generate_tick(
                    profile, chunk.reference_time, by_account.get(profile.account_id, ())
                ),
                lambda item: item.kind.value,
                lambda uow, _: straight.store(uow, clock.now()),
                "interactions",
                checkpoint,
                straight.send,
            )
            delivery = straight.finish(delivering, [p.account_id for p in profiles])
        return {
            "accounts": len(profiles),
            "skipped": skipped,
            "generated": {InteractionKind.COMMENT.value: 0, InteractionKind.DM.value: 0}
            | generated,
            "stored": stored,  # new this run: less than generated when resuming
            "delivery": delivery,
        }

    def run_cleanup(self, job: Job, checkpoint: Checkpoint) -> dict[str, Any]:
        """Demo data older than the retention period, on both sides, and the record of jobs
        that finished before it, a committed batch at a time."""
        before = AtReference.of(job).reference_time - self.policy.retention
        size = self.policy.batch_size
        with self.engine.uow() as uow:
            total = uow.retention.count_expired(before)
        deleted = delete_in_batches(
            self.engine.uow,
            lambda uow: total,
            lambda uow: uow.retention.delete_expired(before, size),
            "cleanup",
            checkpoint,
        )
        # the inbox's comments thread by thread, walking on past threads still answered
        after: Keyset | None = None
        while True:
            with self.engine.uow() as uow:
                n, after = uow.retention.delete_expired_threads(before, size, after)
                uow.commit()
            deleted += n
            checkpoint("cleanup", deleted, max(total, deleted))
            if after is None:
                return {"deleted": deleted, "before": before.isoformat()}
