"""Schedules: cron in UTC, slots run at most once, missed slots and the grace period, manual
runs; and fanned-out jobs rolling up into their parent. On in-memory adapters."""

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from app.adapters.webhooks.pipe import ThreadPipe
from app.domain.demo import DemoProfile, DemoSizes, DmFrequency, Persona
from app.domain.inbox import Platform
from app.domain.jobs import JobKind, JobStatus, NewJob
from app.domain.schedules import Cron, InvalidCronError, Schedule, slot_key
from app.services.jobs import JobService
from app.services.schedules import SchedulePolicy, ScheduleService
from app.services.upkeep import UpkeepPolicy, UpkeepService
from app.services.work import Checkpoint, Deliverer, FanOut, JobPolicy, Sweeper
from fakes import AcceptingReceiver, FakeQueue, engine
from fakes.memory import MemoryStore, MemoryUnitOfWork
from helpers import FixedClock

T0 = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
HOUR = timedelta(hours=1)
POLICY = SchedulePolicy(grace=HOUR)


def factory(store: MemoryStore):  # type: ignore[no-untyped-def]
    return lambda: MemoryUnitOfWork(store)


def daily(**changes: object) -> Schedule:
    values: dict[str, object] = {
        "name": "daily-content",
        "cron": Cron("0 10 * * *"),
        "job_kind": JobKind.DAILY_CONTENT,
        "enabled": True,
        "last_run_at": None,
        "next_run_at": None,
        "last_job_id": None,
        "updated_at": T0,
        **changes,
    }
    return Schedule(**values)  # type: ignore[arg-type]


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore()
    store.schedules["daily-content"] = daily()
    return store


@pytest.fixture
def local_time_elsewhere(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's timezone far from UTC (+05:30), as a server abroad would have it."""
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_cron_is_evaluated_in_utc_whatever_the_machines_timezone(
    local_time_elsewhere: None,
) -> None:
    assert time.localtime(0).tm_gmtoff == 5 * 3600 + 1800  # the zone really is in effect
    cron = Cron("0 10 * * *")
    assert cron.next_after(T0) == datetime(2026, 6, 1, 10, tzinfo=UTC)
    assert cron.latest_at_or_before(T0) == datetime(2026, 5, 31, 10, tzinfo=UTC)
    assert cron.latest_at_or_before(datetime(2026, 6, 1, 10, tzinfo=UTC)).hour == 10
    every_six = Cron("0 */6 * * *")
    assert every_six.next_after(T0) == datetime(2026, 6, 1, 12, tzinfo=UTC)
    assert Cron("* * * * * */5").next_after(T0) == T0 + timedelta(seconds=5)


@pytest.mark.parametrize(
    ("expression", "why"),
    [("0 10 * *", "4 fields"), ("61 * * * *", "out of range"), ("every day", "2 fields")],
)
def test_a_bad_cron_is_rejected_with_a_reason(expression: str, why: str) -> None:
    with pytest.raises(InvalidCronError, match=why):
        Cron(expression)


def test_due_slot_grace_and_plan() -> None:
    planned = daily(next_run_at=datetime(2026, 6, 1, 10, tzinfo=UTC))
    assert planned.due_slot(T0, HOUR) is None  # not yet
    at_slot = datetime(2026, 6, 1, 10, 0, 0, 400_000, tzinfo=UTC)
    assert planned.due_slot(at_slot, HOUR) == datetime(2026, 6, 1, 10, tzinfo=UTC)
    assert planned.due_slot(at_slot + 59 * timedelta(minutes=1), HOUR) is not None
    assert planned.due_slot(at_slot + 61 * timedelta(minutes=1), HOUR) is None  # missed
    assert daily(enabled=False, next_run_at=T0).due_slot(T0 + HOUR, HOUR) is None
    ran = planned.ran(datetime(2026, 6, 1, 10, tzinfo=UTC), uuid.uuid4(), at_slot)
    assert ran.next_run_at == datetime(2026, 6, 2, 10, tzinfo=UTC)
    paused = ran.changed(at_slot, False, None)
    assert (paused.enabled, paused.next_run_at) == (False, None)
    retimed = paused.changed(at_slot, True, Cron("*/15 * * * *"))
    assert retimed.next_run_at == datetime(2026, 6, 1, 10, 15, tzinfo=UTC)


def run(store: MemoryStore, queue: FakeQueue, at: datetime) -> list[str]:
    service = ScheduleService(engine(store, queue, FixedClock(at)), POLICY)
    started = service.run_all()
    return [job.schedule_slot or "" for job in started]


def test_a_slot_runs_once_however_often_the_scheduler_passes(store: MemoryStore) -> None:
    queue = FakeQueue()
    assert run(store, queue, T0) == []  # first pass: plans
    slot = datetime(2026, 6, 1, 10, tzinfo=UTC)
    assert store.schedules["daily-content"].next_run_at == slot
    assert run(store, queue, T0 + timedelta(minutes=10)) == []
    assert run(store, queue, slot + timedelta(seconds=1)) == [slot_key("daily-content", slot)]
    # the same slot again (a second scheduler, a repeated entry): nothing new
    store.schedules["daily-content"] = daily(next_run_at=slot)
    assert run(store, queue, slot + timedelta(seconds=2)) == []
    [job] = store.jobs.values()
    assert (job.kind, job.params["reference_time"]) == (JobKind.DAILY_CONTENT, slot.isoformat())
    assert queue.ids == [job.id]
    assert store.schedules["daily-content"].next_run_at == slot + timedelta(days=1)


@pytest.mark.parametrize(("late", "runs"), [(timedelta(minutes=59), True), (HOUR * 2, False)])
def test_a_slot_missed_while_down_runs_once_on_start_only_within_grace(
    store: MemoryStore, late: timedelta, runs: bool
) -> None:
    slot = datetime(2026, 6, 1, 10, tzinfo=UTC)
    store.schedules["daily-content"] = daily(next_run_at=slot)  # planned before going down
    queue = FakeQueue()
    started = run(store, queue, slot + late)
    assert started == ([slot_key("daily-content", slot)] if runs else [])
    assert run(store, queue, slot + late + timedelta(seconds=5)) == []
    assert store.schedules["daily-content"].next_run_at == slot + timedelta(days=1)


def test_a_paused_schedule_has_no_plan_and_runs_nothing(store: MemoryStore) -> None:
    queue = FakeQueue()
    run(store, queue, T0)
    service = ScheduleService(engine(store, queue, FixedClock(T0)), POLICY)
    service.update("daily-content", enabled=False)
    assert run(store, queue, T0 + HOUR * 5) == []
    assert store.schedules["daily-content"].next_run_at is None
    assert store.jobs == {}


def test_a_manual_run_always_runs_and_leaves_the_plan(store: MemoryStore) -> None:
    queue = FakeQueue()
    run(store, queue, T0)
    service = ScheduleService(engine(store, queue, FixedClock(T0)), POLICY)
    first = service.trigger("daily-content")
    second = service.trigger("daily-content")
    assert first.id != second.id
    assert first.schedule_slot is None
    assert queue.ids == [first.id, second.id]
    after = store.schedules["daily-content"]
    assert (after.last_job_id, after.last_run_at) == (second.id, T0)
    assert after.next_run_at == datetime(2026, 6, 1, 10, tzinfo=UTC)


def profile(enabled_at: datetime) -> DemoProfile:
    return DemoProfile(
        account_id=uuid.uuid4(),
        platform=Platform.TIKTOK,
        persona=Persona.FITNESS,
        dm_frequency=DmFrequency.MEDIUM,
        seed=3,
        locale="en_US",
        sizes=DemoSizes(),
        enabled_at=enabled_at,
    )


def test_a_tick_fans_out_to_the_accounts_enabled_long_enough_and_rolls_up(
    store: MemoryStore,
) -> None:
    tick = datetime(2026, 6, 2, 10, tzinfo=UTC)
    old_enough = [profile(tick - timedelta(hours=24)) for _ in range(5)]
    too_new = profile(tick - timedelta(hours=23, minutes=59))
    for p in [*old_enough, too_new]:
        store.demo_profiles[p.account_id] = p
    queue, clock = FakeQueue(), FixedClock(tick)
    policy = UpkeepPolicy(fanout_size=2, batch_size=3)

    work = engine(store, queue, clock)
    upkeep = UpkeepService(
        work, Deliverer(work.uow, AcceptingReceiver(), clock, ThreadPipe), policy
    )
    handlers = {
        JobKind.DAILY_CONTENT: upkeep.fan_out_tick,
        JobKind.DAILY_CONTENT_CHUNK: upkeep.run_daily_content,
    }
    parent, _ = engine(store, queue, clock).create(
        NewJob(JobKind.DAILY_CONTENT, params={"reference_time": tick.isoformat()})
    )
    waiting = engine(store, queue, clock).run(parent.id, handlers)
    assert waiting is not None
    assert waiting.status is JobStatus.RUNNING
    assert (waiting.progress_done, waiting.progress_total) == (0, 5)  # in accounts, from the start
    children = [j for j in store.jobs.values() if j.parent_id == parent.id]
    assert [len(c.params["accounts"]) for c in children] == [2, 2, 1]
    assert {a for c in children for a in c.params["accounts"]} == {
        str(p.account_id) for p in old_enough
    }
    clock.at = tick + timedelta(minutes=1)
    assert (
        Sweeper(engine(store, queue, clock, policy=JobPolicy())).sweep().jobs_lost == 0
    )  # waiting
    for child in children:
        engine(store, queue, clock).run(child.id, handlers)
    done = store.jobs[parent.id]
    assert done.status is JobStatus.SUCCEEDED, done.error
    assert (done.progress_done, done.progress_total) == (5, 5)
    assert done.result is not None
    assert done.result["totals"]["stored"] == {"content": 10}
    assert done.result["children"]["succeeded"] == 3
    owners = [c.account_id for c in store.contents.values()]
    assert sorted(map(str, owners)) == sorted(str(p.account_id) for p in old_enough for _ in (1, 2))


def test_cancelling_a_parent_cancels_its_children(store: MemoryStore) -> None:
    queue, clock = FakeQueue(), FixedClock(T0)

    def fan_out(job, checkpoint: Checkpoint) -> FanOut:  # type: ignore[no-untyped-def]
        return FanOut([NewJob(JobKind.DELIVER) for _ in range(3)])

    parent, _ = engine(store, queue, clock).create(NewJob(JobKind.DAILY_CONTENT))
    engine(store, queue, clock).run(parent.id, {JobKind.DAILY_CONTENT: fan_out})
    cancelled = JobService(engine(store, queue, clock)).cancel(parent.id)
    assert cancelled.status is JobStatus.CANCELLED
    children = [j for j in store.jobs.values() if j.parent_id == parent.id]
    assert [c.status for c in children] == [JobStatus.CANCELLED] * 3
    assert queue.ids == [parent.id]  # the children are off the queue


def test_a_parent_fails_when_a_child_fails_for_good_and_counts_a_retry_not_its_original(
    store: MemoryStore,
) -> None:
    queue, clock = FakeQueue(), FixedClock(T0)
    outcomes = iter(["boom", "ok", "ok"])

    def fan_out(job, checkpoint: Checkpoint) -> FanOut:  # type: ignore[no-untyped-def]
        return FanOut([NewJob(JobKind.DELIVER), NewJob(JobKind.DELIVER)])

    def child(job, checkpoint: Checkpoint) -> dict[str, int]:  # type: ignore[no-untyped-def]
        checkpoint("deliver", 4, 4)
        if next(outcomes) == "boom":
            raise RuntimeError("receiver said no")
        return {"sent": 4}

    handlers = {JobKind.DAILY_CONTENT: fan_out, JobKind.DELIVER: child}
    parent, _ = engine(store, queue, clock).create(NewJob(JobKind.DAILY_CONTENT))
    engine(store, queue, clock).run(parent.id, handlers)
    first, second = [j for j in store.jobs.values() if j.parent_id == parent.id]
    engine(store, queue, clock).run(first.id, handlers)  # fails
    assert store.jobs[parent.id].status is JobStatus.RUNNING  # the other is still to come
    retry, _ = JobService(engine(store, queue, clock)).retry(first.id)
    assert retry.parent_id == parent.id
    engine(store, queue, clock).run(second.id, handlers)
    assert store.jobs[parent.id].status is JobStatus.RUNNING  # the retry is still to come
    engine(store, queue, clock).run(retry.id, handlers)
    done = store.jobs[parent.id]
    assert done.status is JobStatus.SUCCEEDED, done.error
    assert (done.progress_done, done.progress_total) == (8, 8)  # the original is not counted
    assert done.result is not None
    assert done.result["totals"] == {"sent": 8}

    lone, _ = engine(store, queue, clock).create(NewJob(JobKind.DAILY_CONTENT))
    outcomes = iter(["boom", "ok"])
    engine(store, queue, clock).run(lone.id, handlers)
    for c in [j for j in store.jobs.values() if j.parent_id == lone.id]:
        engine(store, queue, clock).run(c.id, handlers)
    failed = store.jobs[lone.id]
    assert failed.status is JobStatus.FAILED
    assert failed.error == "1 of 2 child jobs did not succeed"


def test_the_sweeper_settles_a_parent_whose_children_ended_unseen(store: MemoryStore) -> None:
    queue, clock = FakeQueue(), FixedClock(T0)

    def fan_out(job, checkpoint: Checkpoint) -> FanOut:  # type: ignore[no-untyped-def]
        return FanOut([NewJob(JobKind.DELIVER)])

    parent, _ = engine(store, queue, clock).create(NewJob(JobKind.DAILY_CONTENT))
    engine(store, queue, clock).run(parent.id, {JobKind.DAILY_CONTENT: fan_out})
    [child] = [j for j in store.jobs.values() if j.parent_id == parent.id]
    # the child ended, and its worker died before rolling the parent up
    store.jobs[child.id] = child.start(T0).succeed({"sent": 3}, T0)
    clock.at = T0 + timedelta(hours=1)
    report = Sweeper(engine(store, queue, clock, policy=JobPolicy())).sweep()
    assert (report.jobs_lost, report.jobs_retried) == (0, 0)
    settled = store.jobs[parent.id]
    assert settled.status is JobStatus.SUCCEEDED
    assert settled.result is not None
    assert settled.result["totals"] == {"sent": 3}
