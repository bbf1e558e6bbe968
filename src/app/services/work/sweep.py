"""The sweeper: puts back on its way whatever a dead worker or a lost queue left behind."""

import logging
from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID

from app.domain.jobs import Job, JobKind, NewJob
from app.services.ports import QueueUnavailableError
from app.services.work.engine import Checkpoint, JobEngine

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SweepReport:
    leases_expired: int
    jobs_lost: int
    jobs_retried: int
    jobs_requeued: int
    delivery_job: UUID | None


@dataclass(frozen=True)
class Sweeper:
    engine: JobEngine

    def sweep(self) -> SweepReport:
        """Expired leases, jobs whose heartbeat stopped (failed, and retried up to the
        bound), queued jobs the queue lost, and rows left due with no delivery on its way."""
        engine, policy = self.engine, self.engine.policy
        now = engine.clock.now()
        retries: list[Job] = []
        # parents to settle: of lost children that will not be retried, and parents whose
        # children all ended while nothing rolled them up (a worker died in between)
        settle: set[UUID] = set()
        with engine.uow() as uow:
            leases_expired = uow.outbox.expire_leases(now)
            lost = []
            for job in uow.jobs.stale_running(now - policy.heartbeat_timeout):
                if uow.jobs.children_states(job.id):
                    settle.add(job.id)
                else:
                    lost.append(job)
            uow.outbox.release_claims([job.id for job in lost])
            for job in lost:
                seen = job.heartbeat_at.isoformat() if job.heartbeat_at else "never"
                failed = job.fail(
                    f"worker lost: no heartbeat since {seen} "
                    f"(attempt {job.attempt} of {policy.max_attempts})",
                    now,
                )
                uow.jobs.save(failed)
                if job.attempt < policy.max_attempts:
                    retries.append(uow.jobs.add(failed.retry(), now))
                elif job.parent_id is not None:
                    settle.add(job.parent_id)
            uow.commit()
        for job in retries:
            engine.enqueue_soon(job)
        for parent_id in settle:
            engine.roll_up(parent_id)

        with engine.uow() as uow:
            queued = uow.jobs.queued_before(now - policy.requeue_after)
        requeued = 0
        try:
            for job_id in queued:
                if not engine.queue.knows(job_id):
                    engine.queue.enqueue(job_id)
                    requeued += 1
        except QueueUnavailableError as exc:
            log.warning("sweeper cannot reach the queue: %s", exc)

        delivery_job = None
        with engine.uow() as uow:
            # rows due for a while: ones just queued by a running job are on their way already
            stranded = uow.outbox.count_due(now - policy.requeue_after)
            if stranded and not uow.jobs.count_unfinished(JobKind.DELIVER):
                delivery_job, _ = engine.add(uow, NewJob(JobKind.DELIVER))
                uow.commit()
        if delivery_job is not None:
            engine.enqueue_soon(delivery_job)
        return SweepReport(
            leases_expired=leases_expired,
            jobs_lost=len(lost),
            jobs_retried=len(retries),
            jobs_requeued=requeued,
            delivery_job=delivery_job.id if delivery_job else None,
        )

    def run(self, job: Job, checkpoint: Checkpoint) -> dict[str, Any]:
        """The sweep as a job (the `delivery-sweep` schedule's)."""
        report = asdict(self.sweep())
        report["delivery_job"] = str(report["delivery_job"]) if report["delivery_job"] else None
        return report
