"""Background work as users see it: look at jobs, cancel them, retry them."""

from contextlib import suppress
from dataclasses import dataclass
from uuid import UUID

from app.domain.errors import NotFoundError
from app.domain.jobs import Job, JobStatus
from app.services.ports import QueueUnavailableError, UnitOfWork
from app.services.work import Idempotency, JobEngine


def existing_job(uow: UnitOfWork, job_id: UUID, *, lock: bool = False) -> Job:
    job = uow.jobs.get(job_id, lock=lock)
    if job is None:
        raise NotFoundError(f"no job {job_id}")
    return job


@dataclass(frozen=True)
class JobService:
    engine: JobEngine

    def get(self, job_id: UUID) -> Job:
        with self.engine.uow() as uow:
            return existing_job(uow, job_id)

    def cancel(self, job_id: UUID) -> Job:
        """Queued: cancelled now and taken off the queue. Running: stops at its next
        checkpoint. A job that fanned out cancels its children the same way and ends when
        they have."""
        now = self.engine.clock.now()
        with self.engine.uow() as uow:
            job = existing_job(uow, job_id, lock=True).request_cancel(now)
            uow.jobs.save(job)
            stopped = [job] if job.status is JobStatus.CANCELLED else []
            for child in uow.jobs.children(job_id, lock=True):
                if not child.status.is_final:
                    child = child.request_cancel(now)
                    uow.jobs.save(child)
                    stopped += [child] if child.status is JobStatus.CANCELLED else []
            uow.commit()
        # if the queue is down, a worker that still gets an id finds its job cancelled
        with suppress(QueueUnavailableError):
            for stopped_job in stopped:
                self.engine.queue.remove(stopped_job.id)
        self.engine.roll_up(job.id)
        if job.parent_id is not None:
            self.engine.roll_up(job.parent_id)
        return self.get(job_id)

    def retry(self, job_id: UUID, idempotency: Idempotency | None = None) -> tuple[Job, bool]:
        """A new job doing the same work, resuming from what the first one stored."""
        with self.engine.uow() as uow:
            retry, created = self.engine.add(uow, existing_job(uow, job_id).retry(), idempotency)
            uow.commit()
        if created:
            self.engine.enqueue_soon(retry)
        return retry, created
