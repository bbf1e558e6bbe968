"""Delivery: the outbox leaves as signed webhook batches, at least once; the receiver's
idempotency makes each interaction land exactly once."""

import random
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from app.config import DEFAULTS, Settings
from app.domain.delivery import (
    Attempt,
    DeliveryStatus,
    OutboxInteraction,
    Reply,
    batch_webhook_id,
    is_spent,
    next_attempt_delay,
)
from app.domain.jobs import Job
from app.services.ports import (
    Clock,
    Metrics,
    NoMetrics,
    OpenPipe,
    UnitOfWorkFactory,
    WebhookSender,
)
from app.services.work.engine import Checkpoint


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    batch_size: int = DEFAULTS.delivery_batch_size
    max_attempts: int = DEFAULTS.webhook_max_attempts
    # longer than one send can take, so a live worker keeps its claim
    lease: timedelta = timedelta(seconds=120)

    @classmethod
    def of(cls, settings: Settings) -> "DeliveryPolicy":
        return cls(
            batch_size=settings.delivery_batch_size, max_attempts=settings.webhook_max_attempts
        )


@dataclass(frozen=True)
class Deliverer:
    uow: UnitOfWorkFactory
    sender: WebhookSender
    clock: Clock
    pipes: OpenPipe  # for the messages of a job that delivers what it generates
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
        counted: Counter[str] = Counter()
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
            counted.update(self._send(job, batch))
            went = counted["sent"] + counted["failed"]
            checkpoint("deliver", went, max(total, went))
        return {what: counted[what] for what in COUNTS}

    def _send(self, job: Job, batch: Sequence[OutboxInteraction]) -> dict[str, int]:
        """One message of claimed rows out, and its outcome committed: sent, failed (dead
        letters), or due again after a backoff. Returns how many rows went which way."""
        webhook_id = batch_webhook_id(batch)
        reply = Reply(self.sender.send(webhook_id, batch), self.clock.now())
        went = self.judge(batch, reply)
        counted = dict.fromkeys(("sent", "failed", "rescheduled"), 0)
        with self.uow() as uow:
            outbox = uow.outbox
            outbox.record_attempts([Attempt.of(webhook_id, len(batch), reply)])
            if went.sent:
                counted["sent"] = outbox.mark_sent(job.id, _ids(went.sent), went.at)
            if went.failed:
                counted["failed"] = outbox.mark_failed(job.id, _ids(went.failed), went.error)
            if went.again:
                due = went.at + went.delay
                counted["rescheduled"] = outbox.reschedule(
                    job.id, _ids(went.again), due, went.error
                )
            uow.commit()
        self.count(counted)
        return counted | {"batches": 1}

    def judge(self, message: Sequence[OutboxInteraction], reply: Reply) -> "Went":
        """What a message's reply means for each of its rows (their attempt counted)."""
        outcome, at = reply.outcome, reply.at
        if outcome.ok:
            return Went(at, True, sent=list(message))
        if outcome.permanent:
            return Went(at, False, failed=list(message), error=outcome.error or "permanent failure")
        spent = self.policy.max_attempts
        delay = next_attempt_delay(max(i.attempts for i in message), self.rng, outcome.retry_after)
        return Went(
            at,
            False,
            failed=[i for i in message if is_spent(i.attempts, spent)],
            again=[i for i in message if not is_spent(i.attempts, spent)],
            error=outcome.error or "failed",
            delay=delay,
        )

    def count(self, counted: Mapping[str, int]) -> None:
        for what, n in counted.items():
            if n:
                self.metrics.delivery_attempted(what, n)


COUNTS = ("sent", "failed", "rescheduled", "batches")  # a delivery's result


@dataclass(frozen=True)
class Went:
    """How one message went, row by row."""

    at: datetime
    ok: bool
    sent: list[OutboxInteraction] = field(default_factory=list)
    failed: list[OutboxInteraction] = field(default_factory=list)  # dead letters
    again: list[OutboxInteraction] = field(default_factory=list)  # due again after `delay`
    error: str = ""
    delay: timedelta = timedelta(0)

    def counted(self) -> dict[str, int]:
        return {"sent": len(self.sent), "failed": len(self.failed), "rescheduled": len(self.again)}

    def as_stored(self) -> Iterator[OutboxInteraction]:
        """Each row as its message left it, for a row sent before it was stored (built, not
        replace()d: this runs for every row a job sends)."""
        for row in self.sent:
            yield _stored_as(row, DeliveryStatus.SENT, row.next_attempt_at, None, self.at)
        for row in self.failed:
            yield _stored_as(row, DeliveryStatus.FAILED, row.next_attempt_at, self.error, None)
        due = self.at + self.delay
        for row in self.again:
            yield _stored_as(row, DeliveryStatus.QUEUED, due, self.error, None)


def _stored_as(
    row: OutboxInteraction,
    status: DeliveryStatus,
    due: datetime,
    error: str | None,
    sent_at: datetime | None,
) -> OutboxInteraction:
    return OutboxInteraction(
        row.id, row.data, status, row.attempts, due, None, None, error, sent_at
    )


def _ids(rows: Sequence[OutboxInteraction]) -> list[UUID]:
    return [row.id for row in rows]
