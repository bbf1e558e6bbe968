"""What the benchmarks share: a throw-away database, the receiver under gunicorn, secrets."""

import base64
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

from app.adapters.db.scratch import scratch_database
from app.bootstrap import servers
from app.config import Settings, load_settings
from app.entrypoints.processes import free_port

BIN = Path(sys.executable).parent


@contextmanager
def bench_settings() -> Iterator[Settings]:
    """The given or embedded servers, a fresh migrated database on them, fresh secrets."""
    base = replace(
        load_settings(os.environ),
        api_token=secrets.token_urlsafe(24),
        webhook_secret="whsec_" + base64.b64encode(secrets.token_bytes(32)).decode(),
    )
    with servers(base) as resolved:
        assert resolved.database_url is not None
        with scratch_database(resolved.database_url, "demosim_bench", migrate=True) as url:
            yield replace(resolved, database_url=url)


def service_env(settings: Settings, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": settings.database_url or "",
        "REDIS_URL": settings.redis_url or "",
        "DEMOSIM_API_TOKEN": settings.api_token or "",
        "WEBHOOK_SECRET": settings.webhook_secret or "",
        "LOG_LEVEL": "warning",  # a line per request and job would be the bench's output
        **extra,
    }


@contextmanager
def gunicorn(settings: Settings, workers: int) -> Iterator[str]:
    """The API (and its receiver) in production form; yields its base URL."""
    port = free_port()
    command = [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(
        [*command, "--log-level", "warning", "app.entrypoints.http.wsgi:create()"],
        env=service_env(settings),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:  # not up yet, or busy starting
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit("bench: gunicorn did not become ready")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def count(url: str, sql: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        value = int(conn.execute(text(sql)).scalar_one())
    engine.dispose()
    return value


def execute(url: str, sql: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()


@contextmanager
def demosim_workers(
    settings: Settings, base: str, n: int
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """n `demosim worker` processes delivering to the receiver at base, up when this yields."""
    env = service_env(settings, WEBHOOK_TARGET_URL=f"{base}/webhooks/interactions")
    procs = [
        subprocess.Popen([str(BIN / "demosim"), "worker"], env=env, stderr=subprocess.DEVNULL)
        for _ in range(n)
    ]
    try:
        time.sleep(3)  # the workers are up before the clock starts
        yield procs
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=120)


def api_session(settings: Settings) -> requests.Session:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {settings.api_token}"
    return http
