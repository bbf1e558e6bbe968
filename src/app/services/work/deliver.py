"""Delivery: the outbox leaves as signed webhook batches, at least once; the receiver's
idempotency makes each interaction land exactly once."""

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import UUID

from app.domain.delivery import batch_webhook_id, is_spent, next_attempt_delay
from app.domain.jobs import Job
from app.services.ports import Clock, Metrics, NoMetrics, UnitOfWorkFactory, WebhookSender
from app.services.work.engine import Checkpoint


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    batch_size: int = 100
    max_attempts: int = 8
    # longer than one send can take, so a live worker keeps its claim
    lease: timedelta = timedelta(seconds=120)


@dataclass(frozen=True)
class Deliverer:
    uow: UnitOfWorkFactory
    sender: WebhookSender
    clock: Clock
    policy: DeliveryPolicy = DeliveryPolicy()
    rng: random.Random = field(default_factory=random.Random)
    metrics: Metrics = field(default_factory=NoMetrics)

    def deliver_due(
        self, job: Job, checkpoint: Checkpoint, accounts: Sequence[UUID] | None
    ) -> dict[str, Any]:
        """Send what is due (for these accounts, or all), batch by batch, until nothing is; a
        failed batch is rescheduled and the next one goes on. Each claim commits before its
        HTTP call; each outcome commits after."""
        clock, policy = self.clock, self.policy
        with self.uow() as uow:
            uow.outbox.expire_leases(clock.now())  # a dead worker's claims are due again
            total = uow.outbox.count_due(clock.now(), accounts)
            uow.commit()
        sent = dead = rescheduled = batches = 0
        checkpoint("deliver", 0, total)
        while True:
            now = clock.now()
            with self.uow() as uow:
                batch = uow.outbox.claim_due(
                    job.id, now, policy.batch_size, now + policy.lease, accounts
                )
                uow.commit()
            if not batch:
                break
            ids = [item.id for item in batch]
            outcome = self.sender.send(batch_webhook_id(batch), batch)
            now = clock.now()
            counted = {"sent": 0, "dead": 0, "rescheduled": 0}
            with self.uow() as uow:
                if outcome.ok:
                    counted["sent"] = uow.outbox.mark_sent(job.id, ids, now)
                elif outcome.permanent:
                    error = outcome.error or "permanent failure"
                    counted["dead"] = uow.outbox.mark_dead(job.id, ids, error)
                else:
                    error = outcome.error or "failed"
                    spent = [i.id for i in batch if is_spent(i.attempts, policy.max_attempts)]
                    again = [i.id for i in batch if not is_spent(i.attempts, policy.max_attempts)]
                    delay = next_attempt_delay(
                        max(item.attempts for item in batch), self.rng, outcome.retry_after
                    )
                    counted["dead"] = uow.outbox.mark_dead(job.id, spent, error)
                    counted["rescheduled"] = uow.outbox.reschedule(
                        job.id, again, now + delay, error
                    )
                uow.commit()
            for what, n in counted.items():
                if n:
                    self.metrics.delivery_attempted(what, n)
            sent, dead = sent + counted["sent"], dead + counted["dead"]
            rescheduled += counted["rescheduled"]
            batches += 1
            checkpoint("deliver", sent + dead, max(total, sent + dead))
        return {"sent": sent, "failed": dead, "rescheduled": rescheduled, "batches": batches}
