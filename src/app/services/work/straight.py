"""Sending while generating: a job's new rows go out in messages as each batch is generated,
and each row is written once, as its message left it."""

import logging
from collections import Counter, deque
from collections.abc import Mapping, Sequence, Set
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from app.domain.delivery import (
    Attempt,
    DeliveryStatus,
    Key,
    OutboxInteraction,
    Reply,
    batch_webhook_id,
    delivery_order,
    in_messages,
)
from app.domain.inbox import WebhookInteraction
from app.domain.jobs import Job
from app.services.ports import SendPipe, UnitOfWork
from app.services.work.batches import store_interactions
from app.services.work.deliver import COUNTS, Deliverer
from app.services.work.engine import Checkpoint

log = logging.getLogger(__name__)


@dataclass
class StraightSend:
    """A job's new rows delivered straight from what it generated, each row written once:
    `send` (before the batch's transaction) puts the batch on its way in messages that never
    put an item before what it follows (`_Plan`), and `store` (in a transaction) stores every
    row as its message left it: sent, or due again or failed after the message failed.
    The messages go out one at a time, in order, through the sender's pipe while the job
    goes on (the next batch generated and checked, the last one stored), so a batch is
    stored with the next one, once its messages have come back. What cannot go straight,
    because what it follows was stored before this job or was not sent, is stored queued,
    for the claims of `deliver_due` (`finish`); after a message fails, so is everything after
    it, and the messages behind it are not sent. What an earlier attempt stored is left as it
    is. A crash between a send and its store costs a re-send on the retry, which the receiver
    takes as duplicates. Use it in a `with` block: leaving it waits for what is on its way
    and stores it (see __exit__)."""

    deliverer: Deliverer
    job: Job
    plan: "_Plan"
    replies: "_Replies"
    unstored: list[WebhookInteraction] = field(default_factory=list)  # new, not stored yet
    latest: set[Key] = field(default_factory=set)  # the last batch's: stored with the next
    new: int = 0  # of the last batch sent
    for_claims: bool = False  # something was held back, or stored by an earlier attempt

    @classmethod
    def of(
        cls, deliverer: Deliverer, job: Job, follows: Mapping[Key, Key] | None = None
    ) -> "StraightSend":
        return cls(
            deliverer,
            job,
            _Plan(dict(follows or {}), deliverer.policy.batch_size),
            _Replies(deliverer),
        )

    def __enter__(self) -> "StraightSend":
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        """However the job leaves (finished, or cancelled or handed back at a checkpoint),
        what it put on its way comes back and is stored as it went, as the checkpoint left
        it; a message with room left is not sent. When that cannot be stored (the database
        is away), the retry stores it."""
        if self.replies.pipe is None:  # nothing went: nothing to store as it went
            return
        try:
            self._flush()
        except Exception as exc:
            if kind is None:
                raise
            log.warning("job %s: what it sent last is left to its retry: %s", self.job.id, exc)
        finally:
            self.replies.close()

    def send(self, items: Sequence[WebhookInteraction]) -> None:
        """Before the batch's transaction: what is new of it on its way, in messages, in
        order, but a last one with room left, unless a message has failed."""
        self.plan.learn(items)
        with self.deliverer.uow() as uow:
            there = uow.outbox.existing([i.key for i in items])
        new = [i for i in items if i.key not in there]
        self.new = len(new)
        self.unstored += new
        self.for_claims = self.for_claims or bool(there)
        self._collect(wait=False)
        self.latest = {i.key for i in new} | self.plan.begun_keys()
        if self.replies.failed:
            return
        messages, held = self.plan.messages(new, self.job, self.deliverer.clock.now())
        self.for_claims = self.for_claims or held
        self.replies.post(messages)

    def store(self, uow: UnitOfWork, now: datetime) -> int:
        """In a batch's transaction: every new row whose message has come back (waiting for
        those of earlier batches), as its delivery left it; the last batch's rows, and those
        of a message still to fill, wait for the next store. Returns how many of the last
        batch sent were new."""
        self._collect(wait=True, until=self.latest)
        waiting = self.latest | self.plan.begun_keys()
        items = [i for i in self.unstored if i.key not in waiting]
        self.unstored = [i for i in self.unstored if i.key in waiting]
        went = self.replies.went
        store_interactions(
            uow, items, now, {i.key: went.pop(i.key) for i in items if i.key in went}
        )
        uow.outbox.record_attempts(self.replies.attempts)
        self.replies.attempts = []
        return self.new

    def finish(self, checkpoint: Checkpoint, accounts: Sequence[UUID] | None) -> dict[str, Any]:
        """The last message, every row as its message left it, then what could not go
        straight (and what an earlier attempt left) through deliver_due; the whole
        delivery's counts. When all went straight there is nothing of this job's for the
        claims, and no claim is tried."""
        last = self.plan.last()
        if not self.replies.failed:
            self.replies.post(last)
        self._flush()
        counted = self.replies.counted
        if not (self.replies.failed or self.for_claims):
            went = counted["sent"] + counted["failed"]
            checkpoint("deliver", went, went)
            return {what: counted[what] for what in COUNTS}
        delivered = self.deliverer.deliver_due(self.job, checkpoint, accounts)
        return {what: n + counted[what] for what, n in delivered.items()}

    def _flush(self) -> None:
        """Every message on its way back, and every row stored but a message's still to fill."""
        self._collect(wait=True)
        self.latest = set()
        if self.unstored:
            with self.deliverer.uow() as uow:
                self.store(uow, self.deliverer.clock.now())
                uow.commit()

    def _collect(self, *, wait: bool, until: Set[Key] = frozenset()) -> None:
        self.replies.collect(wait=wait, until=until)
        if self.replies.failed:  # the rest is stored queued, for the claims
            self.plan.stop()


@dataclass
class _Plan:
    """Which message each new row goes in (`in_messages`): with or after what it follows,
    unless that is on its way already; a last message with room left waits for the next
    batch to fill it. `follows` starts with what the caller knows beyond a batch (a
    conversation split over two batches) and learns each batch's own."""

    follows: dict[Key, Key]
    size: int
    ahead: set[Key] = field(default_factory=set)  # in a message on its way
    begun: list[OutboxInteraction] = field(default_factory=list)  # a message with room left

    def learn(self, items: Sequence[WebhookInteraction]) -> None:
        for key, before in delivery_order(items).items():
            self.follows.setdefault(key, before)

    def messages(
        self, new: Sequence[WebhookInteraction], job: Job, now: datetime
    ) -> tuple[list[list[OutboxInteraction]], bool]:
        """The full messages the begun one and the new rows make, each row on its first
        attempt; and whether some rows were held back."""
        begun = {row.data.key: row for row in self.begun}
        messages, held = in_messages(
            new, self.follows, self.ahead, self.size, [r.data for r in self.begun]
        )
        rows = [[begun.get(i.key) or _in_flight(i, job, now) for i in m] for m in messages]
        self.begun = rows.pop() if rows and len(rows[-1]) < self.size else []
        for message in rows:
            self.ahead.update(row.data.key for row in message)
        return rows, bool(held)

    def begun_keys(self) -> set[Key]:
        return {row.data.key for row in self.begun}

    def last(self) -> list[list[OutboxInteraction]]:
        """The message with room left, to go as it is."""
        begun, self.begun = self.begun, []
        return [begun] if begun else []

    def stop(self) -> None:
        """A message failed: nothing more goes straight."""
        self.begun = []


def _in_flight(item: WebhookInteraction, job: Job, now: datetime) -> OutboxInteraction:
    """A row on its way before it is stored: its first attempt."""
    return OutboxInteraction(
        uuid4(), item, DeliveryStatus.SENDING, 1, now, None, job.id, None, None
    )


@dataclass
class _Replies:
    """A job's messages on their way through the sender's pipe, oldest first, and how each
    row came back, as it will be stored."""

    deliverer: Deliverer
    pipe: SendPipe | None = None  # opened with the first message
    on_the_way: deque[tuple[list[OutboxInteraction], str, "Future[Reply | None]"]] = field(
        default_factory=deque
    )
    went: dict[Key, OutboxInteraction] = field(default_factory=dict)
    counted: Counter[str] = field(default_factory=Counter)
    attempts: list[Attempt] = field(default_factory=list)  # came back, not recorded yet
    failed: bool = False  # a message came back failed

    def post(self, messages: list[list[OutboxInteraction]]) -> None:
        if messages and self.pipe is None:
            self.pipe = self.deliverer.pipes(self.deliverer.sender, self.deliverer.clock)
        for message in messages:
            assert self.pipe is not None
            webhook_id = batch_webhook_id(message)
            self.on_the_way.append((message, webhook_id, self.pipe.post(webhook_id, message)))

    def collect(self, *, wait: bool, until: Set[Key]) -> None:
        """The replies in, oldest first: up to a message of a row in `until` (waiting for
        them), or (without waiting) those back already."""
        judge = self.deliverer.judge
        while self.on_the_way:
            message, webhook_id, reply = self.on_the_way[0]
            if message[0].data.key in until:
                break
            if not wait and not reply.done():
                break
            self.on_the_way.popleft()
            came = reply.result()
            if came is None:  # not sent: a message before it failed
                continue
            went = judge(message, came)
            self.attempts.append(Attempt.of(webhook_id, len(message), came))
            self.went.update((row.data.key, row) for row in went.as_stored())
            counted = went.counted()
            self.deliverer.count(counted)
            self.counted.update(counted)
            self.counted["batches"] += 1
            self.failed = self.failed or not went.ok

    def close(self) -> None:
        if self.pipe is not None:
            self.pipe.close()
