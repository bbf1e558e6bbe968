"""The initial batch: wall time from enabling demo mode to a full inbox.

    .venv/bin/python bench/initial_batch.py [--accounts 50]

1. One account, one `demosim worker`: PUT …/demo through the API (gunicorn), then time until its
   initial batch job has succeeded: generation → storage → signed delivery → inbox.
2. `--accounts` accounts at once with two workers.
3. In the same run, the storage part alone, two ways, for one account's default demo (35 content,
   920 comments, 100 DMs): this service's batched upserts (DB_BATCH_SIZE rows a statement, a
   commit a batch), and the baseline of the old system: an ORM session, one object added per row,
   a commit every 50 rows.
"""

import argparse
import time
import uuid
from datetime import UTC, datetime

from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, registry

from app.adapters.db.tables import contents, interactions
from app.bootstrap import bootstrap
from app.config import Settings
from app.domain.demo import DemoProfile, DemoSizes, DmFrequency, Persona
from app.domain.generation import generate_demo
from app.domain.inbox import Platform
from app.services.work import store_interactions
from common import api_session, bench_settings, demosim_workers, execute, gunicorn

console = Console()
RESET = (
    "TRUNCATE interactions, contents, demo_accounts, inbox_interactions, webhook_receipts, jobs"
    " CASCADE"
)


def through_the_service(settings: Settings, base: str, accounts: int, workers: int) -> float:
    execute(settings.database_url or "", RESET)
    http = api_session(settings)
    with demosim_workers(settings, base, workers):
        started = time.perf_counter()
        locations = []
        for n in range(accounts):
            response = http.put(
                f"{base}/api/v1/accounts/{uuid.uuid4()}/demo",
                json={"persona": list(Persona)[n % len(Persona)].value},
                timeout=30,
            )
            assert response.status_code == 202, response.text
            locations.append(f"{base}{response.headers['Location']}")
        pending = set(locations)
        while pending:
            for url in list(pending):
                status = http.get(url, timeout=30).json()["status"]
                assert status != "failed", http.get(url, timeout=30).json()["error"]
                if status == "succeeded":
                    pending.discard(url)
            time.sleep(0.2)
        return time.perf_counter() - started


def one_demo() -> tuple[DemoProfile, datetime]:
    now = datetime.now(UTC)
    account = uuid.uuid4()
    profile = DemoProfile(
        account, Platform.YOUTUBE, Persona.COOKING, DmFrequency.MEDIUM, 1, "en_US", DemoSizes(), now
    )
    return profile, now


def storage_batched(settings: Settings) -> float:
    """This service's way: set-based upserts of DB_BATCH_SIZE rows, a commit per batch."""
    execute(settings.database_url or "", RESET)
    profile, now = one_demo()
    container = bootstrap(settings)
    size = settings.db_batch_size
    try:
        started = time.perf_counter()
        demo = generate_demo(profile, now, profile.sizes)
        for start in range(0, len(demo.content), size):
            with container.uow() as uow:
                uow.demo.add_content(demo.content[start : start + size], profile.platform, now)
                uow.commit()
        for items in (demo.comments, demo.dms):
            for start in range(0, len(items), size):
                with container.uow() as uow:
                    store_interactions(uow, items[start : start + size], now)
                    uow.commit()
        return time.perf_counter() - started
    finally:
        container.close()


def storage_orm_per_row(settings: Settings) -> float:
    """The old system's way: ORM objects added one at a time, a commit every 50 rows."""
    execute(settings.database_url or "", RESET)
    mapper = registry()

    class ContentRow:
        pass

    class InteractionRow:
        pass

    mapper.map_imperatively(ContentRow, contents)
    mapper.map_imperatively(InteractionRow, interactions)
    profile, now = one_demo()
    engine = create_engine(settings.database_url or "")
    try:
        started = time.perf_counter()
        demo = generate_demo(profile, now, profile.sizes)
        with Session(engine) as session:
            rows: list[object] = []
            for c in demo.content:
                row = ContentRow()
                row.__dict__.update(
                    account_id=c.account_id, platform="youtube", platform_id=c.platform_id,
                    title=c.title, published_at=c.published_at, target_comments=c.target_comments,
                    created_at=now,
                )  # fmt: skip
                rows.append(row)
            for i in demo.comments + demo.dms:
                row = InteractionRow()
                row.__dict__.update(
                    account_id=i.account_id, platform=i.platform.value, platform_id=i.platform_id,
                    kind=i.kind.value, author_handle=i.author.handle,
                    author_display_name=i.author.display_name, text=i.text,
                    content_platform_id=i.content.platform_id if i.content else None,
                    content_title=i.content.title if i.content else None,
                    intent=i.intent.value if i.intent else None,
                    sentiment=i.sentiment.value if i.sentiment else None,
                    occurred_at=i.occurred_at, created_at=now, next_attempt_at=now,
                )  # fmt: skip
                rows.append(row)
            for added, row in enumerate(rows, start=1):
                session.add(row)
                if added % 50 == 0:
                    session.commit()
            session.commit()
        return time.perf_counter() - started
    finally:
        mapper.dispose()
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accounts", type=int, default=50)
    args = parser.parse_args()
    per_account = 920 + 100
    results = []
    with bench_settings() as settings, gunicorn(settings, 2) as base:
        one = through_the_service(settings, base, 1, 1)
        results.append(("1 account, 1 worker: generate → store → deliver → inbox", 1, one))
        console.print(f"1 account: {one:.1f} s")
        many = through_the_service(settings, base, args.accounts, 2)
        results.append((f"{args.accounts} accounts at once, 2 workers", args.accounts, many))
        console.print(f"{args.accounts} accounts: {many:.1f} s")
        batched = storage_batched(settings)
        results.append(("storage only: batched upserts, a commit per batch", 1, batched))
        orm = storage_orm_per_row(settings)
        results.append(("baseline, storage only: ORM, a row at a time, commit every 50", 1, orm))

    table = Table(title="Initial batch (35 content, 920 comments, 100 DMs per account)")
    for column in ("what", "accounts", "wall time", "interactions/s"):
        table.add_column(column, justify="right")
    for label, accounts, seconds in results:
        rate = accounts * per_account / seconds
        table.add_row(label, str(accounts), f"{seconds:.2f} s", f"{rate:,.0f}")
    console.print(table)
    console.print(f"storage: batched is {orm / batched:.1f}x faster than the ORM baseline")


if __name__ == "__main__":
    main()
