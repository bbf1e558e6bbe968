"""Delivery against real PostgreSQL and a real HTTP receiver (the app itself, behind a switch).

These run the delivery service in this process so that time is moved with the clock; the
worker tests run the same code in real RQ worker processes.
"""

import base64
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from app.adapters.webhooks.sender import HttpWebhookSender
from app.bootstrap import Container, bootstrap
from app.config import Settings
from app.domain.delivery import DeliveryStatus, OutboxInteraction
from app.domain.jobs import JobKind, JobStatus, NewJob
from app.entrypoints.processes import free_port
from helpers import FixedClock, incoming
from integration.support import ControllableReceiver

ACCOUNT = uuid.uuid4()
T0 = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def sim(
    settings: Settings, container: Container, receiver: ControllableReceiver, clock: FixedClock
) -> Iterator[Container]:
    """A container on the test database whose clock the test moves, sending to `receiver`."""
    built = bootstrap(
        replace(
            settings,
            webhook_target_url=receiver.url,
            delivery_batch_size=10,
            webhook_max_attempts=3,
        ),
        clock=clock,
    )
    yield built
    built.close()


def queue_outbox(sim: Container, n: int, account: uuid.UUID = ACCOUNT) -> None:
    with sim.uow() as uow:
        uow.outbox.add(
            [incoming(f"out-{account}-{i}", account, T0 - timedelta(minutes=i)) for i in range(n)],
            T0,
        )
        uow.commit()


def deliver(sim: Container) -> dict[str, object]:
    job, _ = sim.services.engine.create(NewJob(JobKind.DELIVER))
    done = sim.services.run_job(job.id)
    assert done is not None
    assert done.status is JobStatus.SUCCEEDED, done.error
    assert done.result is not None
    return done.result


def test_every_row_lands_once_and_is_marked_sent(
    sim: Container, receiver: ControllableReceiver, count_rows: Callable[[str], int]
) -> None:
    queue_outbox(sim, 45)
    assert deliver(sim) == {"sent": 45, "failed": 0, "rescheduled": 0, "batches": 5}
    assert receiver.requests == 5
    assert count_rows("inbox_interactions") == 45
    with sim.engine.connect() as conn:
        from sqlalchemy import text

        statuses = dict(
            conn.execute(text("SELECT status, count(*) FROM interactions GROUP BY 1")).all()
        )
        demo = conn.execute(text("SELECT bool_and(is_demo) FROM inbox_interactions")).scalar_one()
    assert statuses == {"sent": 45}
    assert demo is True


def test_receiver_down_then_back_loses_nothing_and_shows_attempts(
    sim: Container,
    receiver: ControllableReceiver,
    clock: FixedClock,
    client: FlaskClient,
    auth: dict[str, str],
    count_rows: Callable[[str], int],
) -> None:
    queue_outbox(sim, 25)
    receiver.fail_with = 503
    assert deliver(sim) == {"sent": 0, "failed": 0, "rescheduled": 25, "batches": 3}

    waiting = client.get(
        "/api/v1/deliveries", query_string={"status": "queued", "limit": 200}, headers=auth
    )
    items = waiting.get_json()["items"]
    assert len(items) == 25
    assert {i["attempts"] for i in items} == {1}
    assert {i["last_error"] for i in items} == {"HTTP 503: receiver is down"}
    retry_at = max(datetime.fromisoformat(i["next_attempt_at"]) for i in items)
    assert retry_at > T0  # backed off

    assert deliver(sim)["batches"] == 0  # nothing is due before its time
    receiver.fail_with = None
    clock.at = retry_at
    assert deliver(sim)["sent"] == 25
    assert count_rows("inbox_interactions") == 25
    sent = client.get(
        "/api/v1/deliveries", query_string={"status": "sent", "limit": 200}, headers=auth
    )
    assert {i["attempts"] for i in sent.get_json()["items"]} == {2}


def test_retry_after_from_the_receiver_sets_the_next_attempt(
    sim: Container, receiver: ControllableReceiver, client: FlaskClient, auth: dict[str, str]
) -> None:
    queue_outbox(sim, 5)
    receiver.fail_with, receiver.retry_after = 429, "3600"
    deliver(sim)
    items = client.get(
        "/api/v1/deliveries", query_string={"status": "queued"}, headers=auth
    ).get_json()["items"]
    assert {datetime.fromisoformat(i["next_attempt_at"]) for i in items} == {
        T0 + timedelta(hours=1)
    }


def test_after_max_attempts_rows_are_dead_letters_and_redelivery_brings_them_in(
    sim: Container,
    receiver: ControllableReceiver,
    clock: FixedClock,
    client: FlaskClient,
    auth: dict[str, str],
    count_rows: Callable[[str], int],
) -> None:
    other = uuid.uuid4()
    queue_outbox(sim, 12)
    queue_outbox(sim, 3, account=other)
    receiver.fail_with = 500
    for _ in range(3):  # WEBHOOK_MAX_ATTEMPTS=3
        deliver(sim)
        clock.at += timedelta(days=1)
    dead = client.get(
        "/api/v1/deliveries", query_string={"status": "failed", "limit": 200}, headers=auth
    )
    assert len(dead.get_json()["items"]) == 15
    assert {i["attempts"] for i in dead.get_json()["items"]} == {3}
    assert count_rows("inbox_interactions") == 0

    receiver.fail_with = None
    response = client.post(
        "/api/v1/deliveries/redeliver", json={"account_id": str(ACCOUNT)}, headers=auth
    )
    assert response.status_code == 202
    job_id = response.get_json()["id"]
    assert response.headers["Location"].endswith(f"/api/v1/jobs/{job_id}")
    assert response.get_json()["params"] == {"requeued": 12}
    done = sim.services.run_job(uuid.UUID(job_id))
    assert done is not None
    assert done.result == {"sent": 12, "failed": 0, "rescheduled": 0, "batches": 2}
    assert count_rows("inbox_interactions") == 12
    still_dead = client.get("/api/v1/deliveries", query_string={"status": "failed"}, headers=auth)
    assert {i["account_id"] for i in still_dead.get_json()["items"]} == {str(other)}


def test_410_gone_makes_dead_letters_at_once(
    sim: Container, receiver: ControllableReceiver
) -> None:
    queue_outbox(sim, 10)
    receiver.fail_with = 410
    assert deliver(sim) == {"sent": 0, "failed": 10, "rescheduled": 0, "batches": 1}


def test_redirects_are_failures(sim: Container, receiver: ControllableReceiver) -> None:
    queue_outbox(sim, 10)
    receiver.fail_with = 302
    assert deliver(sim)["rescheduled"] == 10


def test_two_workers_never_claim_the_same_row(sim: Container) -> None:
    queue_outbox(sim, 300)

    def claim_all(worker: int) -> list[uuid.UUID]:
        job_id = uuid.uuid4()
        mine: list[uuid.UUID] = []
        while True:
            with sim.uow() as uow:
                batch = uow.outbox.claim_due(job_id, T0, 7, T0 + timedelta(minutes=2))
                uow.commit()
            if not batch:
                return mine
            mine.extend(row.id for row in batch)

    with ThreadPoolExecutor(max_workers=4) as pool:
        claims = list(pool.map(claim_all, range(4)))
    every = [row for claim in claims for row in claim]
    assert len(every) == 300
    assert len(set(every)) == 300
    assert sum(1 for claim in claims if claim) >= 2  # the work was actually shared


def test_a_dead_jobs_claim_is_released_by_the_sweeper(sim: Container, clock: FixedClock) -> None:
    queue_outbox(sim, 20)
    job, _ = sim.services.engine.create(NewJob(JobKind.DELIVER))
    with sim.uow() as uow:  # the job starts, claims a batch, and its worker dies
        uow.jobs.save(job.start(clock.now()))
        claimed = uow.outbox.claim_due(job.id, T0, 10, T0 + timedelta(minutes=2))
        uow.commit()
    assert len(claimed) == 10
    clock.at = T0 + timedelta(seconds=sim.settings.job_heartbeat_timeout + 1)  # lease still valid
    report = sim.services.sweeper.sweep()
    assert (report.jobs_lost, report.jobs_retried) == (1, 1)
    with sim.uow() as uow:
        assert uow.outbox.count_due(clock.now()) == 20


def test_a_receiver_that_cannot_be_reached_is_a_failed_attempt_naming_why() -> None:
    """Nothing listens on the port: the attempt fails at once, with the reason, and no status."""
    url = f"http://127.0.0.1:{free_port()}/webhooks/interactions"
    sender = HttpWebhookSender(url, "whsec_" + base64.b64encode(b"k" * 32).decode(), timeout=(2, 2))
    item = incoming("c1", ACCOUNT, datetime.now(UTC))
    row = OutboxInteraction(uuid.uuid4(), item, DeliveryStatus.SENDING, 1, item.occurred_at,
                            None, None, None, None)  # fmt: skip
    outcome = sender.send("msg_unreachable", [row])
    assert (outcome.ok, outcome.status_code, outcome.permanent) == (False, None, False)
    assert "refused" in str(outcome.error).lower(), outcome.error
