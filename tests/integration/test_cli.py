"""`demosim` as a person runs it: subprocesses with the environment as the only input."""

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from app.adapters.db.scratch import scratch_database
from app.bootstrap import Container
from app.config import Settings
from app.domain.jobs import JobKind, NewJob

DEMOSIM = [sys.executable, "-m", "app.entrypoints.cli"]


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "REDIS_", "DEMOSIM_", "WEBHOOK_", "DB_"))
    }
    return subprocess.run(
        [*DEMOSIM, *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def empty_database(settings: Settings) -> Iterator[str]:
    assert settings.database_url is not None
    with scratch_database(settings.database_url, "demosim_cli", migrate=False) as url:
        yield url


def test_db_upgrade_migrates_the_given_database(empty_database: str, settings: Settings) -> None:
    assert settings.redis_url is not None
    done = run(["db", "upgrade"], DATABASE_URL=empty_database, REDIS_URL=settings.redis_url)
    assert done.returncode == 0, done.stderr
    engine = create_engine(empty_database)
    try:
        assert {"inbox_interactions", "webhook_receipts", "alembic_version"} <= set(
            inspect(engine).get_table_names()
        )
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DB_POOL_SIZE": "lots"}, "DB_POOL_SIZE"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({"WEBHOOK_SECRET": "plain"}, "WEBHOOK_SECRET"),
    ],
)
def test_bad_configuration_is_one_line_naming_the_variable(
    env: dict[str, str], variable: str
) -> None:
    done = run(["db", "upgrade"], **env)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"demosim: configuration error: {variable}")


def test_api_without_a_token_says_so_before_starting_anything() -> None:
    done = run(["api"])
    assert done.returncode == 2
    assert done.stderr.startswith("demosim: configuration error: DEMOSIM_API_TOKEN is not set")


def test_demo_runs_end_to_end_against_the_given_servers(
    empty_database: str, settings: Settings, tmp_path: Path
) -> None:
    assert settings.redis_url is not None
    done = run(
        ["demo"],
        DATABASE_URL=empty_database,
        REDIS_URL=settings.redis_url,
        DEMOSIM_HOME=str(tmp_path),
        COLUMNS="120",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    summary = done.stdout[done.stdout.index("Summary") :]
    assert re.search(r"generated\s+│ 35 content, 920 comments, 100 DMs", summary)
    assert re.search(r"received at the inbox\s+│ 1,020 ", summary)
    assert re.search(r"failures\s+│ 0 ", summary)
    assert "DMs as they landed in the inbox" in done.stdout


def test_demo_native_runs_metas_loop_and_shows_the_answers(
    empty_database: str, settings: Settings, tmp_path: Path
) -> None:
    assert settings.redis_url is not None
    done = run(
        ["demo", "--native"],
        DATABASE_URL=empty_database,
        REDIS_URL=settings.redis_url,
        DEMOSIM_HOME=str(tmp_path),
        COLUMNS="200",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Meta app registered" in done.stdout
    loop = done.stdout[done.stdout.index("The native loop") : done.stdout.index("A Page: the")]
    rows = [
        line for line in loop.splitlines() if line.startswith("│") and line.split("│")[1].strip()
    ]
    assert len(rows) == 5  # three comments, two people in DMs (a cell's next lines start blank)
    assert sum("Thanks for the message" in row for row in rows) == 2
    summary = done.stdout[done.stdout.index("Summary") :]
    assert re.search(r"received at the inbox\s+│ 1,020 ", summary)
    assert re.search(r"failures\s+│ 0 ", summary)
    # what went out beyond the items is named: the account's lifecycle events, not a loss
    assert re.search(r"delivered\s+│ [\d,]+: 1,020 items, \d+ lifecycle events", summary)
    # TikTok's loop: its app's test event taken, its comments through /webhooks/tiktok, two
    # replies through the API for Business, each answered or let be
    assert re.search(r"a native TikTok account's 60 comments reached the inbox", done.stdout)
    # and YouTube's: the host polls the Data API, replies, and reads the answers at its next poll
    assert re.search(r"the host polled \d+ threads through the Data API", done.stdout)
    # a Page's, on the same Meta app: its feed and comments read, two people answered
    assert re.search(r"a native Facebook Page: 3 posts read through the Graph API", done.stdout)
    # and X's: its CRC answered, its replies through /webhooks/x, two people answered through
    # the X API v2
    assert re.search(r"a native X account's 60 replies reached the inbox", done.stdout)
    out = done.stdout
    page = out[out.index("A Page: the host") : out.index("TikTok: the host")]
    tiktok = out[out.index("TikTok: the host") : out.index("YouTube: the host")]
    youtube = out[out.index("YouTube: the host") : out.index("X: the host")]
    x = out[out.index("X: the host") : out.index("Comments as")]
    for table in (page, tiktok, youtube, x):
        replied = [
            line
            for line in table.splitlines()
            if line.startswith("│") and line.split("│")[1].strip()
        ]
        assert len(replied) == 2


def test_schedules_and_jobs_print_tables(settings: Settings, container: Container) -> None:
    with container.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE schedules SET enabled = (name = 'cleanup'), next_run_at = "
                "CASE WHEN name = 'cleanup' THEN timestamptz '2030-01-07T03:00:00Z' END"
            )
        )
    servers = {"DATABASE_URL": settings.database_url or "", "REDIS_URL": settings.redis_url or ""}
    listed = run(["schedules"], **servers)
    assert listed.returncode == 0, listed.stderr
    rows = {line.split()[0]: line for line in listed.stdout.splitlines() if line.strip()}
    assert "0 3 * * 1" in rows["cleanup"]
    assert "2030-01-07T03:00:00+00:00" in rows["cleanup"]
    assert " no " in rows["daily-content"]
    assert rows["daily-content"].rstrip().endswith("-")

    job, _ = container.services.engine.create(NewJob(JobKind.CLEANUP))
    shown = run(["jobs", "--limit", "5"], **servers)
    assert shown.returncode == 0, shown.stderr
    assert any(str(job.id) in line and "demo.cleanup" in line for line in shown.stdout.splitlines())
    assert run(["jobs", "--limit", "0"], **servers).returncode == 2
