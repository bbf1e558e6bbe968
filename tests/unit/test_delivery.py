"""Delivery from the outbox on in-memory adapters with a scripted receiver."""

import itertools
import random
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.delivery import (
    BACKOFF_CAP,
    DeliveryStatus,
    OutboxInteraction,
    SendOutcome,
    batch_webhook_id,
    next_attempt_delay,
)
from app.domain.jobs import JobKind, NewJob
from app.services.work import Deliverer, DeliveryPolicy
from fakes.memory import MemoryJobRepository, MemoryStore, MemoryUnitOfWork
from helpers import FixedClock, incoming

T0 = datetime(2026, 6, 1, 12, tzinfo=UTC)
ACCOUNT = uuid.uuid4()
JOB = MemoryJobRepository(MemoryStore()).add(NewJob(JobKind.DELIVER), T0)


class ScriptedReceiver:
    """Answers each batch with the next outcome of the script, then with success."""

    def __init__(self, *script: SendOutcome) -> None:
        self.script = list(script)
        self.batches: list[tuple[str, list[str]]] = []

    def send(self, webhook_id: str, items: Sequence[OutboxInteraction]) -> SendOutcome:
        self.batches.append((webhook_id, [i.data.platform_id for i in items]))
        return self.script.pop(0) if self.script else SendOutcome(ok=True, status_code=200)


def no_checkpoint(phase: str, done: int, total: int | None) -> None:
    return None


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore()
    with MemoryUnitOfWork(store) as uow:
        uow.outbox.add(
            [incoming(f"c{n}", ACCOUNT, T0 - timedelta(minutes=n)) for n in range(25)], T0
        )
        uow.commit()
    return store


def run(
    store: MemoryStore, receiver: ScriptedReceiver, clock: FixedClock, **policy: int
) -> dict[str, object]:
    deliverer = Deliverer(
        lambda: MemoryUnitOfWork(store),
        receiver,
        clock,
        DeliveryPolicy(batch_size=10, **policy),  # type: ignore[arg-type]
        random.Random(7),
    )
    return deliverer.deliver_due(JOB, no_checkpoint, None)


def statuses(store: MemoryStore) -> dict[DeliveryStatus, int]:
    counts: dict[DeliveryStatus, int] = {}
    for row in store.outbox.values():
        counts[row.status] = counts.get(row.status, 0) + 1
    return counts


def test_everything_due_goes_out_in_batches(store: MemoryStore) -> None:
    receiver = ScriptedReceiver()
    result = run(store, receiver, FixedClock(T0))
    assert result == {"sent": 25, "failed": 0, "rescheduled": 0, "batches": 3}
    assert [len(ids) for _, ids in receiver.batches] == [10, 10, 5]
    assert statuses(store) == {DeliveryStatus.SENT: 25}


def test_a_failed_batch_is_rescheduled_and_does_not_block_the_others(store: MemoryStore) -> None:
    receiver = ScriptedReceiver(SendOutcome(ok=False, status_code=503, error="HTTP 503: down"))
    result = run(store, receiver, FixedClock(T0))
    assert result == {"sent": 15, "failed": 0, "rescheduled": 10, "batches": 3}
    waiting = [r for r in store.outbox.values() if r.status is DeliveryStatus.QUEUED]
    assert len(waiting) == 10
    assert {r.attempts for r in waiting} == {1}
    assert {r.last_error for r in waiting} == {"HTTP 503: down"}
    assert all(r.next_attempt_at > T0 for r in waiting)

    # the same rows go out together again, under the same webhook-id, once they are due
    failed_id, failed_ids = receiver.batches[0]
    later = FixedClock(max(r.next_attempt_at for r in waiting))
    assert run(store, receiver, later)["sent"] == 10
    assert receiver.batches[-1] == (failed_id, failed_ids)
    assert statuses(store) == {DeliveryStatus.SENT: 25}


def test_retry_after_is_honoured(store: MemoryStore) -> None:
    receiver = ScriptedReceiver(
        SendOutcome(ok=False, status_code=429, error="slow down", retry_after=timedelta(hours=2))
    )
    run(store, receiver, FixedClock(T0))
    waiting = [r for r in store.outbox.values() if r.status is DeliveryStatus.QUEUED]
    assert {r.next_attempt_at for r in waiting} == {T0 + timedelta(hours=2)}


def test_after_max_attempts_rows_are_dead_letters(store: MemoryStore) -> None:
    down = SendOutcome(ok=False, status_code=500, error="HTTP 500")
    receiver = ScriptedReceiver(*[down] * 100)
    clock = FixedClock(T0)
    for _ in range(3):
        run(store, receiver, clock, max_attempts=3)
        clock.at += timedelta(days=1)
    assert statuses(store) == {DeliveryStatus.FAILED: 25}
    assert {r.attempts for r in store.outbox.values()} == {3}


def test_410_gone_is_permanent_at_once(store: MemoryStore) -> None:
    receiver = ScriptedReceiver(
        *[SendOutcome(ok=False, status_code=410, error="HTTP 410", permanent=True)] * 3
    )
    result = run(store, receiver, FixedClock(T0))
    assert result["failed"] == 25
    assert {r.attempts for r in store.outbox.values()} == {1}


def test_an_expired_lease_makes_rows_due_again(store: MemoryStore) -> None:
    with MemoryUnitOfWork(store) as uow:  # a worker claims a batch, then dies before sending
        claimed = uow.outbox.claim_due(uuid.uuid4(), T0, 10, T0 + timedelta(minutes=2))
        uow.commit()
    assert len(claimed) == 10
    receiver = ScriptedReceiver()
    assert run(store, receiver, FixedClock(T0 + timedelta(minutes=1)))["sent"] == 15  # still leased
    assert run(store, receiver, FixedClock(T0 + timedelta(minutes=3)))["sent"] == 10
    assert statuses(store) == {DeliveryStatus.SENT: 25}


def test_backoff_grows_with_jitter_and_a_cap() -> None:
    rng = random.Random(1)
    delays = [next_attempt_delay(n, rng) for n in range(1, 8)]
    assert all(b > a for a, b in itertools.pairwise(delays))
    assert timedelta(seconds=5) <= delays[0] <= timedelta(seconds=10)
    assert next_attempt_delay(50, rng) <= BACKOFF_CAP
    assert len({next_attempt_delay(3, random.Random(s)) for s in range(5)}) > 1  # jitter


def test_webhook_id_depends_on_the_rows_only(store: MemoryStore) -> None:
    rows = list(store.outbox.values())
    assert batch_webhook_id(rows[:3]) == batch_webhook_id(list(reversed(rows[:3])))
    assert batch_webhook_id(rows[:3]) != batch_webhook_id(rows[1:4])
