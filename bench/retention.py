"""Retention at volume: the cleanup's committed batches over a large inbox, and what they cost
the receiver while they run.

    .venv/bin/python bench/retention.py [--rows 1000000] [--batch 500] [--ingest 20000]

`--rows` demo inbox rows over 30 days (as bench/reads.py makes them: threads of three, DMs in
conversations), the cut at 15 days: about half is past it. First the signed receiver (gunicorn,
2 workers, 4 senders) ingests `--ingest` new items alone — the baseline; then the cleanup runs
(`delete_expired` in committed batches of `--batch`, as the cleanup job does) while the receiver
ingests as many again. Prints the cleanup's rows per second and the receiver's throughput
beside its baseline.
"""

import argparse
import threading
import time
from datetime import timedelta

from rich.console import Console
from rich.table import Table
from sqlalchemy import text

from app.bootstrap import bootstrap
from common import bench_settings, count, gunicorn
from ingest import batches, make_items, through_receiver
from reads import BIG, FILL, NOW


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--ingest", type=int, default=20_000)
    args = parser.parse_args()
    console = Console(width=140)
    items = make_items(args.ingest * 2)
    for item in items:  # unique beside the filled rows
        item["platform_id"] = "new-" + item["platform_id"]
    alone, during = batches(items[: args.ingest], 500), batches(items[args.ingest :], 500)
    with bench_settings() as settings:
        assert settings.database_url is not None
        assert settings.webhook_secret is not None
        container = bootstrap(settings)
        big = min(100_000, args.rows // 10)
        for first in range(1, args.rows + 1, 100_000):
            with container.engine.begin() as conn:
                conn.execute(
                    text(FILL),
                    {
                        "now": NOW, "first": first, "last": min(first + 99_999, args.rows),
                        "big": big, "big_account": BIG, "accounts": args.accounts - 1,
                        "hop": args.accounts - 1,
                    },
                )  # fmt: skip
        with container.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE inbox_interactions"))
        cut = NOW - timedelta(days=15)
        url = settings.database_url
        expired = count(url, f"SELECT count(*) FROM inbox_interactions WHERE occurred_at < '{cut}'")
        console.print(f"{args.rows:,} inbox rows, {expired:,} before the cut")

        with gunicorn(settings, 2) as base:
            baseline, _ = through_receiver(base, settings.webhook_secret, alone, 4)
            cleaned: dict[str, float] = {}

            def cleanup() -> None:
                """As the cleanup job does: the plain places, then the threads."""
                started, deleted = time.perf_counter(), 0
                while True:
                    with container.uow() as uow:
                        n = uow.retention.delete_expired(cut, args.batch)
                        uow.commit()
                    if not n:
                        break
                    deleted += n
                after = None
                while True:
                    with container.uow() as uow:
                        n, after = uow.retention.delete_expired_threads(cut, args.batch, after)
                        uow.commit()
                    deleted += n
                    if after is None:
                        break
                cleaned.update(seconds=time.perf_counter() - started, deleted=deleted)

            worker = threading.Thread(target=cleanup)
            worker.start()
            time.sleep(0.5)
            loaded, _ = through_receiver(base, settings.webhook_secret, during, 4)
            worker.join()
        left = count(url, f"SELECT count(*) FROM inbox_interactions WHERE occurred_at < '{cut}'")
        container.close()

    table = Table(
        title=f"Cleanup of {expired:,} of {args.rows:,} inbox rows, batches of {args.batch}"
    )
    for column in ("what", "figure", "beside"):
        table.add_column(column, justify="right")
    table.add_row(
        "cleanup", f"{cleaned['deleted']:,.0f} rows in {cleaned['seconds']:.1f} s",
        f"{cleaned['deleted'] / cleaned['seconds']:,.0f} rows/s; "
        f"{left:,} left (threads answered after the cut)",
    )  # fmt: skip
    table.add_row("receiver alone", f"{args.ingest / baseline:,.0f} items/s", "baseline")
    table.add_row(
        "receiver during the cleanup", f"{args.ingest / loaded:,.0f} items/s",
        f"{baseline / loaded:.2f}x of the baseline's throughput",
    )  # fmt: skip
    console.print(table)


if __name__ == "__main__":
    main()
