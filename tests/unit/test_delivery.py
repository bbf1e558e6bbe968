"""Delivery from the outbox on in-memory adapters with a scripted receiver."""

import itertools
import random
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters.webhooks.pipe import ThreadPipe
from app.domain.delivery import (
    BACKOFF_CAP,
    DeliveryStatus,
    OutboxInteraction,
    SendOutcome,
    batch_webhook_id,
    delivery_order,
    in_messages,
    next_attempt_delay,
)
from app.domain.inbox import InteractionKind, WebhookInteraction
from app.domain.jobs import JobCancelledError, JobKind, NewJob
from app.services.work import Deliverer, DeliveryPolicy, StraightSend
from fakes.memory import MemoryJobRepository, MemoryStore, MemoryUnitOfWork
from helpers import FixedClock, incoming

T0 = datetime(2026, 6, 1, 12, tzinfo=UTC)
ACCOUNT = uuid.uuid4()
JOB = MemoryJobRepository(MemoryStore()).add(NewJob(JobKind.DELIVER), T0)


class BlockingReceiver:
    """Holds the first message until released, and tells when it has arrived."""

    def __init__(self) -> None:
        self.arrived, self.release = threading.Event(), threading.Event()
        self.batches: list[tuple[str, list[str]]] = []

    def send(self, webhook_id: str, items: Sequence[OutboxInteraction]) -> SendOutcome:
        self.arrived.set()
        assert self.release.wait(5)
        self.batches.append((webhook_id, [i.data.platform_id for i in items]))
        return SendOutcome(ok=True, status_code=200)


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
        ThreadPipe,
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


# --- straight from what a job generated -------------------------------------------------


def _reply(platform_id: str, parent: str, at: datetime) -> WebhookInteraction:
    return replace(incoming(platform_id, ACCOUNT, at), in_reply_to=parent)


def _dm(platform_id: str, conversation: str, at: datetime) -> WebhookInteraction:
    dm = incoming(platform_id, ACCOUNT, at, kind=InteractionKind.DM)
    return replace(dm, conversation_id=conversation)


def _threads(n: int) -> list[WebhookInteraction]:
    """n threads, each a comment answered three deep, and n conversations of four messages."""
    items = []
    for t in range(n):
        items.append(incoming(f"t{t}", ACCOUNT, T0))
        for depth in range(1, 4):
            parent = f"t{t}" if depth == 1 else f"t{t}r{depth - 1}"
            items.append(_reply(f"t{t}r{depth}", parent, T0 + timedelta(minutes=depth)))
        items += [_dm(f"d{t}m{m}", f"conv{t}", T0 + timedelta(minutes=m)) for m in range(4)]
    return items


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_messages_put_everything_after_what_it_follows(data: st.DataObject) -> None:
    """Random threads and conversations, some of what they follow sent already or elsewhere:
    every item is in one message or held back, never in a message before what it follows,
    held back exactly when what it follows is out of reach."""
    size = data.draw(st.integers(1, 7))
    items: list[WebhookInteraction] = []
    for n in range(data.draw(st.integers(0, 40))):
        at = T0 + timedelta(seconds=n)
        earlier = [i.platform_id for i in items if i.kind is InteractionKind.COMMENT]
        outside = ["gone1", "gone2", "sent1", "sent2"]
        match data.draw(st.sampled_from(["comment", "reply", "dm"])):
            case "comment":
                items.append(incoming(f"c{n}", ACCOUNT, at))
            case "reply":
                items.append(_reply(f"c{n}", data.draw(st.sampled_from(earlier + outside)), at))
            case "dm":
                items.append(_dm(f"d{n}", data.draw(st.sampled_from(["a", "b", "c"])), at))
    sent = {("youtube", "sent1"), ("youtube", "sent2")}
    follows = delivery_order(items)
    if data.draw(st.booleans()):  # conversation "c" began with a message stored elsewhere
        first = next((i for i in items if i.conversation_id == "c"), None)
        if first is not None:
            follows[first.key] = ("youtube", "dm-elsewhere")
    messages, held = in_messages(items, follows, sent, size)

    where = {i.key: n for n, message in enumerate(messages) for i in message}
    assert all(0 < len(m) <= size for m in messages)
    assert len(where) + len(held) == len(items)  # each once: in a message or held back
    assert where.keys() | {i.key for i in held} == {i.key for i in items}
    by_key = {i.key: i for i in items}

    def reachable(key: tuple[str, str]) -> bool:
        before = follows.get(key)
        return before is None or before in sent or (before in by_key and reachable(before))

    for item in items:
        before = follows.get(item.key)
        if item.key in where and before is not None and before not in sent:
            assert where[before] <= where[item.key]  # in its message or a later one
        assert (item.key in where) == reachable(item.key)
    for message in messages:
        assert [i.occurred_at for i in message] == sorted(i.occurred_at for i in message)


def _batch(straight: StraightSend, store: MemoryStore, items: list[WebhookInteraction]) -> int:
    """One batch as a job runs it: put on its way before its transaction, which stores what
    came back of the batches before it."""
    straight.send(items)
    with MemoryUnitOfWork(store) as uow:
        new = straight.store(uow, T0)
        uow.commit()
    return new


def test_a_generated_batch_goes_straight_out_in_order_and_is_stored_as_sent() -> None:
    store, receiver = MemoryStore(), ScriptedReceiver()
    deliverer = _deliverer(store, receiver)
    items = _threads(5)  # 40 items: 20 in 5 threads, 20 in 5 conversations, four levels deep
    more = [incoming(f"m{n}", ACCOUNT, T0) for n in range(10)]
    with StraightSend.of(deliverer, JOB) as straight:
        assert _batch(straight, store, items) == 40
        # its messages on their way, its rows wait for the next batch's transaction
        assert store.outbox == {}
        assert _batch(straight, store, more) == 10
        # stored once its messages came back: each row written once, as its message left it
        assert statuses(store) == {DeliveryStatus.SENT: 40}
        assert [len(ids) for _, ids in receiver.batches[:4]] == [10, 10, 10, 10]
        result = straight.finish(no_checkpoint, None)
    assert result == {"sent": 50, "failed": 0, "rescheduled": 0, "batches": 5}
    assert statuses(store) == {DeliveryStatus.SENT: 50}
    assert {(r.attempts, r.lease_until, r.claimed_by) for r in store.outbox.values()} == {
        (1, None, None)
    }
    sent_in = {pid: webhook_id for webhook_id, ids in receiver.batches for pid in ids}
    rows = {r.data.platform_id: r for r in store.outbox.values()}
    for webhook_id, ids in receiver.batches:  # the message id names the rows stored
        assert batch_webhook_id([rows[pid] for pid in ids]) == webhook_id
    assert set(sent_in) == set(rows)
    assert len(receiver.batches) == 5  # nothing left for the claims
    order = {pid: n for n, (_, ids) in enumerate(receiver.batches) for pid in ids}
    for item in items:
        before = item.in_reply_to or (
            f"d{item.platform_id[1]}m{int(item.platform_id[-1]) - 1}"
            if item.conversation_id and not item.platform_id.endswith("m0")
            else None
        )
        if before is not None:
            assert order[before] <= order[item.platform_id], item.platform_id


def test_the_messages_go_out_while_the_job_goes_on() -> None:
    """A batch's messages are sent from a thread of their own: the job is back from `send`
    while its first message is still with the receiver."""
    store, receiver = MemoryStore(), BlockingReceiver()
    with StraightSend.of(_deliverer(store, receiver), JOB) as straight:
        straight.send([incoming(f"c{n}", ACCOUNT, T0) for n in range(20)])
        assert receiver.arrived.wait(5)  # the first message is with the receiver, held there
        assert store.outbox == {}
        receiver.release.set()
        result = straight.finish(no_checkpoint, None)
    assert result["sent"] == 20
    assert statuses(store) == {DeliveryStatus.SENT: 20}


def _cancelled_after(straight: StraightSend, step: Callable[[], object]) -> None:
    """The job's block, left by a cancel at the checkpoint after `step`."""
    with straight:
        step()
        raise JobCancelledError()


def test_a_job_stopped_at_a_checkpoint_stores_what_it_sent() -> None:
    """Cancelled or handed back between batches: what the job put on its way comes back and
    is stored as it went, as the checkpoint left it (a message with room left is not sent),
    and no thread is left behind."""
    store, receiver = MemoryStore(), ScriptedReceiver()
    straight = StraightSend.of(_deliverer(store, receiver), JOB)
    items = [incoming(f"c{n}", ACCOUNT, T0) for n in range(34)]
    with pytest.raises(JobCancelledError):
        _cancelled_after(straight, lambda: _batch(straight, store, items))
    assert [len(ids) for _, ids in receiver.batches] == [10, 10, 10]
    assert statuses(store) == {DeliveryStatus.SENT: 30}
    assert not [t for t in threading.enumerate() if t.name.startswith("straight-send")]


def test_what_a_stopped_job_cannot_store_is_left_to_its_retry() -> None:
    """The database away as the job stops: the job's own error is what surfaces."""
    store, receiver = MemoryStore(), ScriptedReceiver()
    database_up = True

    def unit_of_work() -> MemoryUnitOfWork:
        if not database_up:
            raise ConnectionError("the database is away")
        return MemoryUnitOfWork(store)

    deliverer = Deliverer(
        unit_of_work, receiver, FixedClock(T0), ThreadPipe, DeliveryPolicy(batch_size=10)
    )
    straight = StraightSend.of(deliverer, JOB)

    def send_then_lose_the_database() -> None:
        nonlocal database_up
        straight.send([incoming(f"c{n}", ACCOUNT, T0) for n in range(20)])
        database_up = False

    with pytest.raises(JobCancelledError):
        _cancelled_after(straight, send_then_lose_the_database)
    assert len(receiver.batches) == 2
    assert store.outbox == {}


def test_a_job_whose_rows_all_went_straight_tries_no_claim() -> None:
    """Nothing of the job's is queued, so it claims nothing: a row of its account another job
    left due stays for a delivery job (the sweep starts one), and the job still reports its
    deliver phase."""
    store, receiver = MemoryStore(), ScriptedReceiver()
    elsewhere = incoming("elsewhere", ACCOUNT, T0 - timedelta(hours=1))
    with MemoryUnitOfWork(store) as uow:
        uow.outbox.add([elsewhere], T0 - timedelta(hours=1))
        uow.commit()
    phases: list[tuple[str, int, int | None]] = []
    with StraightSend.of(_deliverer(store, receiver), JOB) as straight:
        assert _batch(straight, store, _threads(2)) == 16
        result = straight.finish(
            lambda phase, done, total: phases.append((phase, done, total)), None
        )
    assert result == {"sent": 16, "failed": 0, "rescheduled": 0, "batches": 2}
    assert phases == [("deliver", 16, 16)]
    assert "elsewhere" not in {p for _, ids in receiver.batches for p in ids}
    assert store.outbox[elsewhere.key].status is DeliveryStatus.QUEUED


def test_a_last_message_with_room_waits_for_the_next_batch_unstored() -> None:
    store, receiver = MemoryStore(), ScriptedReceiver()
    with StraightSend.of(_deliverer(store, receiver), JOB) as straight:
        assert _batch(straight, store, [incoming(f"c{n}", ACCOUNT, T0) for n in range(14)]) == 14
        assert (
            _batch(straight, store, [incoming(f"c{n}", ACCOUNT, T0) for n in range(14, 28)]) == 14
        )
        assert statuses(store) == {DeliveryStatus.SENT: 10}  # the 4 sent with the next 6 wait
        assert straight.finish(no_checkpoint, None)["batches"] == 3
    assert [len(ids) for _, ids in receiver.batches] == [10, 10, 8]
    assert statuses(store) == {DeliveryStatus.SENT: 28}


def test_after_a_failed_message_the_rest_goes_through_the_claims_in_order() -> None:
    store = MemoryStore()
    receiver = ScriptedReceiver(SendOutcome(ok=False, status_code=503, error="HTTP 503"))
    deliverer = _deliverer(store, receiver)
    items = _threads(5)
    later_batch = [incoming(f"late{n}", ACCOUNT, T0) for n in range(3)]
    with StraightSend.of(deliverer, JOB) as straight:
        assert _batch(straight, store, items) == 40  # the first message fails: nothing after it
        _batch(straight, store, later_batch)  # after a failure, later batches are only stored
        assert len(receiver.batches) == 1
        failed = set(receiver.batches[0][1])
        rows = {r.data.platform_id: r for r in store.outbox.values()}
        assert set(rows) == {i.platform_id for i in items}  # every row stored all the same
        backing_off = {p: r for p, r in rows.items() if p in failed}
        assert {(r.status, r.attempts, r.last_error) for r in backing_off.values()} == {
            (DeliveryStatus.QUEUED, 1, "HTTP 503")
        }
        assert all(r.next_attempt_at > T0 for r in backing_off.values())
        untried = [r for p, r in rows.items() if p not in failed]
        assert {(r.status, r.attempts, r.next_attempt_at) for r in untried} == {
            (DeliveryStatus.QUEUED, 0, T0)
        }
        result = straight.finish(no_checkpoint, None)
    # the claims send what does not follow the failed message's rows; those wait for them
    assert result["rescheduled"] == 10
    assert result["sent"] == sum(len(ids) for _, ids in receiver.batches[1:])
    waiting = {r.data.platform_id for r in store.outbox.values() if r.status != "sent"}
    assert failed < waiting
    for pid in waiting - failed:
        item = rows[pid].data
        chain = {item.in_reply_to} if item.in_reply_to else {f"{pid[:-1]}{int(pid[-1]) - 1}"}
        assert chain <= waiting, pid  # held back behind something still unsent
    # once the failed message is due again, everything goes, each after what it follows
    later = FixedClock(max(r.next_attempt_at for r in store.outbox.values()))
    Deliverer(
        lambda: MemoryUnitOfWork(store), receiver, later, ThreadPipe, DeliveryPolicy(batch_size=10)
    ).deliver_due(JOB, no_checkpoint, None)
    assert statuses(store) == {DeliveryStatus.SENT: 43}


def test_a_message_refused_for_good_stores_its_rows_as_dead_letters() -> None:
    store = MemoryStore()
    gone = SendOutcome(ok=False, status_code=410, error="HTTP 410: gone", permanent=True)
    receiver = ScriptedReceiver(gone)
    with StraightSend.of(_deliverer(store, receiver), JOB) as straight:
        _batch(straight, store, [incoming(f"c{n}", ACCOUNT, T0) for n in range(20)])
        _batch(straight, store, [incoming(f"later{n}", ACCOUNT, T0) for n in range(5)])
    rows = {r.data.platform_id: r for r in store.outbox.values()}
    dead = {p for p, r in rows.items() if r.status is DeliveryStatus.FAILED}
    assert dead == set(receiver.batches[0][1])
    assert {rows[p].last_error for p in dead} == {"HTTP 410: gone"}
    # the first batch's untried ten and the later five: queued, for the claims
    assert statuses(store) == {DeliveryStatus.FAILED: 10, DeliveryStatus.QUEUED: 15}


def test_what_was_stored_before_is_left_to_the_claims_and_held_behind() -> None:
    """A resumed job: an earlier attempt stored the comments (queued); the replies to them
    are new, but cannot go straight: only the outbox knows whether their parents went."""
    store, receiver = MemoryStore(), ScriptedReceiver()
    items = _threads(2)
    comments = [i for i in items if i.in_reply_to is None and i.conversation_id is None]
    with MemoryUnitOfWork(store) as uow:
        uow.outbox.add(comments, T0)
        uow.commit()
    with StraightSend.of(_deliverer(store, receiver), JOB) as straight:
        assert _batch(straight, store, items) == len(items) - len(comments)
        assert _batch(straight, store, []) == 0
        replies = {i.platform_id for i in items if i.in_reply_to is not None}
        rows = {r.data.platform_id: r for r in store.outbox.values()}
        assert {rows[p].status for p in replies} == {DeliveryStatus.QUEUED}
        assert not any(p.startswith("d") for p in rows)  # the DMs fill a message still to go
        assert receiver.batches == []
        straight.finish(no_checkpoint, None)
    assert sorted(receiver.batches[0][1]) == [p for p in rows_of(store) if p.startswith("d")]
    assert statuses(store) == {DeliveryStatus.SENT: len(items)}
    order = {pid: n for n, (_, ids) in enumerate(receiver.batches) for pid in ids}
    for item in items:
        if item.in_reply_to is not None:
            assert order[item.in_reply_to] < order[item.platform_id]


def rows_of(store: MemoryStore) -> list[str]:
    return sorted(r.data.platform_id for r in store.outbox.values())


def _deliverer(store: MemoryStore, receiver: ScriptedReceiver) -> Deliverer:
    return Deliverer(
        lambda: MemoryUnitOfWork(store),
        receiver,
        FixedClock(T0),
        ThreadPipe,
        DeliveryPolicy(batch_size=10),
        random.Random(7),
    )


def test_every_message_is_recorded_with_its_answer_on_both_paths() -> None:
    store = MemoryStore()
    receiver = ScriptedReceiver(SendOutcome(ok=False, status_code=503, error="HTTP 503"))
    deliverer = _deliverer(store, receiver)
    with StraightSend.of(deliverer, JOB) as straight:
        _batch(straight, store, [incoming(f"c{n}", ACCOUNT, T0) for n in range(20)])
        _batch(straight, store, [])
        straight.finish(no_checkpoint, None)  # the rest through the claims
    attempts = list(store.attempts.values())
    assert len(attempts) == len(receiver.batches) >= 2
    assert [a.webhook_id for a in attempts] == [webhook_id for webhook_id, _ in receiver.batches]
    assert (attempts[0].ok, attempts[0].status_code, attempts[0].error) == (False, 503, "HTTP 503")
    assert {a.items for a in attempts} == {10}
    assert all(a.ok for a in attempts[1:])  # the receiver answers 200 after its script
