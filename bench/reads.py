"""The read side at volume: inbox pages, threads, conversations and insights over 1,000,000
inbox rows of 1,000 accounts (one of them with 100,000), each beside its target and its plan.

    .venv/bin/python bench/reads.py [--rows 1000000] [--accounts 1000] [--samples 200]

The rows are made by PostgreSQL itself (INSERT … SELECT over generate_series, spread over 30
days; half the comments reply to an earlier comment of the same account, DMs come in
conversations of four), then ANALYZEd. Each read goes through the same code the API uses
(`Views` over `SqlQueries`), `--samples` times on random accounts, and prints p50 and p99; the
plan of each (EXPLAIN) must use an index, not a sequential scan of the inbox.
"""

import argparse
import random
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from rich.console import Console
from rich.table import Table
from sqlalchemy import text

from app.bootstrap import bootstrap
from app.domain.inbox import InboxFilter, InteractionKind
from common import bench_settings

BIG = uuid.UUID(int=1)  # the account with 100,000 rows
NOW = datetime(2026, 5, 31, 12, tzinfo=UTC)

FILL = """
INSERT INTO inbox_interactions (account_id, platform, platform_id, kind, author_handle,
    author_display_name, text, content_platform_id, content_title, intent, sentiment,
    occurred_at, is_demo, received_at, author_is_creator, in_reply_to, conversation_id, topic,
    language)
SELECT acct, 'youtube', 'r' || n,
    CASE WHEN n % 10 = 0 THEN 'dm' ELSE 'comment' END,
    'fan' || (n % 5000), 'Fan ' || (n % 5000), 'interaction number ' || n || ', a few words',
    CASE WHEN n % 10 = 0 THEN NULL ELSE 'v' || (n % 40) END,
    CASE WHEN n % 10 = 0 THEN NULL ELSE 'Video ' || (n % 40) END,
    (ARRAY['praise','question','complaint','other'])[1 + n % 4],
    (ARRAY['positive','neutral','negative'])[1 + n % 3],
    :now - make_interval(secs => (n::bigint * 7919) % (30 * 86400)),
    true, :now, n % 17 = 0,
    -- half the comments answer an earlier comment of their account (`hop` rows back is the
    -- same account): threads of three
    CASE WHEN n % 10 <> 0 AND (n / :hop) % 4 IN (1, 2) AND n > 2 * :hop
         THEN 'r' || (n - ((n / :hop) % 4) * :hop) END,
    CASE WHEN n % 10 = 0 THEN 'conv-' || (n / :hop / 40) END,
    'topic ' || (n % 12), (ARRAY['en','en','en','es','pt','de'])[1 + n % 6]
FROM generate_series(:first, :last) AS n,
     LATERAL (SELECT CASE WHEN n <= :big THEN :big_account ELSE (
                 '00000000-0000-4000-8000-' || lpad(((n - :big) % :accounts + 2)::text, 12, '0')
              )::uuid END AS acct) a
"""


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    console = Console(width=160)
    big = min(100_000, args.rows // 10)
    rng = random.Random(7)
    with bench_settings() as settings:
        container = bootstrap(settings)
        engine = container.engine
        started = time.perf_counter()
        step = 100_000
        for first in range(1, args.rows + 1, step):
            with engine.begin() as conn:
                conn.execute(
                    text(FILL),
                    {
                        "now": NOW, "first": first, "last": min(first + step - 1, args.rows),
                        "big": big, "big_account": BIG, "accounts": args.accounts - 1,
                        "hop": args.accounts - 1,
                    },
                )  # fmt: skip
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE inbox_interactions"))
        console.print(f"{args.rows:,} inbox rows in {time.perf_counter() - started:.0f} s")

        accounts = [BIG] + [
            uuid.UUID(f"00000000-0000-4000-8000-{n + 2:012d}") for n in range(args.accounts - 1)
        ]
        views = container.views
        with engine.connect() as conn:
            roots = conn.execute(
                text("SELECT account_id, id FROM inbox_interactions WHERE platform_id = ANY(:ids)"),
                {"ids": [f"r{n}" for n in range(big + 2, args.rows, max(1, args.rows // 2000))]},
            ).all()
            conversations = conn.execute(
                text(
                    "SELECT DISTINCT account_id, conversation_id FROM inbox_interactions "
                    "WHERE conversation_id IS NOT NULL LIMIT 2000"
                )
            ).all()

        def page() -> object:
            return container.queries.inbox_page(InboxFilter(rng.choice(accounts)), None, 200)

        # a cursor deep in the big account: its 50th page
        deep = None
        for _ in range(49):
            deep = container.queries.inbox_page(InboxFilter(BIG), deep, 200).next_cursor

        def page_deep() -> object:
            return container.queries.inbox_page(InboxFilter(BIG), deep, 200)

        def dms() -> object:
            return container.queries.inbox_page(
                InboxFilter(rng.choice(accounts), kind=InteractionKind.DM), None, 200
            )

        def thread() -> object:
            account, root = rng.choice(roots)
            return views.thread(account, root)

        def conversation() -> object:
            account, conversation_id = rng.choice(conversations)
            where = InboxFilter(account, conversation_id=conversation_id)
            return container.queries.inbox_page(where, None, 200)

        def conversation_list() -> object:
            return container.queries.conversations(rng.choice(accounts[1:]), None, 50)

        def insights_big() -> object:
            return views.insights(BIG, 30)

        def insights_small() -> object:
            return views.insights(rng.choice(accounts[1:]), 30)

        reads: list[tuple[str, Callable[[], object], int, float]] = [
            ("inbox page, limit 200, a random account", page, args.samples, 20),
            ("inbox page 50 (cursor), the 100,000-row account", page_deep, args.samples, 20),
            ("DMs only, limit 200", dms, args.samples, 20),
            ("a thread (comment and every reply)", thread, args.samples, 20),
            ("a conversation's messages", conversation, args.samples, 20),
            ("conversations list, limit 50", conversation_list, args.samples, 20),
            ("insights, 30 days, 100,000-row account", insights_big, 10, 150),
            ("insights, 30 days, a random account", insights_small, args.samples // 4, 150),
        ]
        table = Table(title=f"Reads over {args.rows:,} inbox rows, {args.accounts:,} accounts")
        for column in ("read", "p50 ms", "p99 ms", "target ms", ""):
            table.add_column(column, justify="right")
        for label, read, n, target in reads:
            read()  # warm
            samples = []
            for _ in range(n):
                t = time.perf_counter()
                read()
                samples.append((time.perf_counter() - t) * 1000)
            p50, p99 = percentiles(samples)
            ok = p99 <= target if target <= 20 else p50 <= target
            table.add_row(
                label, f"{p50:.1f}", f"{p99:.1f}", f"{target:.0f}", "ok" if ok else "[red]over[/]"
            )
        console.print(table)

        plans = {
            "inbox page": "SELECT * FROM inbox_interactions WHERE account_id = :a "
            "ORDER BY occurred_at DESC, id DESC LIMIT 201",
            "replies of a comment": "SELECT * FROM inbox_interactions WHERE account_id = :a "
            "AND platform = 'youtube' AND in_reply_to = 'r5'",
            "a conversation": "SELECT * FROM inbox_interactions WHERE account_id = :a "
            "AND conversation_id = 'conv-1' ORDER BY occurred_at",
            "insights window": "SELECT kind, count(*) FROM inbox_interactions "
            "WHERE account_id = :a AND occurred_at >= :since GROUP BY kind",
        }
        with engine.connect() as conn:
            for name, sql in plans.items():
                plan = conn.execute(
                    text(f"EXPLAIN {sql}"), {"a": BIG, "since": NOW - timedelta(days=30)}
                ).scalars()
                lines = list(plan)
                seq = any("Seq Scan on inbox_interactions" in line for line in lines)
                console.print(f"[bold]{name}[/]: {'[red]SEQUENTIAL SCAN[/]' if seq else 'index'}")
                for line in lines[:4]:
                    console.print(f"    {line}")
        container.close()


if __name__ == "__main__":
    main()
