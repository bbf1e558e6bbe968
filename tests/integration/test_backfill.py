"""Months of history through the live path (issue 26): `POST …/backfill` and `demosim
backfill`, real workers, signed delivery to the real receiver, the inbox; a re-run that stores
nothing, a worker killed mid-way and the retry ending with the same rows, and the live tick
after it beginning where it ended."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select, text

from app.adapters.db.tables import interactions, jobs
from app.bootstrap import Container
from app.config import Settings
from app.domain.jobs import JobKind, NewJob
from integration.support import (
    HEARTBEAT_TIMEOUT_S,
    ControllableReceiver,
    Workers,
    command_env,
    final_job,
    wait_for,
)
from integration.test_cli import run

SIZES = {"content": 3, "comments": 30, "dms": 5}


def enabled(client: FlaskClient, auth: dict[str, str], workers: Workers, **env: str) -> uuid.UUID:
    account = uuid.uuid4()
    put = client.put(f"/api/v1/accounts/{account}/demo", json={"sizes": SIZES}, headers=auth)
    assert put.status_code == 202
    workers.start(**env)
    assert final_job(client, auth, put.headers["Location"], 120)["status"] == "succeeded"
    return account


def received_since(container: Container, account: uuid.UUID, since: datetime) -> dict[str, Any]:
    with container.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT count(*) AS n, min(occurred_at) AS first, max(occurred_at) AS last,"
                " count(*) - count(DISTINCT platform_id) AS duplicates"
                " FROM inbox_interactions WHERE account_id = :a AND received_at >= :since"
            ),
            {"a": account, "since": since},
        ).one()
    return dict(row._asdict())


def test_a_30_day_backfill_arrives_signed_with_its_original_times_and_a_rerun_adds_nothing(
    client: FlaskClient,
    auth: dict[str, str],
    container: Container,
    workers: Workers,
    count_rows: Callable[[str], int],
) -> None:
    account = enabled(client, auth, workers)
    started = datetime.now(UTC)
    post = client.post(f"/api/v1/accounts/{account}/backfill", json={"days": 30}, headers=auth)
    assert post.status_code == 202, post.get_json()
    done = final_job(client, auth, post.headers["Location"], 120)
    assert done["status"] == "succeeded", (done["error"], workers.log_text())
    end = datetime.fromisoformat(done["params"]["reference_time"])
    assert end <= started
    assert end.hour % 6 == 0
    assert end.minute == 0
    made = done["result"]["generated"]
    assert made["content"] == 60  # two posts a day
    assert done["result"]["delivery"]["sent"] == made["comments"] + made["dms"]
    got = received_since(container, account, started)
    assert got["n"] == made["comments"] + made["dms"]
    assert got["duplicates"] == 0
    assert end - timedelta(days=30) <= got["first"] < end - timedelta(days=29)
    assert end - timedelta(hours=6) <= got["last"] < end

    rows = count_rows("inbox_interactions")
    again = client.post(f"/api/v1/accounts/{account}/backfill", json={"days": 30}, headers=auth)
    rerun = final_job(client, auth, again.headers["Location"], 120)
    assert rerun["status"] == "succeeded", rerun["error"]
    if rerun["params"]["reference_time"] == done["params"]["reference_time"]:  # the same slot
        assert rerun["result"]["stored"] == {"content": 0, "comments": 0, "dms": 0}
        assert count_rows("inbox_interactions") == rows

    # the live tick after it, its window begun before the backfill's end: nothing older
    with container.engine.begin() as conn:  # (on long enough to take part in ticks)
        conn.execute(
            text("UPDATE demo_accounts SET enabled_at = now() - interval '1 day'"
                 " WHERE account_id = :a"),
            {"a": account},
        )  # fmt: skip
    history_until = datetime.fromisoformat(rerun["params"]["reference_time"])
    ticked = datetime.now(UTC)
    parent, _ = container.services.engine.create(
        NewJob(JobKind.ONGOING_INTERACTIONS, params={"reference_time": ticked.isoformat()})
    )
    container.services.run_job(parent.id)  # (unless a worker took it: then it fans out there)
    with container.engine.connect() as conn:
        for child in conn.execute(select(jobs.c.id).where(jobs.c.parent_id == parent.id)).all():
            container.services.run_job(child.id)  # (unless a worker has it already)
    # the tick ends when its chunks have: a worker that took the tick may not have fanned out
    # when its children were listed (make test on embedded servers: none listed, 0 rows)
    wait_for(lambda: container.services.jobs.get(parent.id).status.is_final, 60, "the tick ended")
    with container.engine.connect() as conn:
        first, n = conn.execute(
            select(func.min(interactions.c.occurred_at), func.count()).where(
                interactions.c.account_id == account, interactions.c.created_at >= ticked
            )
        ).one()
    assert n > 0
    assert ticked - timedelta(hours=6) < history_until <= first < ticked


def test_a_backfill_killed_mid_way_is_resumed_by_its_retry_with_the_same_rows(
    client: FlaskClient, auth: dict[str, str], container: Container, workers: Workers
) -> None:
    account = enabled(client, auth, workers, DB_BATCH_SIZE="25")
    workers.stop_all()
    started = datetime.now(UTC)
    post = client.post(f"/api/v1/accounts/{account}/backfill", json={"days": 30}, headers=auth)
    location = post.headers["Location"]
    first = workers.start(DB_BATCH_SIZE="25")
    wait_for(
        lambda: (
            (j := client.get(location, headers=auth).get_json())["phase"] == "comments"
            and j["progress"]["done"] >= 100
        ),
        60,
        "the comments phase under way",
    )
    workers.kill(first)
    wait_for(
        lambda: (
            datetime.now(UTC)
            - datetime.fromisoformat(client.get(location, headers=auth).get_json()["heartbeat_at"])
            > timedelta(seconds=HEARTBEAT_TIMEOUT_S + 0.5)
        ),
        30,
        "its heartbeat to go stale",
    )
    workers.start(DB_BATCH_SIZE="25")  # its start-up sweep fails the lost job and retries it
    listed = wait_for(
        lambda: [
            j
            for j in client.get(
                "/api/v1/jobs", query_string={"account_id": str(account)}, headers=auth
            ).get_json()["items"]
            if j["retry_of"]
        ],
        60,
        "the retry",
    )
    done = final_job(client, auth, f"/api/v1/jobs/{listed[0]['id']}", 120)
    assert done["status"] == "succeeded", done["error"]
    made = done["result"]["generated"]
    assert 0 < done["result"]["stored"]["comments"] < made["comments"]  # the first run's kept
    got = received_since(container, account, started)
    assert (got["n"], got["duplicates"]) == (made["comments"] + made["dms"], 0)


def test_what_a_backfill_cannot_do_is_refused_naming_the_field(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    account = uuid.uuid4()
    off = client.post(f"/api/v1/accounts/{account}/backfill", json={"days": 3}, headers=auth)
    assert off.status_code == 404
    assert "demo mode is off" in off.get_json()["message"]
    client.put(f"/api/v1/accounts/{account}/demo", json={"sizes": SIZES}, headers=auth)
    for days, says in ((0, "days must be between 1 and 30"), (31, "RETENTION_DAYS")):
        bad = client.post(f"/api/v1/accounts/{account}/backfill", json={"days": days}, headers=auth)
        assert bad.status_code == 422
        assert says in bad.get_json()["message"]
        assert "days" in bad.get_json()["errors"]["json"]
    wrong = client.post(f"/api/v1/accounts/{account}/backfill", json={"days": "3"}, headers=auth)
    assert wrong.status_code == 422
    assert "days" in wrong.get_json()["errors"]["json"]


def test_demosim_backfill_runs_the_job_and_says_what_it_did(
    client: FlaskClient,
    auth: dict[str, str],
    workers: Workers,
    settings: Settings,
    receiver: ControllableReceiver,
    tmp_path: Path,
) -> None:
    account = enabled(client, auth, workers)
    workers.stop_all()  # the command runs its job itself
    env = command_env(settings, receiver, tmp_path)
    done = run(["backfill", "--account", str(account), "--days", "2"], **env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "succeeded" in done.stdout
    assert "'content': 4" in done.stdout
    refused = run(["backfill", "--account", str(account), "--days", "90"], **env)
    assert refused.returncode == 2
    assert refused.stderr.startswith("demosim: --days must be between 1 and 30")
    not_an_id = run(["backfill", "--account", "acct-7", "--days", "2"], **env)
    assert not_an_id.returncode == 2
    assert "--account 'acct-7' is not an account id" in not_an_id.stderr
