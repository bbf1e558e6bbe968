"""What each stage of the pipeline costs, in µs per interaction, measured in one process.

    .venv/bin/python bench/stages.py [--accounts 400] [--batch 500] [--message 100] [--repeat 3]

One ongoing-interactions tick of `--accounts` demo accounts goes through every stage the real
(straight) path takes, stage by stage, on a fresh database: generation (pure Python), the
check for what an earlier attempt stored (a batch at a time), the sender's work (payload,
JSON, signature, a message at a time; no network), the receiver's work (signature check,
JSON, validation), the receiver's upsert (with its receipt), and the outbox insert of the rows
as their messages left them. Beside each database stage, its floor: one multi-row statement
of the same rows straight into PostgreSQL with psycopg2 (`execute_values`), no SQLAlchemy, no
entities, in batches of the same size. The best of `--repeat` runs is printed. bench/README.md
keeps the table.
"""

import argparse
import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg2
from psycopg2.extras import execute_values
from rich.console import Console
from rich.table import Table
from sqlalchemy import text

from app.adapters.db.tables import inbox_interactions
from app.adapters.webhooks.signing import sign
from app.adapters.webhooks.wire import dump_batch
from app.bootstrap import bootstrap
from app.domain.delivery import DeliveryStatus, OutboxInteraction
from app.domain.demo import Content, DemoProfile, DemoSizes, DmFrequency, Persona
from app.domain.generation import generate_daily_content, generate_tick
from app.domain.inbox import Platform, WebhookInteraction
from common import bench_settings

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)


def profiles(n: int) -> list[DemoProfile]:
    return [
        DemoProfile(
            uuid.UUID(int=i + 1), Platform.YOUTUBE, list(Persona)[i % 6], DmFrequency.MEDIUM,
            1, "en_US", DemoSizes(), NOW - timedelta(days=7),
        )
        for i in range(n)
    ]  # fmt: skip


def timed(action: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - started)
    return best, result


def raw_insert(
    dsn: str, rows: list[tuple[Any, ...]], table: str, columns: str, batch: int
) -> float:
    """The floor: psycopg2 execute_values, one statement and commit per batch."""
    conn = psycopg2.connect(dsn)
    try:
        started = time.perf_counter()
        with conn.cursor() as cur:
            for start in range(0, len(rows), batch):
                execute_values(
                    cur,
                    f"INSERT INTO {table} ({columns}) VALUES %s "
                    "ON CONFLICT DO NOTHING RETURNING id",
                    rows[start : start + batch],
                    page_size=batch,
                    fetch=True,
                )
                conn.commit()
        return time.perf_counter() - started
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accounts", type=int, default=400)
    parser.add_argument("--batch", type=int, default=500, help="rows per database batch")
    parser.add_argument("--message", type=int, default=100, help="items per webhook message")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    accounts = profiles(args.accounts)
    content: dict[uuid.UUID, tuple[Content, ...]] = {
        p.account_id: generate_daily_content(p, NOW - timedelta(hours=3)) for p in accounts
    }

    def generate() -> list[WebhookInteraction]:
        return [i for p in accounts for i in generate_tick(p, NOW, content[p.account_id])]

    rows: dict[str, float] = {}
    floors: dict[str, float] = {}
    gen_s, items = timed(generate, args.repeat)
    n = len(items)
    rows["generation (per account-tick: 15 interactions)"] = gen_s
    parts = [items[i : i + args.batch] for i in range(0, n, args.batch)]

    with bench_settings() as settings:
        assert settings.database_url is not None
        assert settings.webhook_secret is not None
        dsn = settings.database_url.replace("postgresql+psycopg2://", "postgresql://")
        container = bootstrap(settings)
        engine = container.engine
        secret = settings.webhook_secret

        def truncate() -> None:
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "TRUNCATE interactions, inbox_interactions, webhook_receipts, jobs CASCADE"
                    )
                )

        stages = (
            "existing rows check",
            "sender: payload, JSON, signature",
            "receiver: signature, JSON, validation",
            "receiver: upsert and receipt",
            "outbox insert (as sent)",
        )
        samples: dict[str, list[float]] = {k: [] for k in stages}
        floor_samples: dict[str, list[float]] = {
            "outbox insert (as sent)": [],
            "receiver: upsert and receipt": [],
        }
        messages = [
            part[i : i + args.message] for part in parts for i in range(0, len(part), args.message)
        ]
        for _ in range(args.repeat):
            truncate()
            started = time.perf_counter()
            for part in parts:
                with container.uow() as uow:
                    uow.outbox.existing([i.key for i in part])
            samples["existing rows check"].append(time.perf_counter() - started)

            started = time.perf_counter()
            bodies = []
            for message in messages:
                body = json.dumps(dump_batch(message)).encode()
                bodies.append(
                    (body, sign(secret, f"msg_{uuid.uuid4().hex}", body, datetime.now(UTC)))
                )
            samples["sender: payload, JSON, signature"].append(time.perf_counter() - started)

            started = time.perf_counter()
            loaded = []
            for body, headers in bodies:
                webhook_id = container.webhooks.verify(body, headers)
                loaded.append((webhook_id, container.webhooks.read(json.loads(body))[1]))
            samples["receiver: signature, JSON, validation"].append(time.perf_counter() - started)

            started = time.perf_counter()
            for webhook_id, batch_items in loaded:
                container.services.inbox.ingest(webhook_id, batch_items)
            samples["receiver: upsert and receipt"].append(time.perf_counter() - started)

            started = time.perf_counter()
            for part in parts:
                went = {
                    i.key: OutboxInteraction(
                        uuid.uuid4(), i, DeliveryStatus.SENT, 1, NOW, None, None, None, NOW
                    )
                    for i in part
                }
                with container.uow() as uow:
                    uow.outbox.add(part, NOW, went)
                    uow.commit()
            samples["outbox insert (as sent)"].append(time.perf_counter() - started)

            # floors: the same rows, raw
            truncate()
            outbox_rows = [
                (uuid.uuid4().hex, str(i.account_id), i.platform.value, i.platform_id,
                 i.kind.value, i.author.handle, i.author.display_name, i.text, i.occurred_at,
                 NOW, NOW, "sent", 1, NOW)
                for i in items
            ]  # fmt: skip
            floor_samples["outbox insert (as sent)"].append(raw_insert(
                dsn, outbox_rows, "interactions",
                "id, account_id, platform, platform_id, kind, author_handle, author_display_name, "
                "text, occurred_at, created_at, next_attempt_at, status, attempts, sent_at",
                args.batch,
            ))  # fmt: skip
            inbox_rows = [
                (str(i.account_id), i.platform.value, i.platform_id, i.kind.value, i.author.handle,
                 i.author.display_name, i.text, i.occurred_at, i.is_demo, NOW)
                for i in items
            ]  # fmt: skip
            floor_samples["receiver: upsert and receipt"].append(raw_insert(
                dsn, inbox_rows, inbox_interactions.name,
                "account_id, platform, platform_id, kind, author_handle, author_display_name, "
                "text, occurred_at, is_demo, received_at", args.message,
            ))  # fmt: skip
        container.close()
    rows.update({k: min(v) for k, v in samples.items()})
    floors.update({k: min(v) for k, v in floor_samples.items()})

    table = Table(
        title=f"Cost per interaction, {n:,} interactions ({args.accounts} account-ticks), "
        f"batches of {args.batch}, messages of {args.message}, best of {args.repeat}"
    )
    for column in ("stage", "µs / interaction", "floor µs", "vs floor"):
        table.add_column(column, justify="right")
    total = 0.0
    for stage, seconds in rows.items():
        us = seconds / n * 1e6
        total += us
        floor = floors.get(stage)
        table.add_row(
            stage, f"{us:,.1f}",
            f"{floor / n * 1e6:,.1f}" if floor else "",
            f"{us / (floor / n * 1e6):.1f}x" if floor else "",
        )  # fmt: skip
    table.add_row("all stages", f"{total:,.1f}", "", "")
    Console(width=160).print(table)


if __name__ == "__main__":
    main()
