"""Delivery: the outbox leaves as signed webhook batches, at least once; the receiver's
idempotency makes each interaction land exactly once."""

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from app.domain.delivery import (
    Claim,
    DeliveryStatus,
    Key,
    OutboxInteraction,
    batch_webhook_id,
    delivery_order,
    in_messages,
    is_spent,
    next_attempt_delay,
)
from app.domain.inbox import WebhookInteraction
from app.domain.jobs import Job
from app.services.ports import (
    Clock,
    Metrics,
    NoMetrics,
    UnitOfWork,
    UnitOfWorkFactory,
    WebhookSender,
)
from app.services.work.batches import store_interactions
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
            counted = self._send(job, batch)
            sent, dead = sent + counted["sent"], dead + counted["dead"]
            rescheduled += counted["rescheduled"]
            batches += 1
            checkpoint("deliver", sent + dead, max(total, sent + dead))
        return {"sent": sent, "failed": dead, "rescheduled": rescheduled, "batches": batches}

    def _send(self, job: Job, batch: Sequence[OutboxInteraction]) -> dict[str, int]:
        """One message out, and its outcome committed: sent, dead letters, or due again
        after a backoff. Returns how many rows went which way."""
        policy = self.policy
        ids = [item.id for item in batch]
        outcome = self.sender.send(batch_webhook_id(batch), batch)
        now = self.clock.now()
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
                counted["rescheduled"] = uow.outbox.reschedule(job.id, again, now + delay, error)
            uow.commit()
        for what, n in counted.items():
            if n:
                self.metrics.delivery_attempted(what, n)
        counted["ok"] = int(outcome.ok)
        return counted

    def straight(self, job: Job, follows: Mapping[Key, Key] | None = None) -> "StraightSend":
        """For a job that delivers what it generates: see StraightSend."""
        return StraightSend(self, job, dict(follows or {}))


@dataclass
class StraightSend:
    """A job's new rows delivered straight from what it generated, without reading them back:
    stored already claimed by the job (`store`, in the batch's transaction), sent after the
    commit (`send`) in messages that put each after what it follows (`in_messages`); a last
    message with room left waits for the next batch to fill it. What it cannot vouch for,
    because what it follows was stored before this job or was not sent, is stored queued, for
    the claims of `deliver_due` (`finish`); after a message fails, so is everything after it.
    `follows` starts with what the caller knows beyond a batch (a conversation split over two
    batches) and learns each batch's own."""

    deliverer: Deliverer
    job: Job
    follows: dict[Key, Key]
    sent: set[Key] = field(default_factory=set)
    counted: Counter[str] = field(default_factory=Counter)
    failed: bool = False
    _begun: list[OutboxInteraction] = field(default_factory=list)  # a message with room left
    _next: list[list[OutboxInteraction]] = field(default_factory=list)

    def store(self, uow: UnitOfWork, items: Sequence[WebhookInteraction], now: datetime) -> int:
        """The batch into the outbox, what can go straight claimed by the job; how many rows
        were new."""
        for key, before in delivery_order(items).items():
            self.follows.setdefault(key, before)
        size, lease = self.deliverer.policy.batch_size, self.deliverer.policy.lease
        begun = [row.data for row in self._begun]
        messages = (
            [] if self.failed else in_messages(items, self.follows, self.sent, size, begun)[0]
        )
        going = {i.key for m in messages for i in m} - {i.key for i in begun}
        claim = Claim(self.job.id, now + lease, frozenset(going))
        added = store_interactions(uow, items, now, claim)
        if not claim.keys <= added.keys():  # some were there already: only what is new goes
            new = [i for i in items if i.key in added]
            messages = in_messages(new, self.follows, self.sent, size, begun)[0]
            going = {i.key for m in messages for i in m} - {i.key for i in begun}
            uow.outbox.unclaim(self.job.id, [added[k] for k in claim.keys - going if k in added])
        rows = {row.data.key: row for row in self._begun}
        for message in messages:
            for i in message:
                if i.key not in rows:
                    rows[i.key] = _claimed(added[i.key], i, now, claim.lease_until, self.job.id)
        self._begun = []
        self._next = [[rows[i.key] for i in message] for message in messages]
        return len(added)

    def send(self) -> None:
        """After the store's commit: its messages in order, but a last one with room left,
        until one fails; what the failed one held back is queued again, for the claims."""
        messages, self._next = self._next, []
        if messages and len(messages[-1]) < self.deliverer.policy.batch_size:
            self._begun = messages.pop()
        self._send_all(messages)

    def finish(self, checkpoint: Checkpoint, accounts: Sequence[UUID] | None) -> dict[str, Any]:
        """The last message, then what could not go straight (and what an earlier attempt
        left) through deliver_due; the whole delivery's counts."""
        begun, self._begun = self._begun, []
        self._send_all([begun] if begun else [])
        delivered = self.deliverer.deliver_due(self.job, checkpoint, accounts)
        return {what: n + self.counted[what] for what, n in delivered.items()}

    def _send_all(self, messages: list[list[OutboxInteraction]]) -> None:
        for n, message in enumerate(messages):
            counted = self.deliverer._send(self.job, message)
            self.counted.update(
                sent=counted["sent"],
                failed=counted["dead"],
                rescheduled=counted["rescheduled"],
                batches=1,
            )
            if not counted["ok"]:
                self.failed = True
                rest = [item.id for later in [*messages[n + 1 :], self._begun] for item in later]
                self._begun = []
                with self.deliverer.uow() as uow:
                    uow.outbox.unclaim(self.job.id, rest)
                    uow.commit()
                return
            self.sent.update(item.data.key for item in message)


def _claimed(
    id_: UUID, item: WebhookInteraction, now: datetime, lease_until: datetime, job_id: UUID
) -> OutboxInteraction:
    """The row as the store left it, claimed by the job: its first attempt."""
    return OutboxInteraction(
        id_, item, DeliveryStatus.SENDING, 1, now, lease_until, job_id, None, None
    )
