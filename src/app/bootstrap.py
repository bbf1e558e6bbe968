"""The one composition root: the API, the CLI and the tests build everything through here."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import redis
from sqlalchemy import Engine, text

from app.adapters.clock import SystemClock
from app.adapters.db.engine import create_db_engine
from app.adapters.db.unit_of_work import SqlUnitOfWork
from app.adapters.embedded import embedded_servers
from app.config import Settings
from app.services.ports import Clock, UnitOfWork


@dataclass(frozen=True)
class Container:
    settings: Settings
    engine: Engine
    redis: redis.Redis
    clock: Clock

    def uow(self) -> UnitOfWork:
        return SqlUnitOfWork(self.engine)

    def health(self) -> dict[str, str | None]:
        """What is down, by name: None when it answered."""
        return {"postgres": _probe(self._ping_postgres), "redis": _probe(self.redis.ping)}

    def _ping_postgres(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def close(self) -> None:
        self.engine.dispose()
        self.redis.close()


def _probe(check: Callable[[], object]) -> str | None:
    try:
        check()
    except Exception as exc:  # readiness reports any failure by name instead of raising
        return (
            f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
        )
    return None


def bootstrap(settings: Settings, *, clock: Clock | None = None) -> Container:
    """Build this process's engine and Redis client; call once per process, never at import."""
    if settings.database_url is None or settings.redis_url is None:
        raise RuntimeError("servers are not resolved; wrap the process in `servers(settings)`")
    return Container(
        settings=settings,
        engine=create_db_engine(settings.database_url, settings.pool),
        redis=redis.Redis.from_url(settings.redis_url, socket_connect_timeout=5, socket_timeout=10),
        clock=clock or SystemClock(),
    )


@contextmanager
def servers(settings: Settings) -> Iterator[Settings]:
    """Settings with both URLs set: the given servers, or embedded ones started for the block."""
    with embedded_servers(
        settings.home, postgres=settings.database_url is None, redis=settings.redis_url is None
    ) as started:
        yield replace(
            settings,
            database_url=settings.database_url or started.database_url,
            redis_url=settings.redis_url or started.redis_url,
        )
