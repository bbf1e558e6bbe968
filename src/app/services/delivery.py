"""Deliveries as users see them: dead letters, redelivering them, delivery jobs."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from app.domain.jobs import Job, JobKind, NewJob, Redelivery
from app.services.work import Checkpoint, Deliverer, Idempotency, JobEngine


@dataclass(frozen=True)
class DeliveryService:
    engine: JobEngine
    deliverer: Deliverer

    def redeliver(
        self, account_id: UUID | None, idempotency: Idempotency | None = None
    ) -> tuple[Job, bool]:
        """Dead letters back to the queue with fresh attempts, and a delivery job for them,
        in one transaction."""
        with self.engine.uow() as uow:
            requeued = uow.outbox.requeue_failed(self.engine.clock.now(), account_id)
            new = NewJob(
                JobKind.DELIVER, account_id=account_id, params=Redelivery(requeued).to_params()
            )
            job, created = self.engine.add(uow, new, idempotency)
            if created:
                uow.commit()
        if created:
            self.engine.enqueue_soon(job)
        return job, created

    def pace(self) -> Job | None:
        """The scheduler's pass: a delivery job when items a scenario run scheduled have come
        due and no delivery is on its way, so they leave within a pass of their time (the
        sweeper, a minute apart, is for what was stranded)."""
        engine = self.engine
        with engine.uow() as uow:
            now = engine.clock.now()
            if not uow.outbox.count_scheduled_due(now) or uow.jobs.count_unfinished(
                JobKind.DELIVER
            ):
                return None
            job, _ = engine.add(uow, NewJob(JobKind.DELIVER, params={"paced": True}))
            uow.commit()
        engine.enqueue_soon(job)
        return job

    def deliver(self, job: Job, checkpoint: Checkpoint) -> dict[str, Any]:
        """The delivery job: what is due, of its account or of all."""
        return self.deliverer.deliver_due(
            job, checkpoint, [job.account_id] if job.account_id else None
        )
