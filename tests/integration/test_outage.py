"""PostgreSQL drops every connection mid-batch (what a restart or failover does to its
clients): the job's attempt fails, a retry resumes it, and the inbox ends exactly complete."""

import signal
import time
import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Connection, text

from app.bootstrap import Container
from app.services.work import Sweeper
from integration.support import Workers, wait_for
from integration.test_demo import inbox_numbers, job, wait_for_comments

pytestmark = pytest.mark.integration

FINAL = ("succeeded", "failed", "cancelled")


def terminate_others(conn: Connection) -> int:
    """Every backend of the test database but this one, as a server restart would."""
    killed = conn.execute(
        text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    ).scalar_one()
    return int(killed)


def terminate_connections(container: Container) -> int:
    with container.engine.connect() as conn:
        return terminate_others(conn)


def terminate_mid_transaction(container: Container, table: str) -> int:
    """Every other backend ended while one of them waits, mid-transaction, on `table`."""
    with container.engine.connect() as conn, conn.begin():
        conn.execute(text(f"LOCK TABLE {table} IN EXCLUSIVE MODE"))
        wait_for(
            lambda: conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
                )
            ).scalar_one(),
            60,
            f"a transaction waiting on {table}",
        )
        return terminate_others(conn)


def test_connections_terminated_three_times_mid_batch_lose_nothing(
    client: FlaskClient, auth: dict[str, str], container: Container, workers: Workers
) -> None:
    account = uuid.uuid4()
    response = client.put(f"/api/v1/accounts/{account}/demo", headers=auth)
    location = response.headers["Location"]
    workers.start(DB_BATCH_SIZE="2")  # many short transactions: the comments phase lasts
    wait_for_comments(client, auth, location, 100)

    def batches() -> list[dict[str, object]]:
        listed = client.get("/api/v1/jobs", query_string={"account_id": str(account)}, headers=auth)
        return [j for j in listed.get_json()["items"] if j["kind"] == "demo.initial_batch"]

    # the first termination is made to land inside a transaction of the worker's: the test
    # holds the table its batches write, waits until the worker's next batch is blocked on
    # it, and ends every other backend (an idle pooled connection that dies would be
    # replaced by the pre-ping unnoticed); then twice more, half a second apart
    killed = [terminate_mid_transaction(container, "interactions")]
    for _ in range(2):
        time.sleep(0.5)
        killed.append(terminate_connections(container))
    wait_for(lambda: any(j["status"] == "failed" for j in batches()), 60, "the attempt to fail")
    assert sum(killed) >= 3

    # rows a failed delivery rescheduled are swept up; the sweeper looks every second here
    sweeping = replace(container.services.engine.policy, requeue_after=timedelta(seconds=1))

    def complete() -> bool:
        Sweeper(replace(container.services.engine, policy=sweeping)).sweep()
        numbers = inbox_numbers(container, account)
        return (numbers["comments"], numbers["dms"]) == (920, 100)

    wait_for(complete, 180, "every item in the inbox")
    assert inbox_numbers(container, account) == {
        "comments": 920, "dms": 100, "content": 35, "all_demo": True, "duplicates": 0,
        "comments_count_true": True,
    }  # fmt: skip
    history = wait_for(
        lambda: (found := batches()) and all(j["status"] in FINAL for j in found) and found,
        60,
        "the last attempt to end",
    )
    failed = [j for j in history if j["status"] == "failed"]
    assert failed, workers.log_text()
    assert all(str(j["error"]).startswith("transient failure") for j in failed), failed
    (last,) = [j for j in history if j["status"] != "failed"]
    assert last["status"] == "succeeded", (last, workers.log_text())
    assert last["retry_of"] in {j["id"] for j in failed}
    assert "Traceback" not in workers.log_text()

    ready = wait_for(
        lambda: client.get("/readyz").status_code == 200, 30, "/readyz to answer 200 again"
    )
    assert ready


def test_sigterm_mid_job_hands_it_back_and_a_new_worker_finishes_it_exactly_once(
    client: FlaskClient, auth: dict[str, str], container: Container, workers: Workers
) -> None:
    account = uuid.uuid4()
    sizes = {"content": 20, "comments": 3000, "dms": 50}
    response = client.put(f"/api/v1/accounts/{account}/demo", json={"sizes": sizes}, headers=auth)
    location = response.headers["Location"]
    # a heartbeat timeout far past the test: only a hand-back can bring the job back in time
    first = workers.start(DB_BATCH_SIZE="25", JOB_HEARTBEAT_TIMEOUT="3600")
    wait_for_comments(client, auth, location, 100)
    first.send_signal(signal.SIGTERM)
    assert first.wait(timeout=60) == 0, workers.log_text()
    handed = job(client, auth, location)
    assert handed["status"] == "failed"
    assert handed["error"].startswith("handed back: its worker was stopped; retried as job")
    listed = client.get("/api/v1/jobs", query_string={"account_id": str(account)}, headers=auth)
    (retry,) = [j for j in listed.get_json()["items"] if j["retry_of"] == handed["id"]]
    assert (retry["status"], retry["attempt"]) == ("queued", handed["attempt"])

    workers.start(DB_BATCH_SIZE="25", JOB_HEARTBEAT_TIMEOUT="3600")
    done = wait_for(
        lambda: (
            (j := job(client, auth, f"/api/v1/jobs/{retry['id']}"))["status"]
            in ("succeeded", "failed")
            and j
        ),
        120,
        "the retry to finish",
    )
    assert done["status"] == "succeeded", (done["error"], workers.log_text())
    assert 0 < done["result"]["stored"]["comments"] < 3000  # it resumed
    assert inbox_numbers(container, account) == {
        "comments": 3000, "dms": 50, "content": 20, "all_demo": True, "duplicates": 0,
        "comments_count_true": True,
    }  # fmt: skip
