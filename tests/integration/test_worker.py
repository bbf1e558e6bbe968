"""Real RQ worker processes against real Redis and PostgreSQL, delivering to a real receiver."""

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from flask.testing import FlaskClient

from app.bootstrap import Container
from app.config import Settings
from app.domain.jobs import JobKind, NewJob
from helpers import incoming
from integration.support import (
    HEARTBEAT_TIMEOUT_S,
    ControllableReceiver,
    Workers,
    final_job,
    wait_for,
)

ACCOUNT = uuid.uuid4()


def queue_outbox(container: Container, n: int, ago: timedelta = timedelta(0)) -> None:
    at = datetime.now(UTC) - ago
    with container.uow() as uow:
        uow.outbox.add(
            [incoming(f"w-{i}", ACCOUNT, at - timedelta(seconds=i)) for i in range(n)], at
        )
        uow.commit()


def new_delivery_job(container: Container) -> uuid.UUID:
    job, _ = container.services.engine.create(NewJob(JobKind.DELIVER))
    return job.id


def job_json(client: FlaskClient, auth: dict[str, str], job_id: uuid.UUID | str) -> dict[str, Any]:
    response = client.get(f"/api/v1/jobs/{job_id}", headers=auth)
    assert response.status_code == 200
    body: dict[str, Any] = response.get_json()
    body["_retry_after"] = response.headers.get("Retry-After")
    return body


def delivered_once_each(container: Container, count_rows: Callable[[str], int], n: int) -> None:
    """Every outbox row sent, and exactly one inbox row per outbox row."""
    from sqlalchemy import text

    with container.engine.connect() as conn:
        sent = conn.execute(
            text("SELECT count(*) FROM interactions WHERE status = 'sent'")
        ).scalar_one()
        matched = conn.execute(
            text(
                "SELECT count(*) FROM interactions o JOIN inbox_interactions i "
                "ON i.platform = o.platform AND i.platform_id = o.platform_id"
            )
        ).scalar_one()
    assert (sent, matched, count_rows("inbox_interactions")) == (n, n, n)


def test_a_job_goes_queued_running_succeeded_with_progress_visible(
    container: Container,
    workers: Workers,
    receiver: ControllableReceiver,
    client: FlaskClient,
    auth: dict[str, str],
    count_rows: Callable[[str], int],
) -> None:
    queue_outbox(container, 120)
    receiver.hold_after(2)  # the job stays running after two batches of 10
    job_id = new_delivery_job(container)
    first = job_json(client, auth, job_id)
    assert (first["status"], first["_retry_after"]) == ("queued", "2")

    workers.start("--burst")
    running = wait_for(
        lambda: (
            (j := job_json(client, auth, job_id))["status"] == "running"
            and j["progress"]["done"] > 0
            and j
        ),
        what="the job running with progress",
    )
    assert running["phase"] == "deliver"
    assert running["progress"]["total"] == 120
    assert 0 < running["progress"]["done"] < 120
    assert running["heartbeat_at"] is not None
    receiver.release()
    done = final_job(client, auth, f"/api/v1/jobs/{job_id}")
    assert done["status"] == "succeeded"
    assert job_json(client, auth, job_id)["_retry_after"] is None
    assert done["result"] == {"sent": 120, "failed": 0, "rescheduled": 0, "batches": 12}
    assert done["progress"] == {"done": 120, "total": 120}
    delivered_once_each(container, count_rows, 120)
    listed = client.get(
        "/api/v1/jobs", query_string={"status": "succeeded"}, headers=auth
    ).get_json()
    assert [j["id"] for j in listed["items"]] == [str(job_id)]


def test_cancel_of_a_queued_job_takes_it_off_the_queue(
    container: Container,
    workers: Workers,
    client: FlaskClient,
    auth: dict[str, str],
    count_rows: Callable[[str], int],
) -> None:
    queue_outbox(container, 10, ago=timedelta(minutes=1))  # due long enough to be stranded
    job_id = new_delivery_job(container)
    assert container.queue.knows(job_id)
    response = client.post(f"/api/v1/jobs/{job_id}/cancel", headers=auth)
    assert response.status_code == 202
    assert response.get_json()["status"] == "cancelled"
    assert not container.queue.knows(job_id)
    workers.start("--burst").wait(timeout=60)
    cancelled = job_json(client, auth, job_id)
    assert (cancelled["status"], cancelled["started_at"]) == ("cancelled", None)  # never ran
    # the worker's start-up sweep saw due rows with no delivery job left, and made one
    (sweepers,) = [
        j
        for j in client.get("/api/v1/jobs", headers=auth).get_json()["items"]
        if j["id"] != str(job_id)
    ]
    assert (sweepers["status"], sweepers["result"]["sent"]) == ("succeeded", 10)
    assert count_rows("inbox_interactions") == 10
    again = client.post(f"/api/v1/jobs/{job_id}/cancel", headers=auth)
    assert again.status_code == 409
    assert "cancelled" in again.get_json()["message"]


def test_cancel_of_a_running_job_stops_at_a_checkpoint_and_retry_resumes(
    container: Container,
    workers: Workers,
    receiver: ControllableReceiver,
    client: FlaskClient,
    auth: dict[str, str],
    count_rows: Callable[[str], int],
) -> None:
    queue_outbox(container, 200)
    receiver.hold_after(3)
    job_id = new_delivery_job(container)
    workers.start()
    wait_for(lambda: job_json(client, auth, job_id)["progress"]["done"] >= 20, what="some progress")
    assert client.post(f"/api/v1/jobs/{job_id}/cancel", headers=auth).status_code == 202
    receiver.release()  # the cancel is seen at the next checkpoint
    stopped = wait_for(
        lambda: (j := job_json(client, auth, job_id))["status"] == "cancelled" and j, what="cancel"
    )
    assert 20 <= stopped["progress"]["done"] < 200
    assert client.post(f"/api/v1/jobs/{job_id}/cancel", headers=auth).status_code == 409

    response = client.post(f"/api/v1/jobs/{job_id}/retry", headers=auth)
    assert response.status_code == 202
    retry = response.get_json()
    assert (retry["retry_of"], retry["attempt"]) == (str(job_id), 2)
    assert response.headers["Location"].endswith(f"/api/v1/jobs/{retry['id']}")
    finished = final_job(client, auth, response.headers["Location"])
    assert finished["status"] == "succeeded"
    assert finished["result"]["sent"] == 200 - stopped["progress"]["done"]  # resumed, not redone
    delivered_once_each(container, count_rows, 200)
    assert client.post(f"/api/v1/jobs/{retry['id']}/retry", headers=auth).status_code == 409


def test_sigkill_mid_job_then_a_new_worker_delivers_everything_exactly_once(
    container: Container,
    workers: Workers,
    receiver: ControllableReceiver,
    client: FlaskClient,
    auth: dict[str, str],
    count_rows: Callable[[str], int],
) -> None:
    queue_outbox(container, 150)
    receiver.hold_after(4)
    job_id = new_delivery_job(container)
    first = workers.start()
    wait_for(
        lambda: job_json(client, auth, job_id)["progress"]["done"] >= 30,
        what="progress before the kill",
    )
    workers.kill(first)  # the worker and its work horse, mid-batch
    assert job_json(client, auth, job_id)["status"] == "running"  # as far as anyone knows

    receiver.release()
    wait_for(
        lambda: (
            (
                datetime.now(UTC)
                - datetime.fromisoformat(job_json(client, auth, job_id)["heartbeat_at"])
            )
            > timedelta(seconds=HEARTBEAT_TIMEOUT_S + 0.5)
        ),
        what="the heartbeat to go stale",
    )
    workers.start()  # sweeps at start: the lost job fails and its retry runs here
    lost = wait_for(
        lambda: (j := job_json(client, auth, job_id))["status"] == "failed" and j, what="lost job"
    )
    assert lost["error"].startswith("worker lost: no heartbeat since")
    retries = client.get(
        "/api/v1/jobs", query_string={"kind": "delivery.deliver"}, headers=auth
    ).get_json()["items"]
    (retry,) = [j for j in retries if j["retry_of"] == str(job_id)]
    wait_for(
        lambda: job_json(client, auth, retry["id"])["status"] == "succeeded",
        what="the retry to succeed",
    )
    delivered_once_each(container, count_rows, 150)


def test_jobs_queued_when_redis_is_flushed_are_re_enqueued_by_the_sweeper(
    settings: Settings,
    container: Container,
    workers: Workers,
    client: FlaskClient,
    auth: dict[str, str],
    count_rows: Callable[[str], int],
) -> None:
    from dataclasses import replace

    from app.bootstrap import bootstrap
    from helpers import FixedClock

    queue_outbox(container, 30)
    job_id = new_delivery_job(container)
    container.redis.flushdb()  # Redis lost everything it held
    assert not container.queue.knows(job_id)
    later = bootstrap(replace(settings), clock=FixedClock(datetime.now(UTC) + timedelta(minutes=5)))
    try:
        report = later.services.sweeper.sweep()
    finally:
        later.close()
    assert report.jobs_requeued == 1
    assert container.queue.knows(job_id)
    workers.start("--burst").wait(timeout=120)
    assert job_json(client, auth, job_id)["status"] == "succeeded", workers.log_text()
    delivered_once_each(container, count_rows, 30)


def test_idempotency_key_replay(
    client: FlaskClient, auth: dict[str, str], container: Container
) -> None:
    headers = {**auth, "Idempotency-Key": "redeliver-2026-11-23"}
    first = client.post("/api/v1/deliveries/redeliver", json={}, headers=headers)
    again = client.post("/api/v1/deliveries/redeliver", json={}, headers=headers)
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.headers["Location"] == first.headers["Location"]
    other = client.post(
        "/api/v1/deliveries/redeliver", json={"account_id": str(ACCOUNT)}, headers=headers
    )
    assert other.status_code == 422
    assert "Idempotency-Key" in other.get_json()["message"]
    listed = client.get("/api/v1/jobs", headers=auth).get_json()["items"]
    assert len(listed) == 1


def test_unknown_job_is_404(client: FlaskClient, auth: dict[str, str]) -> None:
    response = client.get(f"/api/v1/jobs/{uuid.uuid4()}", headers=auth)
    assert response.status_code == 404
    assert "no job" in response.get_json()["message"]


def test_a_workers_teardown_ends_even_when_its_channel_thread_read_a_message_last(
    container: Container,
) -> None:
    """RQ's command channel is read by a thread blocked up to 60 s on the socket; the worker's
    teardown must wake it and see it end. The dangerous moment: the thread has just read a
    message and gone back to its read (under RQ 3.0's own order, UNSUBSCRIBE's answer could be
    that message, and redis-py 8.2's `stop()` then waited out the minute: CI's hung worker)."""
    from rq.serializers import JSONSerializer

    from app.adapters.queue import HandingBackWorker

    worker = HandingBackWorker(
        [container.queue.queue], connection=container.redis, serializer=JSONSerializer
    )
    worker.subscribe()
    thread = worker.pubsub_thread
    seen = threading.Event()
    read = worker.handle_payload

    def handled(message: dict[str, Any]) -> None:
        read(message)
        seen.set()

    worker.pubsub.channels[worker.pubsub_channel_name.encode()] = handled
    container.redis.publish(worker.pubsub_channel_name, '{"command": "none"}')
    assert seen.wait(10), "the channel's message was never read"
    # the thread is back in its read now; the teardown must not wait out its 60 s
    ending = threading.Thread(target=worker.unsubscribe, daemon=True)
    ending.start()
    ending.join(10)
    assert not ending.is_alive(), "unsubscribe() is still waiting for the channel's thread"
    assert not thread.is_alive()
