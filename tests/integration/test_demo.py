"""Demo mode end to end: the API, a real worker, the outbox, signed delivery, the inbox."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import text

from app.bootstrap import Container
from helpers import batch_body, signed_headers, wire_item
from integration.support import (
    HEARTBEAT_TIMEOUT_S,
    ControllableReceiver,
    Workers,
    final_job,
    wait_for,
)


def job(client: FlaskClient, auth: dict[str, str], location: str) -> dict[str, Any]:
    body: dict[str, Any] = client.get(location, headers=auth).get_json()
    return body


def wait_for_comments(client: FlaskClient, auth: dict[str, str], location: str, done: int) -> None:
    """Until the initial batch is in its comments phase with `done` of them stored."""
    wait_for(
        lambda: (
            (j := job(client, auth, location))["phase"] == "comments"
            and j["progress"]["done"] >= done
        ),
        60,
        "the comments phase under way",
    )


def inbox_numbers(container: Container, account: uuid.UUID) -> dict[str, Any]:
    with container.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT count(*) FILTER (WHERE kind = 'comment') AS comments,"
                " count(*) FILTER (WHERE kind = 'dm') AS dms,"
                " count(DISTINCT content_platform_id) AS content,"
                " bool_and(is_demo) AS all_demo,"
                " count(*) - count(DISTINCT platform_id) AS duplicates"
                " FROM inbox_interactions WHERE account_id = :a"
            ),
            {"a": account},
        ).one()
        counts_true = conn.execute(
            text(
                "SELECT bool_and(c.comments_count = (SELECT count(*) FROM interactions i"
                " WHERE i.content_platform_id = c.platform_id)) FROM contents c"
                " WHERE c.account_id = :a"
            ),
            {"a": account},
        ).scalar_one()
    return {**row._asdict(), "comments_count_true": counts_true}


def test_enabling_demo_mode_fills_the_inbox_through_a_real_worker(
    client: FlaskClient, auth: dict[str, str], container: Container, workers: Workers
) -> None:
    account = uuid.uuid4()
    response = client.put(f"/api/v1/accounts/{account}/demo", headers=auth)
    assert response.status_code == 202
    location = response.headers["Location"]
    assert response.get_json()["enabled"] is True
    assert response.get_json()["profile"]["sizes"] == {"content": 35, "comments": 920, "dms": 100}

    workers.start()
    done = final_job(client, auth, location, 120)
    assert done["status"] == "succeeded", (done["error"], workers.log_text())
    assert done["result"]["generated"] == {"content": 35, "comments": 920, "dms": 100}
    assert done["result"]["delivery"]["sent"] == 1020
    assert inbox_numbers(container, account) == {
        "comments": 920, "dms": 100, "content": 35, "all_demo": True, "duplicates": 0,
        "comments_count_true": True,
    }  # fmt: skip

    again = client.put(f"/api/v1/accounts/{account}/demo", json={"persona": "gaming"}, headers=auth)
    assert again.status_code == 200  # already on: nothing changes, no second batch
    assert again.get_json()["profile"]["persona"] == "tech_reviews"
    jobs = client.get("/api/v1/jobs", query_string={"account_id": str(account)}, headers=auth)
    assert len(jobs.get_json()["items"]) == 1

    state = client.get(f"/api/v1/accounts/{account}/demo", headers=auth).get_json()
    assert state["counts"] == {
        "content": 35, "comments": 920, "dms": 100, "delivery": {"sent": 1020}, "received": 1020,
        "events": 0,  # demosim's own format: no lifecycle events
    }  # fmt: skip

    # threads and conversations, readable through the inbox
    with container.engine.connect() as conn:
        root = conn.execute(
            text(
                "SELECT id FROM inbox_interactions WHERE account_id = :a AND in_reply_to IS NULL"
                " AND platform_id IN (SELECT in_reply_to FROM inbox_interactions"
                " WHERE account_id = :a) LIMIT 1"
            ),
            {"a": account},
        ).scalar_one()
    thread = client.get(
        f"/api/v1/accounts/{account}/interactions/{root}/thread", headers=auth
    ).get_json()
    assert thread["replies"]
    times = [thread["comment"]["occurred_at"]] + [r["occurred_at"] for r in thread["replies"]]
    assert times == sorted(times)
    conversations = client.get(
        f"/api/v1/accounts/{account}/conversations", query_string={"limit": 200}, headers=auth
    ).get_json()["items"]
    assert sum(c["messages"] for c in conversations) == 100
    assert any(c["messages"] >= 2 for c in conversations)

    # no reply, and no DM after the first of its conversation, came before what it follows:
    # in the same message (stored in one transaction) or a later one (one worker sends one
    # message at a time)
    with container.engine.connect() as conn:
        early = conn.execute(
            text(
                "SELECT count(*) FILTER (WHERE r.received_at < p.received_at), count(*)"
                " FROM inbox_interactions r JOIN inbox_interactions p"
                " ON (p.platform, p.platform_id) = (r.platform, r.in_reply_to)"
                " OR (p.account_id = r.account_id AND p.conversation_id = r.conversation_id"
                "     AND p.occurred_at < r.occurred_at)"
                " WHERE r.account_id = :a"
            ),
            {"a": account},
        ).one()
    assert early[1] > 100  # pairs compared
    assert early[0] == 0, early


def test_sigkill_in_the_comments_phase_then_a_new_worker_ends_with_the_same_counts(
    client: FlaskClient, auth: dict[str, str], container: Container, workers: Workers
) -> None:
    account = uuid.uuid4()
    sizes = {"content": 20, "comments": 3000, "dms": 50}
    response = client.put(
        f"/api/v1/accounts/{account}/demo", json={"sizes": sizes, "persona": "travel"}, headers=auth
    )
    location = response.headers["Location"]
    first = workers.start(DB_BATCH_SIZE="25")
    wait_for_comments(client, auth, location, 100)
    workers.kill(first)
    wait_for(
        lambda: (
            datetime.now(UTC) - datetime.fromisoformat(job(client, auth, location)["heartbeat_at"])
            > timedelta(seconds=HEARTBEAT_TIMEOUT_S + 0.5)
        ),
        30,
        "its heartbeat to go stale",
    )
    workers.start(DB_BATCH_SIZE="25")  # its start-up sweep fails the lost job and retries it
    lost = wait_for(
        lambda: (j := job(client, auth, location))["status"] == "failed" and j, 60, "lost"
    )
    assert lost["error"].startswith("worker lost")
    listed = client.get("/api/v1/jobs", query_string={"account_id": str(account)}, headers=auth)
    (retry,) = [j for j in listed.get_json()["items"] if j["retry_of"]]
    done = wait_for(
        lambda: (
            (j := job(client, auth, f"/api/v1/jobs/{retry['id']}"))["status"]
            in ("succeeded", "failed")
            and j
        ),
        120,
    )
    assert done["status"] == "succeeded", done["error"]
    assert (
        0 < done["result"]["stored"]["comments"] < 3000
    )  # resumed: the first run's rows were kept
    assert inbox_numbers(container, account) == {
        "comments": 3000, "dms": 50, "content": 20, "all_demo": True, "duplicates": 0,
        "comments_count_true": True,
    }  # fmt: skip


def test_cancel_mid_batch_stops_at_a_checkpoint(
    client: FlaskClient, auth: dict[str, str], container: Container, workers: Workers
) -> None:
    account = uuid.uuid4()
    sizes = {"content": 20, "comments": 5000, "dms": 50}
    location = client.put(
        f"/api/v1/accounts/{account}/demo", json={"sizes": sizes}, headers=auth
    ).headers["Location"]
    workers.start(DB_BATCH_SIZE="20")
    wait_for(lambda: job(client, auth, location)["phase"] == "comments", 60, "the comments phase")
    assert client.post(f"{location}/cancel", headers=auth).status_code == 202
    stopped = wait_for(
        lambda: (j := job(client, auth, location))["status"] == "cancelled" and j, 60, "cancel"
    )
    assert stopped["phase"] == "comments"
    with container.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT count(*) FROM interactions WHERE account_id = :a AND kind = 'comment'"),
            {"a": account},
        ).scalar_one()
    assert stored == stopped["progress"]["done"] < 5000  # exactly what the last checkpoint saw
    assert stored % 20 == 0  # whole batches: the stop came between them


def test_purge_leaves_no_demo_rows_and_keeps_live_ones(
    client: FlaskClient,
    auth: dict[str, str],
    container: Container,
    workers: Workers,
    receiver: ControllableReceiver,
    count_rows: Callable[[str], int],
) -> None:
    account, neighbour = uuid.uuid4(), uuid.uuid4()
    small = {"sizes": {"content": 4, "comments": 40, "dms": 5}}
    first = client.put(f"/api/v1/accounts/{account}/demo", json=small, headers=auth).headers[
        "Location"
    ]
    second = client.put(f"/api/v1/accounts/{neighbour}/demo", json=small, headers=auth).headers[
        "Location"
    ]
    live = batch_body(
        [
            wire_item(
                1,
                account,
                datetime.now(UTC),
                is_demo=False,
            )
        ]
    )
    assert (
        client.post("/webhooks/interactions", data=live, headers=signed_headers(live)).status_code
        == 200
    )
    workers.start()
    for location in (first, second):
        wait_for(
            lambda loc=location: job(client, auth, loc)["status"] == "succeeded",
            120,
            "initial batches",
        )

    response = client.delete(
        f"/api/v1/accounts/{account}/demo", query_string={"purge": "true"}, headers=auth
    )
    assert response.status_code == 202
    assert response.get_json()["enabled"] is False
    purge = final_job(client, auth, response.headers["Location"])
    assert purge["status"] == "succeeded"
    assert purge["result"]["deleted"] == 4 + 40 + 5 + 40 + 5  # content, outbox, inbox demo rows

    with container.engine.connect() as conn:
        left = conn.execute(
            text(
                "SELECT (SELECT count(*) FROM interactions WHERE account_id = :a)"
                " + (SELECT count(*) FROM contents WHERE account_id = :a)"
                " + (SELECT count(*) FROM inbox_interactions WHERE account_id = :a AND is_demo)"
            ),
            {"a": account},
        ).scalar_one()
        live_left = conn.execute(
            text("SELECT count(*) FROM inbox_interactions WHERE account_id = :a AND NOT is_demo"),
            {"a": account},
        ).scalar_one()
    assert (left, live_left) == (0, 1)
    assert inbox_numbers(container, neighbour)["comments"] == 40  # another account is untouched
    state = client.get(f"/api/v1/accounts/{account}/demo", headers=auth).get_json()
    assert (state["enabled"], state["counts"]["received"]) == (False, 0)


def test_disable_without_purge_keeps_the_data(client: FlaskClient, auth: dict[str, str]) -> None:
    account = uuid.uuid4()
    client.put(
        f"/api/v1/accounts/{account}/demo",
        json={"sizes": {"content": 1, "comments": 1, "dms": 0}},
        headers=auth,
    )
    response = client.delete(f"/api/v1/accounts/{account}/demo", headers=auth)
    assert response.status_code == 200
    assert response.get_json()["enabled"] is False
    assert response.get_json()["job"]["status"] == "cancelled"  # the queued initial batch


def test_bad_requests_name_the_field(client: FlaskClient, auth: dict[str, str]) -> None:
    account = uuid.uuid4()
    for body, field in (
        ({"persona": "knitting"}, "persona"),
        ({"dm_frequency": "sometimes"}, "dm_frequency"),
        ({"sizes": {"comments": -5}}, "sizes"),
        ({"locale": "xx_XX"}, "locale"),
        ({"seed": "abc"}, "seed"),
    ):
        response = client.put(f"/api/v1/accounts/{account}/demo", json=body, headers=auth)
        assert response.status_code == 422, body
        assert field in response.get_json()["errors"]["json"]
    nothing = client.put(
        f"/api/v1/accounts/{account}/demo",
        json={"sizes": {"content": 0, "comments": 3}},
        headers=auth,
    )
    assert nothing.status_code == 422
    assert "sizes" in nothing.get_json()["errors"]["json"]
    assert client.get(f"/api/v1/accounts/{account}/demo", headers=auth).status_code == 404
    assert client.delete(f"/api/v1/accounts/{account}/demo", headers=auth).status_code == 404
