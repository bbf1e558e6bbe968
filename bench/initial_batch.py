"""The initial batch: wall time from enabling demo mode to a full inbox.

    .venv/bin/python bench/initial_batch.py [--accounts 50]

1. One account, one `demosim worker`: PUT …/demo through the API (gunicorn), then time until its
   initial batch job has succeeded: generation → storage → signed delivery → inbox.
2. `--accounts` accounts at once with two workers.
3. Native delivery (issue 24): one Instagram account delivered as Instagram's webhooks to the
   reference host's /webhooks/meta, beside the same account in demosim's own format, same run;
   and one Facebook Page, as a Page's webhooks, beside the same Page in demosim's own format;
   and one TikTok account (issue 25), its comments as TikTok's `comment.update` events (one POST
   each) to the reference host's /webhooks/tiktok, beside the same account in demosim's own
   format (its DMs are no TikTok comment webhook: generated, not sent); and one X account, as
   Account Activity events (a run of replies or messages a POST) to /webhooks/x.
4. The baseline, in the same run: the old system's seeds for one account's default demo (35
   content, 920 comments, 100 DMs) end to end into the same receiver: ORM objects added a row at
   a time with a commit every 50, one signed HTTP request per interaction, the rows marked sent
   50 at a time.
"""

import argparse
import json
import time
import uuid
from datetime import UTC, datetime

import requests
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session, registry

from app.adapters.db.repositories import interaction_to_row
from app.adapters.db.tables import contents, interactions
from app.adapters.webhooks.signing import sign
from app.adapters.webhooks.wire import dump_batch
from app.config import Settings
from app.domain.demo import DemoProfile, DemoSizes, DmFrequency, Persona
from app.domain.generation import generate_demo
from app.domain.inbox import Platform, WebhookInteraction
from common import api_session, bench_settings, count, demosim_workers, execute, gunicorn

console = Console()
JOB_STATUS = text("SELECT status, error FROM jobs WHERE id = :id")
RESET = (
    "TRUNCATE interactions, contents, demo_accounts, inbox_interactions, webhook_receipts, jobs,"
    " platform_apps CASCADE"
)


def through_the_service(
    settings: Settings,
    base: str,
    accounts: int,
    workers: int,
    platform: str = "youtube",
    native: bool = False,
) -> float:
    execute(settings.database_url or "", RESET)
    http = api_session(settings)
    enable: dict[str, str] = {"platform": platform}
    if native and platform == "tiktok":  # the reference host's TikTok app, its test event taken
        key, secret = settings.reference_tiktok_app()
        app = {"callback_url": f"{base}/webhooks/tiktok", "secret": secret, "client_key": key}
        response = http.put(f"{base}/api/v1/apps/tiktok", json=app, timeout=30)
        assert response.status_code == 200, response.text
        enable["delivery"] = "native"
    elif native and platform == "x":  # the reference host's X app, its CRC answered
        app = {"callback_url": f"{base}/webhooks/x", "secret": settings.reference_x_app()}
        response = http.put(f"{base}/api/v1/apps/x", json=app, timeout=30)
        assert response.status_code == 200, response.text
        enable["delivery"] = "native"
    elif native:  # the reference host's own Meta app, verified by Meta's handshake
        secret, token = settings.reference_meta_app()
        app = {"callback_url": f"{base}/webhooks/meta", "secret": secret, "verify_token": token}
        response = http.put(f"{base}/api/v1/apps/meta", json=app, timeout=30)
        assert response.status_code == 200, response.text
        enable["delivery"] = "native"
    with demosim_workers(settings, base, workers):
        started = time.perf_counter()
        locations = []
        for n in range(accounts):
            response = http.put(
                f"{base}/api/v1/accounts/{uuid.uuid4()}/demo",
                json={"persona": list(Persona)[n % len(Persona)].value, **enable},
                timeout=30,
            )
            assert response.status_code == 202, response.text
            locations.append(f"{base}{response.headers['Location']}")
        # in the order they were enabled, each job's row read from PostgreSQL on one
        # connection: polling the API every 10 ms cost its gunicorn processes (the receiver's
        # own) ~3 ms of CPU a poll, a third of a one-account run's receiving
        poll = 0.005 if accounts == 1 else 0.05
        engine = create_engine(settings.database_url or "")
        with engine.connect() as conn:
            for url in locations:
                while True:
                    status, error = conn.execute(JOB_STATUS, {"id": url.rsplit("/", 1)[1]}).one()
                    conn.rollback()
                    if status == "succeeded":
                        break
                    assert status != "failed", error
                    time.sleep(poll)
        elapsed = time.perf_counter() - started
        engine.dispose()
    received = count(settings.database_url or "", "SELECT count(*) FROM inbox_interactions")
    pushed = 920 if native and platform == "tiktok" else 920 + 100  # TikTok pushes no DMs
    assert received == accounts * pushed, received
    return elapsed


def one_demo() -> tuple[DemoProfile, datetime]:
    now = datetime.now(UTC)
    profile = DemoProfile(
        uuid.uuid4(), Platform.YOUTUBE, Persona.COOKING, DmFrequency.MEDIUM, 1, "en_US",
        DemoSizes(), now,
    )  # fmt: skip
    return profile, now


def seed_style(settings: Settings, base: str) -> float:
    """The old system's seeds, end to end for one account's default demo: ORM objects added one
    at a time with a commit every 50 rows, then one signed HTTP request per interaction to the
    same receiver (one keep-alive connection, which flatters the baseline), the rows marked sent
    50 at a time."""
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
    http = requests.Session()
    url, secret = f"{base}/webhooks/interactions", settings.webhook_secret or ""
    try:
        started = time.perf_counter()
        demo = generate_demo(profile, now, profile.sizes)
        with Session(engine, expire_on_commit=False) as session:
            rows: list[object] = []
            for c in demo.content:
                row = ContentRow()
                row.__dict__.update(
                    account_id=c.account_id, platform=profile.platform.value,
                    platform_id=c.platform_id, title=c.title, published_at=c.published_at,
                    target_comments=c.target_comments, created_at=now,
                )  # fmt: skip
                rows.append(row)
            sent: list[tuple[uuid.UUID, WebhookInteraction]] = []
            for i in [*demo.comments, *demo.dms]:
                row = InteractionRow()
                row.__dict__.update(
                    id=uuid.uuid4(), **interaction_to_row(i), created_at=now, next_attempt_at=now
                )
                rows.append(row)
                sent.append((row.id, i))  # type: ignore[attr-defined]
            for added, row in enumerate(rows, start=1):
                session.add(row)
                if added % 50 == 0:
                    session.commit()
            session.commit()
            done: list[uuid.UUID] = []
            for row_id, item in sent:
                body = json.dumps(dump_batch([item])).encode()
                headers = {**sign(secret, f"msg_{row_id}", body, datetime.now(UTC))}
                headers["Content-Type"] = "application/json"
                response = http.post(url, data=body, headers=headers, timeout=30)
                assert response.status_code == 200, response.text
                done.append(row_id)
                if len(done) == 50 or row_id == sent[-1][0]:
                    for one in session.scalars(
                        select(InteractionRow).where(interactions.c.id.in_(done))
                    ):
                        one.status, one.sent_at = "sent", datetime.now(UTC)  # type: ignore[attr-defined]
                    session.commit()
                    done = []
        elapsed = time.perf_counter() - started
        url_db = settings.database_url or ""
        received = count(url_db, "SELECT count(*) FROM inbox_interactions")
        marked = count(url_db, "SELECT count(*) FROM interactions WHERE status = 'sent'")
        assert received == marked == len(sent), (received, marked, len(sent))
        return elapsed
    finally:
        http.close()
        mapper.dispose()
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accounts", type=int, default=50)
    args = parser.parse_args()
    per_account = 920 + 100
    with bench_settings() as settings, gunicorn(settings, 2) as base:
        one = through_the_service(settings, base, 1, 1)
        console.print(f"1 account: {one:.2f} s")
        many = through_the_service(settings, base, args.accounts, 2)
        console.print(f"{args.accounts} accounts: {many:.2f} s")
        own = through_the_service(settings, base, 1, 1, "instagram")
        native = through_the_service(settings, base, 1, 1, "instagram", native=True)
        console.print(f"1 Instagram account: demosim's format {own:.2f} s, native {native:.2f} s")
        page_own = through_the_service(settings, base, 1, 1, "facebook")
        page = through_the_service(settings, base, 1, 1, "facebook", native=True)
        console.print(f"1 Facebook Page: demosim's format {page_own:.2f} s, native {page:.2f} s")
        tiktok_own = through_the_service(settings, base, 1, 1, "tiktok")
        tiktok = through_the_service(settings, base, 1, 1, "tiktok", native=True)
        console.print(
            f"1 TikTok account: demosim's format {tiktok_own:.2f} s, native {tiktok:.2f} s"
        )
        x_own = through_the_service(settings, base, 1, 1, "x")
        x = through_the_service(settings, base, 1, 1, "x", native=True)
        console.print(f"1 X account: demosim's format {x_own:.2f} s, native {x:.2f} s")
        seeds = seed_style(settings, base)
        console.print(f"seed-style baseline, 1 account: {seeds:.2f} s")
    results = [
        ("1 account, 1 worker: PUT → generate → store → deliver → inbox", 1, one),
        (f"{args.accounts} accounts at once, 2 workers", args.accounts, many),
        ("1 Instagram account, demosim's own format", 1, own),
        ("1 Instagram account, native: Instagram's webhooks to /webhooks/meta", 1, native),
        ("1 Facebook Page, demosim's own format", 1, page_own),
        ("1 Facebook Page, native: a Page's webhooks to /webhooks/meta", 1, page),
        ("1 TikTok account, demosim's own format", 1, tiktok_own),
        ("1 TikTok account, native: comment.update events to /webhooks/tiktok", 1, tiktok),
        ("1 X account, demosim's own format", 1, x_own),
        ("1 X account, native: Account Activity events to /webhooks/x", 1, x),
        ("baseline: the seeds' way, 1 account (ORM, HTTP request per interaction)", 1, seeds),
    ]
    table = Table(title="Initial batch (35 content, 920 comments, 100 DMs per account)")
    for column in ("what", "accounts", "wall time", "interactions/s"):
        table.add_column(column, justify="right")
    for label, accounts, seconds in results:
        rate = accounts * per_account / seconds
        table.add_row(label, str(accounts), f"{seconds:.2f} s", f"{rate:,.0f}")
    console.print(table)
    console.print(f"1 account: the whole pipeline is {seeds / one:.1f}x faster than the seeds' way")
    for name, mine, theirs in (
        ("Instagram", own, native),
        ("a Page", page_own, page),
        ("TikTok", tiktok_own, tiktok),
        ("X", x_own, x),
    ):
        console.print(
            f"native delivery ({name}): {mine / theirs:.2f}x the rate of demosim's own"
            " (issues 24, 25: ≥ 0.8)"
        )


if __name__ == "__main__":
    main()
