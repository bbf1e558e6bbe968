"""Demo mode services on in-memory adapters."""

import random
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from app.adapters.memory import MemoryStore, MemoryUnitOfWork
from app.domain.delivery import DeliveryStatus, OutboxInteraction, SendOutcome
from app.domain.demo import Persona
from app.domain.jobs import JobKind, JobStatus, NewJob
from app.services import demo, jobs
from app.services.delivery import DeliveryPolicy
from app.services.demo import EnableDemo
from helpers import FixedClock
from unit.test_jobs import FakeQueue

T0 = datetime(2026, 6, 1, 12, tzinfo=UTC)
SMALL = EnableDemo(persona=Persona.FITNESS, content=5, comments=50, dms=10)


class AcceptingReceiver:
    def __init__(self) -> None:
        self.items: list[str] = []

    def send(self, webhook_id: str, items: Sequence[OutboxInteraction]) -> SendOutcome:
        self.items.extend(i.data.platform_id for i in items)
        return SendOutcome(ok=True, status_code=200)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


def factory(store: MemoryStore):  # type: ignore[no-untyped-def]
    return lambda: MemoryUnitOfWork(store)


def run(store: MemoryStore, job_id: uuid.UUID, receiver: AcceptingReceiver) -> dict[str, object]:
    clock = FixedClock(T0 + timedelta(seconds=1))

    def initial_batch(job, checkpoint):  # type: ignore[no-untyped-def]
        return demo.run_initial_batch(
            factory(store),
            receiver,
            clock,
            DeliveryPolicy(batch_size=7),
            random.Random(1),
            20,
            job,
            checkpoint,
        )

    done = jobs.run_job(
        factory(store), FakeQueue(), clock, {JobKind.DEMO_INITIAL_BATCH: initial_batch}, job_id
    )
    assert done is not None
    assert done.status is JobStatus.SUCCEEDED, done.error
    assert done.result is not None
    return done.result


def test_enable_starts_one_initial_batch_and_a_second_enable_changes_nothing(
    store: MemoryStore,
) -> None:
    queue, clock, account = FakeQueue(), FixedClock(T0), uuid.uuid4()
    state, started = demo.enable_demo(factory(store), queue, clock, account, SMALL)
    again, started_again = demo.enable_demo(
        factory(store), queue, clock, account, EnableDemo(persona=Persona.GAMING)
    )
    assert (started, started_again) == (True, False)
    assert again.profile.persona is Persona.FITNESS
    assert state.job is not None
    assert queue.ids == [state.job.id]
    assert state.job.params == {"reference_time": T0.isoformat()}


def test_the_initial_batch_stores_delivers_and_a_retry_adds_nothing(store: MemoryStore) -> None:
    queue, account = FakeQueue(), uuid.uuid4()
    state, _ = demo.enable_demo(factory(store), queue, FixedClock(T0), account, SMALL)
    assert state.job is not None
    receiver = AcceptingReceiver()
    result = run(store, state.job.id, receiver)
    assert result["generated"] == {"content": 5, "comments": 50, "dms": 10}
    assert result["stored"] == {"content": 5, "comments": 50, "dms": 10}
    assert sorted(receiver.items) == sorted({r.data.platform_id for r in store.outbox.values()})
    assert {r.status for r in store.outbox.values()} == {DeliveryStatus.SENT}
    assert sum(c.comments_count for c in store.contents.values()) == 50

    # a retry regenerates the very same rows: nothing new is stored or sent
    rerun = NewJob(JobKind.DEMO_INITIAL_BATCH, account, state.job.params, 2, state.job.id)
    retry, _ = jobs.create_job(factory(store), queue, FixedClock(T0), rerun)
    again = run(store, retry.id, receiver)
    assert again["stored"] == {"content": 0, "comments": 0, "dms": 0}
    assert len(store.outbox) == 60
    assert len(receiver.items) == 60


def test_disable_cancels_the_queued_batch_and_purge_deletes_the_demo_data(
    store: MemoryStore,
) -> None:
    queue, account, other = FakeQueue(), uuid.uuid4(), uuid.uuid4()
    kept, _ = demo.enable_demo(factory(store), queue, FixedClock(T0), other, SMALL)
    assert kept.job is not None
    run(store, kept.job.id, AcceptingReceiver())
    state, _ = demo.enable_demo(factory(store), queue, FixedClock(T0), account, SMALL)
    assert state.job is not None
    run(store, state.job.id, AcceptingReceiver())
    with MemoryUnitOfWork(store) as uow:  # the inbox side, as the receiver would have stored it
        uow.inbox.upsert([r.data for r in store.outbox.values()], T0)
        uow.commit()

    after, purge_job = demo.disable_demo(factory(store), queue, FixedClock(T0), account, purge=True)
    assert after.profile.enabled is False
    assert purge_job is not None
    done = jobs.run_job(
        factory(store),
        queue,
        FixedClock(T0),
        {
            JobKind.DEMO_PURGE: lambda job, checkpoint: demo.purge_demo(
                factory(store), 17, job, checkpoint
            )
        },
        purge_job.id,
    )
    assert done is not None
    assert done.result == {"deleted": 5 + 60 + 60}
    left = demo.demo_state(factory(store), account).counts
    assert (left.content, left.comments, left.dms, left.received) == (0, 0, 0, 0)
    neighbour = demo.demo_state(factory(store), other).counts
    assert (neighbour.content, neighbour.comments, neighbour.received) == (5, 50, 60)


def test_disable_of_an_unknown_account_is_not_found(store: MemoryStore) -> None:
    from app.domain.errors import NotFoundError

    with pytest.raises(NotFoundError, match="never enabled"):
        demo.disable_demo(factory(store), FakeQueue(), FixedClock(T0), uuid.uuid4(), purge=False)
