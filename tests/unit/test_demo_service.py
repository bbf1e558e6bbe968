"""Demo mode services on in-memory adapters."""

import random
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.apps import Family, NoAppError, PlatformApp
from app.domain.delivery import DeliveryStatus
from app.domain.demo import Delivery, Persona, native_user_id
from app.domain.inbox import InteractionKind, Platform
from app.domain.jobs import JobKind, JobStatus, NewJob
from app.services import Services
from app.services.demo import EnableDemo
from app.services.upkeep import UpkeepPolicy
from app.services.work import DeliveryPolicy
from fakes import AcceptingReceiver, FakeQueue, services
from fakes.memory import MemoryStore, MemoryUnitOfWork
from helpers import FixedClock

T0 = datetime(2026, 6, 1, 12, tzinfo=UTC)
SMALL = EnableDemo(persona=Persona.FITNESS, content=5, comments=50, dms=10)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


def built(
    store: MemoryStore, queue: FakeQueue | None = None, receiver: AcceptingReceiver | None = None
) -> Services:
    """Batches of 20 rows, deliveries of 7, the clock a second after T0."""
    return services(
        store,
        queue or FakeQueue(),
        FixedClock(T0),
        sender=receiver,
        upkeep_policy=UpkeepPolicy(batch_size=20),
        delivery_policy=DeliveryPolicy(batch_size=7),
        rng=random.Random(1),
    )


def run(store: MemoryStore, job_id: uuid.UUID, receiver: AcceptingReceiver) -> dict[str, object]:
    worker = services(
        store,
        FakeQueue(),
        FixedClock(T0 + timedelta(seconds=1)),
        sender=receiver,
        upkeep_policy=UpkeepPolicy(batch_size=20),
        delivery_policy=DeliveryPolicy(batch_size=7),
        rng=random.Random(1),
    )
    done = worker.run_job(job_id)
    assert done is not None
    assert done.status is JobStatus.SUCCEEDED, done.error
    assert done.result is not None
    return done.result


def demo_rows(store: MemoryStore, account: uuid.UUID) -> tuple[int, int, int, int]:
    """Content, outbox comments, outbox DMs and is_demo inbox rows of the account."""
    outbox = [r.data for r in store.outbox.values() if r.data.account_id == account]
    return (
        sum(c.account_id == account for c in store.contents.values()),
        sum(i.kind is InteractionKind.COMMENT for i in outbox),
        sum(i.kind is InteractionKind.DM for i in outbox),
        sum(r.data.account_id == account and r.data.is_demo for r in store.inbox.values()),
    )


def sent(receiver: AcceptingReceiver) -> list[str]:
    return [i.data.platform_id for batch in receiver.batches for i in batch]


def test_enable_starts_one_initial_batch_and_a_second_enable_changes_nothing(
    store: MemoryStore,
) -> None:
    queue, account = FakeQueue(), uuid.uuid4()
    job, started = built(store, queue).demo.enable(account, SMALL)
    again, started_again = built(store, queue).demo.enable(
        account, EnableDemo(persona=Persona.GAMING)
    )
    assert (started, started_again, again) == (True, False, None)
    assert store.demo_profiles[account].persona is Persona.FITNESS
    assert job is not None
    assert queue.ids == [job.id]
    assert job.params == {"reference_time": T0.isoformat()}


def test_the_initial_batch_stores_delivers_and_a_retry_adds_nothing(store: MemoryStore) -> None:
    queue, account = FakeQueue(), uuid.uuid4()
    job, _ = built(store, queue).demo.enable(account, SMALL)
    assert job is not None
    receiver = AcceptingReceiver()
    result = run(store, job.id, receiver)
    assert result["generated"] == {"content": 5, "comments": 50, "dms": 10}
    assert result["stored"] == {"content": 5, "comments": 50, "dms": 10}
    assert sorted(sent(receiver)) == sorted({r.data.platform_id for r in store.outbox.values()})
    assert {r.status for r in store.outbox.values()} == {DeliveryStatus.SENT}
    assert sum(c.comments_count for c in store.contents.values()) == 50

    # a retry regenerates the very same rows: nothing new is stored or sent
    rerun = NewJob(JobKind.DEMO_INITIAL_BATCH, account, job.params, 2, job.id)
    retry, _ = built(store, queue).engine.create(rerun)
    again = run(store, retry.id, receiver)
    assert again["stored"] == {"content": 0, "comments": 0, "dms": 0}
    assert len(store.outbox) == 60
    assert len(sent(receiver)) == 60


def test_disable_cancels_the_queued_batch_and_purge_deletes_the_demo_data(
    store: MemoryStore,
) -> None:
    queue, account, other = FakeQueue(), uuid.uuid4(), uuid.uuid4()
    kept, _ = built(store, queue).demo.enable(other, SMALL)
    assert kept is not None
    run(store, kept.id, AcceptingReceiver())
    job, _ = built(store, queue).demo.enable(account, SMALL)
    assert job is not None
    run(store, job.id, AcceptingReceiver())
    with MemoryUnitOfWork(store) as uow:  # the inbox side, as the receiver would have stored it
        uow.inbox.upsert([r.data for r in store.outbox.values()], T0)
        uow.commit()

    purge_job = built(store, queue).demo.disable(account, purge=True)
    assert store.demo_profiles[account].enabled is False
    assert purge_job is not None
    done = built(store, queue).run_job(purge_job.id)
    assert done is not None
    assert done.result == {"deleted": 5 + 60 + 60}
    assert demo_rows(store, account) == (0, 0, 0, 0)
    assert demo_rows(store, other) == (5, 50, 10, 60)


def test_disable_of_an_unknown_account_is_not_found(store: MemoryStore) -> None:
    from app.domain.errors import NotFoundError

    with pytest.raises(NotFoundError, match="never enabled"):
        built(store).demo.disable(uuid.uuid4(), purge=False)


def test_native_delivery_needs_a_verified_app_of_the_platforms_family(store: MemoryStore) -> None:
    account = uuid.uuid4()
    native = EnableDemo(platform=Platform.INSTAGRAM, delivery=Delivery.NATIVE, content=1)
    with pytest.raises(NoAppError, match=r"verified meta app: register one with PUT /api/v1/apps"):
        built(store).demo.enable(account, native)
    assert store.demo_profiles == {}  # nothing enabled
    store.apps[Family.META] = PlatformApp(
        Family.META, "https://host.test/hook", "s" * 32, "tok", T0, T0, T0
    )
    job, started = built(store).demo.enable(account, native)
    assert started
    assert job is not None
    profile = store.demo_profiles[account]
    assert profile.native is not None
    assert profile.native.user_id == native_user_id(account)
    assert profile.native.user_id.isdigit()
    assert profile.native.access_token == profile.access_token
    other = uuid.uuid4()
    built(store).demo.enable(other, native)
    assert store.demo_profiles[other].access_token != profile.access_token  # one per account


def test_a_native_tiktok_account_needs_its_app_and_is_named_by_an_open_id(
    store: MemoryStore,
) -> None:
    """TikTok pushes comments to an app's callback (its client key in every event): a native
    account needs the tiktok app, and is named as TikTok names accounts ("act.…")."""
    account = uuid.uuid4()
    tiktok = EnableDemo(platform=Platform.TIKTOK, delivery=Delivery.NATIVE, content=1)
    with pytest.raises(NoAppError, match=r"verified tiktok app: register one with PUT /api/v1/"):
        built(store).demo.enable(account, tiktok)
    assert store.demo_profiles == {}
    store.apps[Family.TIKTOK] = PlatformApp(
        Family.TIKTOK, "https://host.test/tt", "s" * 32, None, T0, T0, T0, client_key="awkey"
    )
    assert built(store).demo.enable(account, tiktok)[0] is not None
    profile = store.demo_profiles[account]
    assert profile.native is not None
    assert profile.native.user_id == native_user_id(account, Platform.TIKTOK)
    assert profile.native.user_id.startswith("act.")
    assert len(profile.native.user_id) == 32  # the column's width


def test_a_native_youtube_channel_needs_no_app_and_has_a_channel_id(store: MemoryStore) -> None:
    """YouTube pushes no comments to an app: its hosts poll the Data API, so a native channel
    is enabled without one, and is named as YouTube names channels ("UC" and 22 characters)."""
    account = uuid.uuid4()
    youtube = EnableDemo(platform=Platform.YOUTUBE, delivery=Delivery.NATIVE)
    job, started = built(store).demo.enable(account, youtube)
    assert started
    assert job is not None
    native = store.demo_profiles[account].native
    assert native is not None
    assert re.fullmatch(r"UC[A-Za-z0-9_-]{22}", native.user_id), native.user_id
    assert native.user_id == native_user_id(account, Platform.YOUTUBE)


def test_a_scenario_run_retried_stores_nothing_twice_and_shows_once_by_its_last_job(
    store: MemoryStore,
) -> None:
    account = uuid.uuid4()
    job, _ = built(store).demo.enable(account, SMALL)
    assert job is not None
    run(store, job.id, AcceptingReceiver())
    first = built(store).scenarios.start(account, "spam-wave", {"stages[0].duration": "1m"})
    store.jobs[first.id] = first.fail("worker lost", T0)  # as the sweeper leaves a lost one
    later = services(store, FakeQueue(), FixedClock(T0 + timedelta(minutes=1)))
    retry, _ = later.engine.create(store.jobs[first.id].retry())
    result = run(store, retry.id, AcceptingReceiver())
    assert result["run"] == first.params["run"]
    assert (
        result["stored"]["scheduled"]
        == result["generated"]["comments"] + result["generated"]["dms"]
    )
    latest = services(store, FakeQueue(), FixedClock(T0 + timedelta(minutes=2)))
    again, _ = latest.engine.create(store.jobs[first.id].retry())  # retried once more
    assert run(store, again.id, AcceptingReceiver())["stored"]["scheduled"] == 0
    runs = built(store).scenarios.runs(account)
    assert [(r.id, r.job.id) for r in runs] == [(uuid.UUID(first.params["run"]), again.id)]
    assert runs[0].status == "running"  # its items are due over the next two hours
    assert runs[0].pending == result["stored"]["scheduled"]


def test_a_batch_cancelled_while_it_is_generated_stops_there_having_written_nothing(
    store: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """50,000 comments take minutes to generate: a cancel asked meanwhile is heard at the
    generation's next heartbeat, not after it (a UI test's worker was busy two minutes more)."""
    import app.services.demo as demo_service

    queue, account = FakeQueue(), uuid.uuid4()
    job, _ = built(store, queue).demo.enable(
        account, EnableDemo(persona=Persona.FITNESS, content=10, comments=2_000, dms=200)
    )
    assert job is not None
    heard: list[tuple[int, int]] = []
    generate = demo_service.generate_demo

    def cancelled_midway(*args: object) -> object:
        *given, progress = args

        def told(done: int, total: int) -> None:
            heard.append((done, total))
            if done >= 500:  # a person presses Cancel on the job's page
                built(store, queue).jobs.cancel(job.id)
            progress(done, total)  # type: ignore[operator]

        return generate(*given, told)  # type: ignore[arg-type]

    monkeypatch.setattr(demo_service, "generate_demo", cancelled_midway)
    done = built(store, queue).run_job(job.id)
    assert done is not None
    assert (done.status, done.phase) == (JobStatus.CANCELLED, "generate")
    assert heard[0] == (0, 2_200)
    assert 500 <= heard[-1][0] < 1_000  # at the first heartbeat after the cancel
    assert demo_rows(store, account) == (0, 0, 0, 0)
