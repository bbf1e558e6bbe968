"""Demo mode: enable an account, fill its inbox through the live path, disable, purge."""

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from app.domain.apps import FAMILY_OF, PUSHED, NoAppError
from app.domain.delivery import delivery_order
from app.domain.demo import (
    Delivery,
    DemoProfile,
    DemoSizes,
    DmFrequency,
    InvalidHistoryError,
    Persona,
    default_seed,
)
from app.domain.errors import DomainError, NotFoundError
from app.domain.generation import GeneratedDemo, generate_demo
from app.domain.generation.history import generate_history, history_end
from app.domain.generation.initial_batch import Progress
from app.domain.inbox import Platform
from app.domain.jobs import AtReference, Job, JobKind, JobStatus, NewJob
from app.services.ports import QueueUnavailableError, UnitOfWork
from app.services.work import (
    Checkpoint,
    Deliverer,
    Idempotency,
    JobEngine,
    StraightSend,
    delete_in_batches,
)


@dataclass(frozen=True, slots=True)
class EnableDemo:
    """What a caller may choose; what they leave out gets the defaults."""

    platform: Platform = Platform.YOUTUBE
    persona: Persona = Persona.TECH_REVIEWS
    dm_frequency: DmFrequency = DmFrequency.MEDIUM
    seed: int | None = None
    locale: str = "en_US"
    content: int | None = None
    comments: int | None = None
    dms: int | None = None  # default: by dm_frequency
    delivery: Delivery = Delivery.DEMOSIM


@dataclass(frozen=True)
class DemoService:
    engine: JobEngine
    deliverer: Deliverer
    batch_size: int  # rows per committed batch when generating or purging
    retention: timedelta  # how long demo data is kept: the most history a backfill fills

    def enable(
        self, account_id: UUID, request: EnableDemo, idempotency: Idempotency | None = None
    ) -> tuple[Job | None, bool]:
        """The initial batch's job, and whether this call started it (False: demo mode was
        on already, and nothing changed). A request repeated with its Idempotency-Key
        answers as the first did."""
        engine = self.engine
        now = engine.clock.now()
        sizes = DemoSizes(
            content=request.content if request.content is not None else DemoSizes().content,
            comments=request.comments if request.comments is not None else DemoSizes().comments,
            dms=request.dms if request.dms is not None else request.dm_frequency.initial_dms,
        )
        profile = DemoProfile(
            account_id=account_id,
            platform=request.platform,
            persona=request.persona,
            dm_frequency=request.dm_frequency,
            seed=request.seed if request.seed is not None else default_seed(account_id),
            locale=request.locale,
            sizes=sizes,
            enabled_at=now,
            delivery=request.delivery,
            access_token=_access_token() if request.delivery is Delivery.NATIVE else None,
        )
        family = FAMILY_OF[request.platform]
        job = None
        with engine.uow() as uow:
            earlier = engine.earlier(uow, idempotency)
            if earlier is not None:
                return earlier, True
            if (
                request.delivery is Delivery.NATIVE
                and family in PUSHED
                and uow.apps.get(family) is None
            ):
                raise NoAppError(request.platform)
            if uow.demo.enable(profile, now) is not None:
                # the reference time fixes the generated demo: a retry regenerates the same rows
                params = AtReference(now).to_params()
                new = NewJob(JobKind.DEMO_INITIAL_BATCH, account_id=account_id, params=params)
                job, created = engine.add(uow, new, idempotency)
                if not created:  # a concurrent request with the same key enabled it first
                    return job, True
                uow.commit()
        if job is not None:
            engine.enqueue_soon(job)
        return job, job is not None

    def disable(
        self, account_id: UUID, purge: bool, idempotency: Idempotency | None = None
    ) -> Job | None:
        """Off, with the account's unfinished jobs cancelled; with purge, the job deleting
        its data (a purge repeated with its Idempotency-Key answers with the first one's)."""
        engine = self.engine
        now = engine.clock.now()
        with engine.uow() as uow:
            earlier = engine.earlier(uow, idempotency)
            if earlier is not None:
                return earlier
            if uow.demo.disable(account_id, now) is None:
                raise NotFoundError(f"demo mode was never enabled for account {account_id}")
            uow.outbox.withdraw(account_id, None)  # scenario runs' items still to come
            cancelled = []
            for job in uow.jobs.unfinished_for_account(account_id):
                stopped = job.request_cancel(now)
                uow.jobs.save(stopped)
                if stopped.status is JobStatus.CANCELLED:
                    cancelled.append(stopped.id)
            purge_job = None
            if purge:
                new = NewJob(JobKind.DEMO_PURGE, account_id=account_id)
                purge_job, created = engine.add(uow, new, idempotency)
                if not created:  # a concurrent purge with the same key came first
                    return purge_job
            uow.commit()
        for job_id in cancelled:
            try:
                engine.queue.remove(job_id)
            except QueueUnavailableError:
                break  # a worker that still gets one finds it cancelled
        if purge_job is not None:
            engine.enqueue_soon(purge_job)
        return purge_job

    def backfill(self, account_id: UUID, days: int, idempotency: Idempotency | None = None) -> Job:
        """The job filling the account's past `days` up to the ticks' last slot, through the
        live path; the live ticks after it begin where it ends. A request repeated with its
        Idempotency-Key answers with the first one's job."""
        most = self.retention.days
        if not 1 <= days <= most:
            raise InvalidHistoryError(
                f"days must be between 1 and {most} (RETENTION_DAYS: the cleanup schedule "
                f"deletes demo data older than that), got {days}"
            )
        engine = self.engine
        now = engine.clock.now()
        end = history_end(now)
        with engine.uow() as uow:
            earlier = engine.earlier(uow, idempotency)
            if earlier is not None:
                return earlier
            if uow.demo.fill_history(account_id, end, now) is None:
                raise NotFoundError(f"demo mode is off for account {account_id}: enable it first")
            params = {**AtReference(end).to_params(), "days": days}
            job, created = engine.add(
                uow,
                NewJob(JobKind.DEMO_BACKFILL, account_id=account_id, params=params),
                idempotency,
            )
            if not created:  # a concurrent request with the same key came first
                return job
            uow.commit()
        engine.enqueue_soon(job)
        return job

    def run_initial_batch(self, job: Job, checkpoint: Checkpoint) -> dict[str, Any]:
        """generate → content → comments → dms → deliver, a committed batch at a time.
        Resumable: the same profile and reference time regenerate the same rows, and what is
        stored already is skipped."""
        profile = self._enabled(job)
        demo = generate_demo(
            profile, AtReference.of(job).reference_time, profile.sizes, _generating(checkpoint)
        )
        return self._fill(job, profile, demo, checkpoint)

    def run_backfill(self, job: Job, checkpoint: Checkpoint) -> dict[str, Any]:
        """The account's past days, as the schedules would have made them, generate → content
        → comments → dms → deliver; resumable as the initial batch is, and a re-run stores
        nothing new."""
        profile = self._enabled(job)
        history = generate_history(
            profile,
            int(job.params["days"]),
            AtReference.of(job).reference_time,
            _generating(checkpoint),
        )
        return self._fill(job, profile, history, checkpoint)

    def _enabled(self, job: Job) -> DemoProfile:
        assert job.account_id is not None
        with self.engine.uow() as uow:
            profile = uow.demo.get(job.account_id)
        if profile is None or not profile.enabled:
            raise DomainError(f"demo mode is off for account {job.account_id}; nothing to generate")
        return profile

    def _fill(
        self, job: Job, profile: DemoProfile, demo: GeneratedDemo, checkpoint: Checkpoint
    ) -> dict[str, Any]:
        account_id, uow_factory, clock = profile.account_id, self.engine.uow, self.engine.clock

        def store_content(uow: UnitOfWork, part: Sequence[Any]) -> int:
            return uow.demo.add_content(part, profile.platform, clock.now())

        # comments and DMs sent batch by batch, each stored as its message left it; what each
        # follows is known for the whole demo (a conversation may span two batches)
        straight = StraightSend.of(self.deliverer, job, delivery_order([*demo.comments, *demo.dms]))

        def store_outbox(uow: UnitOfWork, part: Sequence[Any]) -> int:
            return straight.store(uow, clock.now())

        def nothing_ahead(part: Sequence[Any]) -> None:
            return None

        stored: dict[str, int] = {}
        phases: list[
            tuple[
                str,
                Sequence[Any],
                Callable[[Sequence[Any]], None],
                Callable[[UnitOfWork, Sequence[Any]], int],
            ]
        ] = [
            ("content", demo.content, nothing_ahead, store_content),
            ("comments", demo.comments, straight.send, store_outbox),
            ("dms", demo.dms, straight.send, store_outbox),
        ]
        size = self.batch_size
        with straight:
            for phase, items, ahead, store in phases:
                stored[phase] = 0
                checkpoint(phase, 0, len(items))
                for start in range(0, len(items), size):
                    part = items[start : start + size]
                    ahead(part)
                    with uow_factory() as uow:
                        stored[phase] += store(uow, part)
                        uow.commit()
                    checkpoint(phase, min(start + size, len(items)), len(items))
            delivered = straight.finish(checkpoint, [account_id])
        return {
            "generated": {phase: len(items) for phase, items, _, _ in phases},
            "stored": stored,  # new this run: less than generated when resuming
            "delivery": delivered,
        }

    def purge(self, job: Job, checkpoint: Checkpoint) -> dict[str, Any]:
        """Delete the account's demo data on both sides, a committed batch at a time."""
        account_id = job.account_id
        assert account_id is not None
        deleted = delete_in_batches(
            self.engine.uow,
            lambda uow: uow.retention.count_demo_rows(account_id),
            lambda uow: uow.retention.purge_batch(account_id, self.batch_size),
            "purge",
            checkpoint,
        )
        return {"deleted": deleted}


def _access_token() -> str:
    """A native account's token for the emulated API: opaque, as Meta's long-lived ones."""
    return "EAAD" + secrets.token_urlsafe(48)


def _generating(checkpoint: Checkpoint) -> Progress:
    """Generation's progress as the job's "generate" phase: its heartbeat, where a cancel or
    a worker's shutdown is heard before anything is written."""
    return lambda done, total: checkpoint("generate", done, total)
