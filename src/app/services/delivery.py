"""Delivery: the outbox leaves as signed webhook batches, at least once; the receiver's
idempotency makes each interaction land exactly once."""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from app.domain.delivery import (
    DeliveryStatus,
    OutboxInteraction,
    batch_webhook_id,
    next_attempt_delay,
)
from app.domain.jobs import Job, JobKind, NewJob
from app.domain.pagination import Cursor, Page
from app.services.jobs import Checkpoint, Idempotency, add_job, enqueue_soon
from app.services.ports import Clock, JobQueue, UnitOfWorkFactory, WebhookSender


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    batch_size: int = 100
    max_attempts: int = 8
    # longer than one send can take, so a live worker keeps its claim
    lease: timedelta = timedelta(seconds=120)


def deliver_due(
    uow_factory: UnitOfWorkFactory,
    sender: WebhookSender,
    clock: Clock,
    policy: DeliveryPolicy,
    rng: random.Random,
    job: Job,
    checkpoint: Checkpoint,
    accounts: Sequence[UUID] | None,
) -> dict[str, Any]:
    """Send what is due (for these accounts, or all), batch by batch, until nothing is; a failed
    batch is rescheduled and the next one goes on. Each claim commits before its HTTP call;
    each outcome commits after."""
    with uow_factory() as uow:
        uow.outbox.expire_leases(clock.now())  # a dead worker's claims are due again
        total = uow.outbox.count_due(clock.now(), accounts)
        uow.commit()
    sent = dead = rescheduled = batches = 0
    checkpoint("deliver", 0, total)
    while True:
        now = clock.now()
        with uow_factory() as uow:
            batch = uow.outbox.claim_due(
                job.id, now, policy.batch_size, now + policy.lease, accounts
            )
            uow.commit()
        if not batch:
            break
        ids = [item.id for item in batch]
        outcome = sender.send(batch_webhook_id(batch), batch)
        now = clock.now()
        with uow_factory() as uow:
            if outcome.ok:
                sent += uow.outbox.mark_sent(job.id, ids, now)
            elif outcome.permanent:
                dead += uow.outbox.mark_dead(job.id, ids, outcome.error or "permanent failure")
            else:
                delay = next_attempt_delay(
                    max(item.attempts for item in batch), rng, outcome.retry_after
                )
                died = uow.outbox.reschedule(
                    job.id, ids, now + delay, outcome.error or "failed", policy.max_attempts
                )
                dead += died
                rescheduled += len(ids) - died
            uow.commit()
        batches += 1
        checkpoint("deliver", sent + dead, max(total, sent + dead))
    return {"sent": sent, "failed": dead, "rescheduled": rescheduled, "batches": batches}


def list_deliveries(
    uow_factory: UnitOfWorkFactory,
    status: DeliveryStatus,
    after: Cursor | None,
    limit: int,
    account_id: UUID | None = None,
) -> Page[OutboxInteraction]:
    with uow_factory() as uow:
        return uow.outbox.page(status, after, limit, account_id)


def redeliver(
    uow_factory: UnitOfWorkFactory,
    queue: JobQueue,
    clock: Clock,
    account_id: UUID | None,
    idempotency: Idempotency | None = None,
) -> tuple[Job, bool]:
    """Dead letters back to the queue with fresh attempts, and a delivery job for them, in one
    transaction."""
    with uow_factory() as uow:
        requeued = uow.outbox.requeue_failed(clock.now(), account_id)
        job, created = add_job(
            uow,
            clock,
            NewJob(JobKind.DELIVER, account_id=account_id, params={"requeued": requeued}),
            idempotency,
        )
        if created:
            uow.commit()
    if created:
        enqueue_soon(queue, job)
    return job, created
