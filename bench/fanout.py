"""One `ongoing-interactions` tick over many demo accounts, fanned out to 1 and then 2 workers.

    .venv/bin/python bench/fanout.py [--accounts 10000]

For each worker count, on a fresh database: `--accounts` demo accounts enabled a week ago (medium
DM rate), then through the API (gunicorn, 2 processes, which is also the receiver):
1. trigger `daily-content` (2 posts per account) and time it to success;
2. trigger `ongoing-interactions` (10 comments + 5 DMs per account: 150,000 interactions for
   10,000 accounts) and time it until the parent job has succeeded, i.e. every chunk has
   generated, stored and delivered, and check that the inbox received every one.
Peak memory is the largest resident set of a worker process tree (worker + work horse), sampled
every 0.2 s. The 1-worker run is the baseline the 2-worker run is compared with.
"""

import argparse
import subprocess
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import psutil
import requests
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, insert

from app.adapters.db.tables import demo_accounts
from app.config import Settings
from common import api_session, bench_settings, count, demosim_workers, gunicorn

console = Console()
PERSONAS = ("tech_reviews", "fitness", "cooking", "travel", "beauty", "gaming")
PLATFORMS = ("youtube", "instagram", "tiktok")


def add_accounts(settings: Settings, n: int) -> None:
    week_ago = datetime.now(UTC) - timedelta(days=7)
    rows = [
        {
            "account_id": uuid.uuid4(),
            "platform": PLATFORMS[i % len(PLATFORMS)],
            "persona": PERSONAS[i % len(PERSONAS)],
            "dm_frequency": "medium",
            "seed": i,
            "locale": "en_US",
            "content_size": 35,
            "comment_size": 920,
            "dm_size": 100,
            "enabled_at": week_ago,
            "created_at": week_ago,
            "updated_at": week_ago,
        }
        for i in range(n)
    ]
    engine = create_engine(settings.database_url or "")
    with engine.begin() as conn:
        conn.execute(insert(demo_accounts), rows)
    engine.dispose()


class PeakMemory:
    """The largest RSS of any one worker's process tree while running."""

    def __init__(self, procs: list[subprocess.Popen[bytes]]) -> None:
        self.procs, self.peak, self._stop = procs, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            for proc in self.procs:
                try:
                    tree = psutil.Process(proc.pid)
                    rss = sum(p.memory_info().rss for p in [tree, *tree.children(recursive=True)])
                except psutil.Error:  # a work horse ended between listing and reading
                    continue
                self.peak = max(self.peak, rss)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def tick(http: requests.Session, base: str, name: str) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    response = http.post(f"{base}/api/v1/schedules/{name}/trigger", timeout=30)
    assert response.status_code == 202, response.text
    url = f"{base}{response.headers['Location']}"
    while True:
        job = http.get(url, timeout=30).json()
        if job["status"] != "queued" and job["status"] != "running":
            break
        time.sleep(0.25)
    elapsed = time.perf_counter() - started
    assert job["status"] == "succeeded", job
    return elapsed, job


def one_run(accounts: int, workers: int) -> dict[str, float]:
    with bench_settings() as settings, gunicorn(settings, 2) as base:
        add_accounts(settings, accounts)
        http = api_session(settings)
        with demosim_workers(settings, base, workers) as procs, PeakMemory(procs) as memory:
            daily, _ = tick(http, base, "daily-content")
            console.print(f"{workers} worker(s): daily-content {daily:.1f} s")
            ongoing, job = tick(http, base, "ongoing-interactions")
        url = settings.database_url or ""
        received = count(url, "SELECT count(*) FROM inbox_interactions WHERE is_demo")
        sent = count(url, "SELECT count(*) FROM interactions WHERE status = 'sent'")
        children = count(url, f"SELECT count(*) FROM jobs WHERE parent_id = '{job['id']}'")
    expected = accounts * 15
    assert sent == received == expected, (sent, received, expected)
    console.print(
        f"{workers} worker(s): ongoing-interactions {ongoing:.1f} s, {children} child jobs, "
        f"{received:,} received"
    )
    return {
        "daily": daily,
        "ongoing": ongoing,
        "interactions": expected,
        "peak_mib": memory.peak / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accounts", type=int, default=10_000)
    args = parser.parse_args()
    runs = {workers: one_run(args.accounts, workers) for workers in (1, 2)}

    table = Table(title=f"One ongoing-interactions tick, {args.accounts:,} demo accounts")
    for column in (
        "workers",
        "daily-content",
        "ongoing-interactions",
        "interactions/s",
        "peak worker memory",
    ):
        table.add_column(column, justify="right")
    for workers, r in runs.items():
        table.add_row(
            str(workers),
            f"{r['daily']:.1f} s",
            f"{r['ongoing']:.1f} s",
            f"{r['interactions'] / r['ongoing']:,.0f}",
            f"{r['peak_mib']:.0f} MiB",
        )
    console.print(table)
    console.print(
        f"2 workers vs the 1-worker baseline: {runs[1]['ongoing'] / runs[2]['ongoing']:.2f}x"
    )


if __name__ == "__main__":
    main()
