"""`demosim scheduler` and `demosim worker` processes on real PostgreSQL and Redis: slots run
once with two schedulers, a restart keeps one entry, missed slots and the grace period, pause
and re-time through the API, manual runs; and the schedules API itself."""

from datetime import UTC, datetime, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from app.adapters.db.tables import jobs, schedules
from app.adapters.scheduler import TRIGGER_ID
from app.bootstrap import Container
from integration.support import Workers, final_job, wait_for

EVERY_2S = "* * * * * */2"
PASS = "0.5"  # seconds between scheduler passes
SCHEDULED = "rq:scheduler:scheduled_jobs"  # rq-scheduler's sorted set of entries


def only(container: Container, name: str, **values: Any) -> None:
    """This schedule alone enabled, with these values."""
    with container.engine.begin() as conn:
        conn.execute(update(schedules).values(enabled=False))
        conn.execute(
            update(schedules).where(schedules.c.name == name).values(enabled=True, **values)
        )


def slots(container: Container, name: str) -> list[str]:
    with container.engine.connect() as conn:
        rows = conn.execute(
            select(jobs.c.schedule_slot).where(jobs.c.schedule_slot.like(f"{name}@%"))
        )
        return sorted(rows.scalars())


def schedule_row(container: Container, name: str) -> Any:
    with container.engine.connect() as conn:
        return conn.execute(select(schedules).where(schedules.c.name == name)).one()


def entries(container: Container) -> list[str]:
    """What rq-scheduler holds: demosim's one periodic entry, nothing per schedule."""
    return [i.decode() for i in container.redis.zrange(SCHEDULED, 0, -1)]


def passes(container: Container, n: int) -> None:
    """Until the schedules' pass has run n more times (its RQ job's end time moved)."""
    key = f"rq:job:{TRIGGER_ID}"
    for _ in range(n):
        last = container.redis.hget(key, "ended_at")
        wait_for(
            lambda last=last: container.redis.hget(key, "ended_at") not in (None, b"", last),
            60,
            "a pass of the schedules",
        )


def test_two_schedulers_run_each_slot_once(
    container: Container, schedulers: Workers, workers: Workers
) -> None:
    only(container, "delivery-sweep", cron=EVERY_2S)
    schedulers.start("--interval", PASS)
    schedulers.start("--interval", PASS)
    workers.start()
    workers.start()
    wait_for(lambda: len(slots(container, "delivery-sweep")) >= 4, 60, "four slots")
    schedulers.stop_all()
    workers.stop_all()

    found = slots(container, "delivery-sweep")
    assert len(found) == len(set(found))
    for key in found:
        assert datetime.fromisoformat(key.split("@")[1]).second % 2 == 0
    # each slot's one job, run once: no pass started a slot another had taken
    with container.engine.connect() as conn:
        ran = conn.execute(
            select(jobs.c.attempt, jobs.c.retry_of).where(jobs.c.schedule_slot.isnot(None))
        ).all()
    assert len(ran) == len(found)
    assert all(row.attempt == 1 and row.retry_of is None for row in ran)
    assert entries(container) == [TRIGGER_ID]
    assert "Traceback" not in schedulers.log_text()


def test_a_restarted_scheduler_keeps_one_entry_and_the_slots_going(
    container: Container, schedulers: Workers, workers: Workers
) -> None:
    only(container, "delivery-sweep", cron=EVERY_2S)
    first = schedulers.start("--interval", PASS)
    workers.start()
    wait_for(lambda: len(slots(container, "delivery-sweep")) >= 2, 60, "two slots")
    schedulers.kill(first)  # no goodbye: its lock and its entry stay behind
    fired = len(slots(container, "delivery-sweep"))
    schedulers.start("--interval", PASS)
    wait_for(lambda: len(slots(container, "delivery-sweep")) >= fired + 2, 60, "two more slots")
    assert entries(container) == [TRIGGER_ID]
    assert len(container.redis.keys("rq:job:demosim-*")) == 1


def test_a_missed_slot_runs_once_on_start_within_grace_and_not_outside(
    container: Container, schedulers: Workers, workers: Workers
) -> None:
    now = datetime.now(UTC)
    hour = now.replace(minute=0, second=0, microsecond=0)
    with container.engine.begin() as conn:
        conn.execute(update(schedules).values(enabled=False))
        # planned before the scheduler went down: within the grace period (1 h) ...
        conn.execute(
            update(schedules)
            .where(schedules.c.name == "cleanup")
            .values(enabled=True, cron="0 * * * *", next_run_at=hour)
        )
        # ... and long past it
        conn.execute(
            update(schedules)
            .where(schedules.c.name == "daily-content")
            .values(enabled=True, cron="0 0 1 1 *", next_run_at=datetime(2026, 1, 1, tzinfo=UTC))
        )
    # far from UTC (+05:30): evaluated in local time, "0 * * * *" would name :30 past the hour
    scheduler = schedulers.start("--interval", PASS, TZ="Asia/Kolkata")
    workers.start(TZ="Asia/Kolkata")
    wait_for(lambda: slots(container, "cleanup"), 60, "the missed cleanup slot")
    wait_for(
        lambda: schedule_row(container, "daily-content").next_run_at.year == 2027,
        60,
        "the skipped daily-content slot to be planned anew",
    )
    schedulers.stop_all()
    assert scheduler.returncode == 0
    schedulers.start("--interval", PASS)  # and once more: nothing runs twice
    passes(container, 3)
    schedulers.stop_all()

    planned = schedule_row(container, "cleanup").next_run_at
    with container.engine.connect() as conn:
        first_pass = conn.execute(
            select(func.min(jobs.c.created_at)).where(jobs.c.schedule_slot.like("cleanup@%"))
        ).scalar_one()
    # the missed slot, unless the first pass came after the next hour began: then the latest
    # slot, the two run once (a CI run at 23:59:5x met it)
    missed = hour if first_pass < hour + timedelta(hours=1) else hour + timedelta(hours=1)
    assert slots(container, "cleanup")[:1] == [f"cleanup@{missed.isoformat()}"]
    # a pass after the next hour began runs that hour's slot too
    assert len(slots(container, "cleanup")) == 1 + (planned > missed + timedelta(hours=1))
    assert slots(container, "daily-content") == []
    assert schedule_row(container, "cleanup").last_run_at in (hour, hour + timedelta(hours=1))


def test_pausing_stops_firings_and_a_new_cron_is_followed_without_a_restart(
    container: Container,
    schedulers: Workers,
    workers: Workers,
    client: FlaskClient,
    auth: dict[str, str],
) -> None:
    only(container, "delivery-sweep", cron=EVERY_2S)
    schedulers.start("--interval", PASS)
    workers.start()
    wait_for(lambda: len(slots(container, "delivery-sweep")) >= 2, 60, "two slots")
    paused = client.patch("/api/v1/schedules/delivery-sweep", json={"enabled": False}, headers=auth)
    assert paused.status_code == 200
    assert (paused.get_json()["enabled"], paused.get_json()["next_run_at"]) == (False, None)
    passes(container, 1)  # one that may have begun before the pause
    fired = len(slots(container, "delivery-sweep"))
    passes(container, 3)  # a paused schedule's slots come and go
    assert len(slots(container, "delivery-sweep")) == fired

    resumed = client.patch(
        "/api/v1/schedules/delivery-sweep",
        json={"enabled": True, "cron": "* * * * * */3"},
        headers=auth,
    )
    assert resumed.status_code == 200
    wait_for(lambda: len(slots(container, "delivery-sweep")) >= fired + 2, 60, "new slots")
    schedulers.stop_all()
    new = slots(container, "delivery-sweep")[fired:]
    assert all(datetime.fromisoformat(k.split("@")[1]).second % 3 == 0 for k in new)


def test_trigger_runs_now_even_when_paused(
    container: Container, workers: Workers, client: FlaskClient, auth: dict[str, str]
) -> None:
    only(container, "cleanup")
    assert (
        client.patch("/api/v1/schedules/delivery-sweep", json={"enabled": False}, headers=auth)
    ).status_code == 200
    workers.start()
    response = client.post("/api/v1/schedules/delivery-sweep/trigger", headers=auth)
    assert response.status_code == 202
    location = response.headers["Location"]
    body = response.get_json()
    assert (body["kind"], body["schedule_slot"]) == ("delivery.sweep", None)
    done = final_job(client, auth, location)
    assert done["status"] == "succeeded"
    assert set(done["result"]) >= {"leases_expired", "jobs_lost", "jobs_requeued"}
    listed = client.get("/api/v1/schedules", headers=auth).get_json()["items"]
    sweep = next(s for s in listed if s["name"] == "delivery-sweep")
    assert sweep["last_job_id"] == body["id"]
    assert sweep["enabled"] is False


def test_the_schedules_api_lists_validates_and_names_the_field(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    listed = client.get("/api/v1/schedules", headers=auth).get_json()["items"]
    assert {(s["name"], s["cron"], s["job_kind"], s["enabled"]) for s in listed} == {
        ("cleanup", "0 3 * * 1", "demo.cleanup", True),
        ("daily-content", "0 10 * * *", "demo.daily_content", True),
        ("delivery-sweep", "* * * * *", "delivery.sweep", True),
        ("ongoing-interactions", "0 */6 * * *", "demo.ongoing_interactions", True),
        # the reference host polls native YouTube channels (YouTube pushes no comments)
        ("youtube-poll", "* * * * *", "reference.youtube_poll", True),
        # X's Challenge-Response Check of the X app's callback
        ("x-crc", "*/30 * * * *", "apps.x_crc", True),
    }
    bad = client.patch("/api/v1/schedules/cleanup", json={"cron": "61 * * * *"}, headers=auth)
    assert bad.status_code == 422
    assert "out of range" in bad.get_json()["errors"]["json"]["cron"][0]
    empty = client.patch("/api/v1/schedules/cleanup", json={}, headers=auth)
    assert empty.status_code == 422
    assert (
        client.patch("/api/v1/schedules/nope", json={"enabled": False}, headers=auth).status_code
        == 404
    )
    assert client.post("/api/v1/schedules/nope/trigger", headers=auth).status_code == 404
    ok = client.patch("/api/v1/schedules/cleanup", json={"cron": "15 2 * * *"}, headers=auth)
    assert ok.status_code == 200
    next_run = datetime.fromisoformat(ok.get_json()["next_run_at"])
    assert (next_run.hour, next_run.minute, next_run.utcoffset()) == (2, 15, timedelta(0))
