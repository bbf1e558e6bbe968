"""A throw-away database on a server: what the tests and the benchmarks run on."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.adapters.db.engine import sqlalchemy_url
from app.adapters.db.migrations import upgrade


@contextmanager
def scratch_database(server_url: str, prefix: str, *, migrate: bool) -> Iterator[str]:
    """A database of its own on the server, migrated or empty, dropped on leaving."""
    server = make_url(sqlalchemy_url(server_url))
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        if migrate:
            engine = create_engine(url)
            upgrade(engine)
            engine.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
