"""Delivery: the outbox leaves as signed webhook batches, at least once; the receiver's
idempotency makes each interaction land exactly once."""

import logging
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from app.config import DEFAULTS, Settings
from app.domain.delivery import (
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

log = logging.getLogger(__name__)


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
        """One message of claimed rows out, and its outcome committed: sent, dead letters, or
        due again after a backoff. Returns how many rows went which way."""
        went = self._attempt(batch)
        counted = {"sent": 0, "dead": 0, "rescheduled": 0}
        with self.uow() as uow:
            outbox = uow.outbox
            if went.sent:
                counted["sent"] = outbox.mark_sent(job.id, _ids(went.sent), went.at)
            if went.dead:
                counted["dead"] = outbox.mark_dead(job.id, _ids(went.dead), went.error)
            if went.again:
                due = went.at + went.delay
                counted["rescheduled"] = outbox.reschedule(
                    job.id, _ids(went.again), due, went.error
                )
            uow.commit()
        self._count(counted)
        counted["ok"] = int(went.ok)
        return counted

    def _attempt(self, batch: Sequence[OutboxInteraction]) -> "_Went":
        """One message out (its rows' attempt counted in `attempts`); what the outcome means
        for each row."""
        outcome = self.sender.send(batch_webhook_id(batch), batch)
        at = self.clock.now()
        if outcome.ok:
            return _Went(at, True, sent=list(batch))
        if outcome.permanent:
            return _Went(at, False, dead=list(batch), error=outcome.error or "permanent failure")
        spent = self.policy.max_attempts
        delay = next_attempt_delay(max(i.attempts for i in batch), self.rng, outcome.retry_after)
        return _Went(
            at,
            False,
            dead=[i for i in batch if is_spent(i.attempts, spent)],
            again=[i for i in batch if not is_spent(i.attempts, spent)],
            error=outcome.error or "failed",
            delay=delay,
        )

    def _count(self, counted: Mapping[str, int]) -> None:
        for what, n in counted.items():
            if n:
                self.metrics.delivery_attempted(what, n)

    def straight(self, job: Job, follows: Mapping[Key, Key] | None = None) -> "StraightSend":
        """For a job that delivers what it generates: see StraightSend."""
        return StraightSend(self, job, dict(follows or {}))


@dataclass(frozen=True)
class _Went:
    """How one message went, row by row."""

    at: datetime
    ok: bool
    sent: list[OutboxInteraction] = field(default_factory=list)
    dead: list[OutboxInteraction] = field(default_factory=list)
    again: list[OutboxInteraction] = field(default_factory=list)  # due again after `delay`
    error: str = ""
    delay: timedelta = timedelta(0)


def _stored_as(
    row: OutboxInteraction,
    status: DeliveryStatus,
    *,
    sent_at: datetime | None = None,
    due: datetime | None = None,
    error: str | None = None,
) -> OutboxInteraction:
    """A row sent before it was stored, as its message left it (built, not replace()d: this
    runs for every row a job sends)."""
    due = due or row.next_attempt_at
    return OutboxInteraction(
        row.id, row.data, status, row.attempts, due, None, None, error, sent_at
    )


def _ids(rows: Sequence[OutboxInteraction]) -> list[UUID]:
    return [row.id for row in rows]


@dataclass
class StraightSend:
    """A job's new rows delivered straight from what it generated, each row written once:
    `send` (before the batch's transaction) puts the batch on its way in messages that never
    put an item before what it follows (`in_messages`), and `store` (in a transaction) stores
    every row as its message left it: sent, or due again or dead after the message failed.
    The messages go out one at a time, in order, from a thread of their own while the job
    goes on (the next batch generated and checked, the last one stored), so a batch is
    stored with the next one, once its messages have come back. A last message with room
    left waits for the next batch to fill it. What cannot go straight, because what it
    follows was stored before this job or was not sent, is stored queued, for the claims of
    `deliver_due` (`finish`); after a message fails, so is everything after it, and the
    messages behind it are not sent. What an earlier attempt stored is left as it is. A
    crash between a send and its store costs a re-send on the retry, which the receiver
    takes as duplicates. `follows` starts with what the caller knows beyond a batch (a
    conversation split over two batches) and learns each batch's own. Use it in a `with`
    block: leaving it waits for what is on its way and stores it (see __exit__)."""

    deliverer: Deliverer
    job: Job
    follows: dict[Key, Key]
    sent: set[Key] = field(default_factory=set)  # sent, or on its way ahead of what follows
    counted: Counter[str] = field(default_factory=Counter)
    failed: bool = False  # a message came back failed
    _unstored: list[WebhookInteraction] = field(default_factory=list)  # new, not stored yet
    _went: dict[Key, OutboxInteraction] = field(default_factory=dict)  # how each sent one went
    _begun: list[OutboxInteraction] = field(default_factory=list)  # a message with room left
    _new: int = 0  # of the last batch sent
    _for_claims: bool = False  # something was held back, or stored by an earlier attempt
    _latest: set[Key] = field(default_factory=set)  # the last batch's: stored with the next
    _on_the_way: list[tuple[list[OutboxInteraction], "Future[_Went | None]"]] = field(
        default_factory=list
    )  # oldest first
    _outbox: "_Messages | None" = None

    def __enter__(self) -> "StraightSend":
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        """However the job leaves (finished, or cancelled or handed back at a checkpoint),
        what it put on its way comes back and is stored as it went, as the checkpoint left
        it; a message with room left is not sent. When that cannot be stored (the database
        is away), the retry stores it."""
        if self._outbox is None:
            return
        try:
            self._flush()
        except Exception as exc:
            if kind is None:
                raise
            log.warning("job %s: what it sent last is left to its retry: %s", self.job.id, exc)
        finally:
            self._outbox.close()

    def send(self, items: Sequence[WebhookInteraction]) -> None:
        """Before the batch's transaction: what is new of it on its way, in messages, in
        order, but a last one with room left, unless a message has failed."""
        for key, before in delivery_order(items).items():
            self.follows.setdefault(key, before)
        with self.deliverer.uow() as uow:
            there = uow.outbox.existing([i.key for i in items])
        new = [i for i in items if i.key not in there]
        self._new = len(new)
        self._unstored += new
        self._for_claims = self._for_claims or bool(there)
        self._collect(wait=False)
        self._latest = {i.key for i in new} | {row.data.key for row in self._begun}
        if self.failed:
            return
        size, now = self.deliverer.policy.batch_size, self.deliverer.clock.now()
        begun = {row.data.key: row for row in self._begun}
        messages, held = in_messages(
            new, self.follows, self.sent, size, [r.data for r in self._begun]
        )
        self._for_claims = self._for_claims or bool(held)
        rows = [[begun.get(i.key) or self._in_flight(i, now) for i in m] for m in messages]
        self._begun = rows.pop() if rows and len(rows[-1]) < size else []
        self._post(rows)

    def store(self, uow: UnitOfWork, now: datetime) -> int:
        """In a batch's transaction: every new row whose message has come back (waiting for
        those of earlier batches), as its delivery left it; the last batch's rows, and those
        of a message still to fill, wait for the next store. Returns how many of the last
        batch sent were new."""
        self._collect(wait=True, but_latest=True)
        waiting = self._latest | {row.data.key for row in self._begun}
        items = [i for i in self._unstored if i.key not in waiting]
        self._unstored = [i for i in self._unstored if i.key in waiting]
        store_interactions(
            uow, items, now, {i.key: self._went.pop(i.key) for i in items if i.key in self._went}
        )
        return self._new

    def finish(self, checkpoint: Checkpoint, accounts: Sequence[UUID] | None) -> dict[str, Any]:
        """The last message, every row as its message left it, then what could not go
        straight (and what an earlier attempt left) through deliver_due; the whole
        delivery's counts. When all went straight there is nothing of this job's for the
        claims, and no claim is tried."""
        begun, self._begun = self._begun, []
        if not self.failed:
            self._post([begun] if begun else [])
        self._flush()
        if not (self.failed or self._for_claims):
            went = self.counted["sent"] + self.counted["failed"]
            checkpoint("deliver", went, went)
            return {
                what: self.counted[what] for what in ("sent", "failed", "rescheduled", "batches")
            }
        delivered = self.deliverer.deliver_due(self.job, checkpoint, accounts)
        return {what: n + self.counted[what] for what, n in delivered.items()}

    def _flush(self) -> None:
        """Every message on its way back, and every row stored but a message's still to fill."""
        self._collect(wait=True)
        self._latest = set()
        if self._unstored:
            with self.deliverer.uow() as uow:
                self.store(uow, self.deliverer.clock.now())
                uow.commit()

    def _in_flight(self, item: WebhookInteraction, now: datetime) -> OutboxInteraction:
        """A row on its way before it is stored: its first attempt."""
        return OutboxInteraction(
            uuid4(), item, DeliveryStatus.SENDING, 1, now, None, self.job.id, None, None
        )

    def _post(self, messages: list[list[OutboxInteraction]]) -> None:
        if not messages:
            return
        if self._outbox is None:
            self._outbox = _Messages(self.deliverer)
        for message in messages:
            self._on_the_way.append((message, self._outbox.post(message)))
            self.sent.update(row.data.key for row in message)

    def _collect(self, *, wait: bool, but_latest: bool = False) -> None:
        """How the messages that came back went, oldest first: all of them but the last
        batch's (waiting for them), or (without waiting) those back already."""
        while self._on_the_way:
            message, outcome = self._on_the_way[0]
            if but_latest and message[0].data.key in self._latest:
                break
            if not wait and not outcome.done():
                break
            self._on_the_way.pop(0)
            went = outcome.result()
            if went is not None:  # None: not sent, a message before it failed
                self._record(went)

    def _record(self, went: _Went) -> None:
        for row in went.sent:
            self._went[row.data.key] = _stored_as(row, DeliveryStatus.SENT, sent_at=went.at)
        for row in went.dead:
            self._went[row.data.key] = _stored_as(row, DeliveryStatus.FAILED, error=went.error)
        for row in went.again:
            self._went[row.data.key] = _stored_as(
                row, DeliveryStatus.QUEUED, due=went.at + went.delay, error=went.error
            )
        counted = {"sent": len(went.sent), "dead": len(went.dead), "rescheduled": len(went.again)}
        self.deliverer._count(counted)
        self.counted.update(
            sent=counted["sent"],
            failed=counted["dead"],
            rescheduled=counted["rescheduled"],
            batches=1,
        )
        if not went.ok:  # the rest is stored queued, for the claims
            self.failed, self._begun = True, []


class _Messages:
    """One thread sending messages in the order they were posted; after one fails, the
    ones behind it are not sent (None)."""

    def __init__(self, deliverer: Deliverer) -> None:
        self._deliverer = deliverer
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="straight-send")
        self._stopped = False

    def post(self, message: list[OutboxInteraction]) -> "Future[_Went | None]":
        return self._thread.submit(self._attempt, message)

    def close(self) -> None:
        """What has not gone yet stays unsent; waits for the one on its way."""
        self._stopped = True
        self._thread.shutdown(wait=True, cancel_futures=True)

    def _attempt(self, message: list[OutboxInteraction]) -> _Went | None:
        if self._stopped:
            return None
        went = self._deliverer._attempt(message)
        self._stopped = not went.ok
        return went
