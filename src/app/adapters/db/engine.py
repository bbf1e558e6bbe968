"""One engine per process, pooled and fork-safe (a forked child leaves the parent's sockets)."""

import os
import weakref

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from app.config import PoolSettings


def sqlalchemy_url(database_url: str) -> str:
    """postgres:// and postgresql:// both mean psycopg2 here."""
    url = make_url(database_url)
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg2")
    return url.render_as_string(hide_password=False)


def create_db_engine(database_url: str, pool: PoolSettings) -> Engine:
    engine = create_engine(
        sqlalchemy_url(database_url),
        pool_size=pool.size,
        max_overflow=pool.max_overflow,
        pool_timeout=pool.timeout,
        pool_recycle=pool.recycle,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 10, "application_name": "demosim"},
    )
    _forget_pool_in_forked_children(engine)
    return engine


def _forget_pool_in_forked_children(engine: Engine) -> None:
    """A forked child must open its own connections and leave the parent's sockets alone.

    dispose(close=False) drops the inherited pool without closing the parent's connections,
    as SQLAlchemy's pooling docs prescribe for multiprocessing.
    """
    ref = weakref.ref(engine)

    def after_fork_in_child() -> None:
        alive = ref()
        if alive is not None:
            alive.dispose(close=False)

    os.register_at_fork(after_in_child=after_fork_in_child)
