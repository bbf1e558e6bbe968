"""Delivery throughput: outbox rows through real RQ workers to the real signed receiver.

    .venv/bin/python bench/delivery.py [--count 100000] [--baseline-count 5000]

For 1 and for 2 `demosim worker` processes: queue `count` outbox rows, create one delivery job
per worker, and time until every row is `sent` (and so in the inbox). The receiver is the API
under gunicorn. The baseline, in the same run against the same receiver, is the old system's
way: one HTTP request per interaction and one status UPDATE (and commit) per row; it runs on
`baseline-count` rows, since at its rate 100,000 would take many minutes.
"""

import argparse
import json
import signal
import subprocess
import time
import uuid
from datetime import UTC, datetime, timedelta

import requests
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text

from app.adapters.webhooks.signing import sign
from app.adapters.webhooks.wire import dump_batch
from app.bootstrap import bootstrap
from app.config import Settings
from app.domain.inbox import (
    Author,
    ContentRef,
    Intent,
    InteractionKind,
    Platform,
    Sentiment,
    WebhookInteraction,
)
from app.domain.jobs import JobKind, NewJob
from common import BIN, bench_settings, count, execute, gunicorn, service_env

console = Console()
ACCOUNTS = [uuid.uuid5(uuid.NAMESPACE_URL, f"bench-account-{n}") for n in range(20)]
SENT = "SELECT count(*) FROM interactions WHERE status = 'sent'"
UNFINISHED = "SELECT count(*) FROM jobs WHERE status IN ('queued', 'running')"
RESET = "TRUNCATE interactions, inbox_interactions, webhook_receipts, jobs CASCADE"


def outbox_rows(n: int, start: int = 0) -> list[WebhookInteraction]:
    at = datetime.now(UTC)
    return [
        WebhookInteraction(
            account_id=ACCOUNTS[i % len(ACCOUNTS)],
            platform=Platform.YOUTUBE,
            platform_id=f"bench-out-{i}",
            kind=InteractionKind.COMMENT,
            author=Author(f"fan_{i % 997}", f"Fan {i % 997}"),
            text=f"Comment {i}: which microphone is this? sounds great",
            occurred_at=at - timedelta(seconds=i),
            content=ContentRef(f"video-{i % 35}", "A video"),
            intent=Intent.QUESTION,
            sentiment=Sentiment.POSITIVE,
            is_demo=True,
        )
        for i in range(start, start + n)
    ]


def fill_outbox(settings: Settings, n: int) -> None:
    container = bootstrap(settings)
    try:
        for start in range(0, n, 1000):
            with container.uow() as uow:
                uow.outbox.add(outbox_rows(min(1000, n - start), start), datetime.now(UTC))
                uow.commit()
    finally:
        container.close()


def through_workers(settings: Settings, receiver: str, n: int, workers: int) -> float:
    execute(settings.database_url or "", RESET)
    env = service_env(settings, WEBHOOK_TARGET_URL=f"{receiver}/webhooks/interactions")
    procs = [
        subprocess.Popen([str(BIN / "demosim"), "worker"], env=env, stderr=subprocess.DEVNULL)
        for _ in range(workers)
    ]
    container = bootstrap(settings)
    try:
        time.sleep(3)  # the workers start (and sweep) before there is anything to deliver
        fill_outbox(settings, n)
        # fresh statistics, as autovacuum has within a minute of a bulk load
        execute(settings.database_url or "", "ANALYZE interactions")
        started = time.perf_counter()
        for _ in range(workers):
            container.services.engine.create(NewJob(JobKind.DELIVER))
        while count(settings.database_url or "", UNFINISHED) > 0:
            time.sleep(0.5)
        elapsed = time.perf_counter() - started
        assert count(settings.database_url or "", SENT) == n
        return elapsed
    finally:
        container.close()
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=60)


def one_by_one(settings: Settings, receiver: str, n: int) -> float:
    """The old system: a webhook per interaction, a status UPDATE and commit per row."""
    execute(settings.database_url or "", RESET)
    fill_outbox(settings, n)
    assert settings.webhook_secret is not None
    engine = create_engine(settings.database_url or "")
    session = requests.Session()
    started = time.perf_counter()
    with engine.connect() as conn:
        items = {i.platform_id: i for i in outbox_rows(n)}
        queued = conn.execute(text("SELECT id, platform_id FROM interactions")).all()
        for row_id, platform_id in queued:
            body = json.dumps(dump_batch([items[platform_id]])).encode()
            headers = sign(settings.webhook_secret, f"msg_{row_id}", body, datetime.now(UTC))
            response = session.post(
                f"{receiver}/webhooks/interactions",
                data=body,
                headers={**headers, "Content-Type": "application/json"},
                timeout=30,
            )
            response.raise_for_status()
            conn.execute(
                text("UPDATE interactions SET status = 'sent', sent_at = now() WHERE id = :id"),
                {"id": row_id},
            )
            conn.commit()
    elapsed = time.perf_counter() - started
    engine.dispose()
    assert count(settings.database_url or "", SENT) == n
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--baseline-count", type=int, default=5_000)
    parser.add_argument("--receivers", type=int, default=2, help="gunicorn workers of the receiver")
    args = parser.parse_args()

    results: list[tuple[str, int, float]] = []
    with bench_settings() as settings, gunicorn(settings, args.receivers) as receiver:
        inbox = "SELECT count(*) FROM inbox_interactions"
        url = settings.database_url or ""
        for workers in (1, 2):
            seconds = through_workers(settings, receiver, args.count, workers)
            assert count(url, inbox) == args.count
            results.append(
                (
                    f"outbox, batches of {settings.delivery_batch_size}, {workers} worker(s)",
                    args.count,
                    seconds,
                )
            )
            console.print(f"{workers} worker(s): {args.count / seconds:,.0f} interactions/s")
        seconds = one_by_one(settings, receiver, args.baseline_count)
        assert count(url, inbox) == args.baseline_count
        results.append(
            ("baseline: one request and one UPDATE per interaction", args.baseline_count, seconds)
        )

    baseline_rate = results[-1][1] / results[-1][2]
    table = Table(title="Delivery to the signed receiver (gunicorn, same run, same database)")
    for column in ("path", "interactions", "wall time", "interactions/s", "vs baseline"):
        table.add_column(column, justify="right")
    for label, n, seconds in results:
        rate = n / seconds
        table.add_row(
            label, f"{n:,}", f"{seconds:.1f} s", f"{rate:,.0f}", f"{rate / baseline_rate:.1f}x"
        )
    console.print(table)


if __name__ == "__main__":
    main()
