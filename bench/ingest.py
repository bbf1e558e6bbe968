"""Ingest throughput: interactions through the signed HTTP receiver vs. a raw floor.

    .venv/bin/python bench/ingest.py [--count 50000] [--batch 500] [--workers 2] [--clients 4]

The receiver runs under gunicorn (the production server) in its own processes against a fresh
database; `--clients` threads sign each batch with Standard Webhooks and post it. The floor,
measured in the same run on the same database with the same batches and threads, is the raw
thing: one `INSERT … ON CONFLICT DO NOTHING RETURNING` per batch with psycopg2's
`execute_values`, committed per batch — no HTTP, JSON, signature, validation, entities or
SQLAlchemy. Our own repository's upsert (entities through SQLAlchemy Core, one connection) is
the third row.
"""

import argparse
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg2
import requests
from psycopg2.extras import execute_values
from rich.console import Console
from rich.table import Table

from app.adapters.webhooks.signing import sign
from app.adapters.webhooks.wire import load_message
from app.bootstrap import bootstrap
from app.config import Settings
from common import bench_settings, count, execute, gunicorn

console = Console()
ROWS = "SELECT count(*) FROM inbox_interactions"


def make_items(count: int) -> list[dict[str, Any]]:
    accounts = [uuid.uuid5(uuid.NAMESPACE_URL, f"bench-account-{n}") for n in range(20)]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    items = []
    for n in range(count):
        dm = n % 10 == 0
        items.append(
            {
                "account_id": str(accounts[n % len(accounts)]),
                "platform": "youtube",
                "platform_id": f"bench-{n}",
                "kind": "dm" if dm else "comment",
                "author": {"handle": f"fan_{n % 997}", "display_name": f"Fan {n % 997}"},
                "text": f"Interaction {n}: loved the part about the lens, where did you get it?",
                "occurred_at": (start + timedelta(seconds=n * 7)).isoformat(),
                "content": None if dm else {"platform_id": f"video-{n % 35}", "title": "A video"},
                "intent": "question",
                "sentiment": "positive",
                "is_demo": True,
            }
        )
    return items


def batches(items: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def through_receiver(
    base: str, secret: str, parts: list[list[dict[str, Any]]], clients: int
) -> tuple[float, dict[str, int]]:
    bodies = [json.dumps({"type": "interactions.created", "data": p}).encode() for p in parts]
    sessions: dict[int, requests.Session] = {}

    def deliver(body: bytes) -> list[str]:
        session = sessions.setdefault(threading.get_ident(), requests.Session())
        headers = sign(secret, f"msg_{uuid.uuid4().hex}", body, datetime.now(UTC))
        response = session.post(
            f"{base}/webhooks/interactions",
            data=body,
            timeout=120,
            headers={**headers, "Content-Type": "application/json"},
        )
        response.raise_for_status()
        return [i["status"] for i in response.json()["items"]]

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        statuses = [s for result in pool.map(deliver, bodies) for s in result]
    elapsed = time.perf_counter() - started
    return elapsed, {s: statuses.count(s) for s in set(statuses)}


COLUMNS = (
    "account_id", "platform", "platform_id", "kind", "author_handle", "author_display_name",
    "text", "content_platform_id", "content_title", "intent", "sentiment", "occurred_at",
    "is_demo", "received_at",
)  # fmt: skip


def raw_floor(dsn: str, parts: list[list[dict[str, Any]]], clients: int) -> float:
    """execute_values, a statement and a commit per batch, from `clients` threads."""
    received = datetime.now(UTC)
    rows = [
        [
            (i["account_id"], i["platform"], i["platform_id"], i["kind"], i["author"]["handle"],
             i["author"]["display_name"], i["text"], (i["content"] or {}).get("platform_id"),
             (i["content"] or {}).get("title"), i["intent"], i["sentiment"], i["occurred_at"],
             i["is_demo"], received)
            for i in part
        ]
        for part in parts
    ]  # fmt: skip
    statement = (
        f"INSERT INTO inbox_interactions ({', '.join(COLUMNS)}) VALUES %s "
        "ON CONFLICT (platform, platform_id) DO NOTHING RETURNING id"
    )
    local = threading.local()
    connections = []

    def insert(batch: list[tuple[Any, ...]]) -> int:
        if not hasattr(local, "conn"):
            local.conn = psycopg2.connect(dsn)
            connections.append(local.conn)
        with local.conn.cursor() as cur:
            done = execute_values(cur, statement, batch, page_size=len(batch), fetch=True)
        local.conn.commit()
        return len(done)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        stored = sum(pool.map(insert, rows))
    elapsed = time.perf_counter() - started
    for conn in connections:
        conn.close()
    assert stored == sum(len(p) for p in parts)
    return elapsed


def straight_upserts(settings: Settings, parts: list[list[dict[str, Any]]]) -> float:
    entities = [load_message({"type": "interactions.created", "data": p})[1] for p in parts]
    container = bootstrap(settings)
    try:
        received = datetime.now(UTC)
        started = time.perf_counter()
        for batch in entities:
            with container.uow() as uow:
                uow.inbox.upsert(batch, received)
                uow.commit()
        return time.perf_counter() - started
    finally:
        container.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--clients", type=int, default=4, help="concurrent senders")
    args = parser.parse_args()

    items = make_items(args.count)
    parts = batches(items, args.batch)
    with bench_settings() as settings:
        assert settings.database_url is not None
        assert settings.webhook_secret is not None
        url = settings.database_url
        console.print(f"{args.count:,} interactions in {len(parts)} batches of {args.batch}")

        floor = raw_floor(url.replace("postgresql+psycopg2:", "postgresql:"), parts, args.clients)
        assert count(url, ROWS) == args.count
        execute(url, "TRUNCATE inbox_interactions, webhook_receipts")
        repository = straight_upserts(settings, parts)
        assert count(url, ROWS) == args.count
        execute(url, "TRUNCATE inbox_interactions, webhook_receipts")

        with gunicorn(settings, args.workers) as base:
            http, statuses = through_receiver(base, settings.webhook_secret, parts, args.clients)
            assert statuses == {"created": args.count}, statuses
            assert count(url, ROWS) == args.count
            resend, statuses = through_receiver(base, settings.webhook_secret, parts, args.clients)
            assert statuses == {"duplicate": args.count}, statuses

    table = Table(title=f"Ingest of {args.count:,} interactions (same run, same database)")
    for column in ("path", "wall time", "interactions/s", "vs floor"):
        table.add_column(column, justify="right")
    for label, seconds in (
        (
            f"floor: psycopg2 execute_values, a batch per statement, {args.clients} threads",
            floor,
        ),
        ("our repository's upsert (entities, SQLAlchemy Core), 1 connection", repository),
        (f"HTTP receiver, signed, gunicorn -w {args.workers}, {args.clients} senders: new", http),
        ("HTTP receiver, the same batches re-sent: all duplicates", resend),
    ):
        table.add_row(
            label, f"{seconds:.2f} s", f"{args.count / seconds:,.0f}", f"{floor / seconds:.2f}x"
        )
    console.print(table)


if __name__ == "__main__":
    main()
