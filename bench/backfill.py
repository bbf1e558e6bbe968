"""A backfill's throughput: events a second from `POST …/backfill` to its job's end, beside the
receiver's own floor measured in the same run; and the account's insights over those days.

    .venv/bin/python bench/backfill.py [--days 180]

RETENTION_DAYS is set to the days asked (a backfill fills no more than demo data is kept).

1. One account enabled through the API (gunicorn) and its small initial batch done; then
   `POST /api/v1/accounts/{id}/backfill {"days": N}` with one `demosim worker`, timed until the
   job has succeeded: generation → outbox → signed delivery → the receiver → the inbox.
2. A re-run in the same slot: stores nothing (its time is generation and the outbox's checks).
3. The floor, same run: the same number of events of another account, generated beforehand,
   signed in demosim's format 100 a message (the delivery's batch) and POSTed one message after
   another by one client to the same receiver: what end-to-end delivery could reach at most.
4. `GET …/insights?days=N` of the backfilled account, 50 times: p50 and p99 (issue 26: ≤ 150 ms
   over 180 days).
"""

import argparse
import os
import statistics
import time
import uuid
from datetime import UTC, datetime

import orjson
import requests
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text

from app.adapters.webhooks.signing import sign
from app.adapters.webhooks.wire import dump_batch
from app.config import Settings
from app.domain.demo import DemoProfile, DemoSizes, DmFrequency, Persona
from app.domain.generation.history import generate_history, history_end
from app.domain.inbox import Platform
from common import api_session, bench_settings, count, demosim_workers, gunicorn

console = Console()
JOB = text("SELECT status, error, result FROM jobs WHERE id = :id")
BATCH = 100


def wait(settings: Settings, location: str) -> dict[str, object]:
    engine = create_engine(settings.database_url or "")
    with engine.connect() as conn:
        while True:
            status, error, result = conn.execute(JOB, {"id": location.rsplit("/", 1)[1]}).one()
            conn.rollback()
            if status == "succeeded":
                break
            assert status != "failed", error
            time.sleep(0.01)
    engine.dispose()
    return dict(result)


def backfilled(
    settings: Settings, base: str, account: uuid.UUID, days: int
) -> list[tuple[float, dict[str, object]]]:
    http = api_session(settings)
    sizes = {"content": 3, "comments": 30, "dms": 5}
    with demosim_workers(settings, base, 1):
        put = http.put(f"{base}/api/v1/accounts/{account}/demo", json={"sizes": sizes}, timeout=30)
        assert put.status_code == 202, put.text
        wait(settings, put.headers["Location"])
        runs = []
        for _ in range(2):  # the backfill, then its re-run in the same slot
            started = time.perf_counter()
            post = http.post(
                f"{base}/api/v1/accounts/{account}/backfill", json={"days": days}, timeout=30
            )
            assert post.status_code == 202, post.text
            result = wait(settings, post.headers["Location"])
            runs.append((time.perf_counter() - started, result))
    return runs


def floor(settings: Settings, base: str, days: int) -> tuple[float, int]:
    """One client POSTing another account's history, signed, 100 events a message."""
    now = datetime.now(UTC)
    profile = DemoProfile(
        uuid.uuid4(), Platform.YOUTUBE, Persona.TECH_REVIEWS, DmFrequency.MEDIUM, 1, "en_US",
        DemoSizes(), now,
    )  # fmt: skip
    history = generate_history(profile, days, history_end(now))
    items = [*history.comments, *history.dms]
    bodies = [orjson.dumps(dump_batch(items[i : i + BATCH])) for i in range(0, len(items), BATCH)]
    http = requests.Session()
    before = count(settings.database_url or "", "SELECT count(*) FROM inbox_interactions")
    started = time.perf_counter()
    for n, body in enumerate(bodies):
        headers = {
            **sign(settings.webhook_secret or "", f"floor-{n}", body, datetime.now(UTC)),
            "Content-Type": "application/json",
        }
        response = http.post(f"{base}/webhooks/interactions", data=body, headers=headers)
        assert response.status_code == 200, response.text
    elapsed = time.perf_counter() - started
    after = count(settings.database_url or "", "SELECT count(*) FROM inbox_interactions")
    assert after - before == len(items), (after - before, len(items))
    return elapsed, len(items)


def insights(settings: Settings, base: str, account: uuid.UUID, days: int) -> tuple[float, float]:
    http = api_session(settings)
    url = f"{base}/api/v1/accounts/{account}/insights"
    took = []
    for _ in range(50):
        started = time.perf_counter()
        response = http.get(url, params={"days": days}, timeout=30)
        took.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text
    took.sort()
    return statistics.median(took), took[int(len(took) * 0.99) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--days", type=int, default=180)
    args = parser.parse_args()
    os.environ["RETENTION_DAYS"] = str(max(30, args.days))  # the API's and the workers'
    account = uuid.uuid4()
    with bench_settings() as settings, gunicorn(settings, 2) as base:
        (first, made), (again, rerun) = backfilled(settings, base, account, args.days)
        floor_s, floor_n = floor(settings, base, args.days)
        p50, p99 = insights(settings, base, account, args.days)
    generated = made["generated"]
    assert isinstance(generated, dict)
    events = generated["comments"] + generated["dms"]
    table = Table(title=f"Backfill of {args.days} days, one account")
    for column in ("what", "events", "wall time", "events/s"):
        table.add_column(column, justify="right")
    table.add_row("POST …/backfill → job succeeded (1 worker)", f"{events:,}", f"{first:.2f} s",
                  f"{events / first:,.0f}")  # fmt: skip
    table.add_row(f"its re-run in the same slot (stored {rerun['stored']})", f"{events:,}",
                  f"{again:.2f} s", f"{events / again:,.0f}")  # fmt: skip
    table.add_row("floor: the receiver, 100 a signed message, one client", f"{floor_n:,}",
                  f"{floor_s:.2f} s", f"{floor_n / floor_s:,.0f}")  # fmt: skip
    console.print(table)
    console.print(
        f"backfill: {events / first:,.0f} events/s (issue 26: ≥ 500), "
        f"{(events / first) / (floor_n / floor_s):.2f}x the receiver's floor"
    )
    console.print(
        f"insights over {args.days} days of the account: p50 {p50:.1f} ms, p99 {p99:.1f} ms"
        " (issue 26: ≤ 150 ms)"
    )


if __name__ == "__main__":
    main()
