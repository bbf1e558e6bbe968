"""Real PostgreSQL and Redis: the given servers (DATABASE_URL / REDIS_URL) or embedded ones.

The session creates a database of its own, migrates it with alembic, and drops it at the end;
each test starts from empty tables.
"""

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.serving import make_server

from app.adapters.db.scratch import scratch_database
from app.adapters.db.tables import metadata, schedules
from app.bootstrap import Container, bootstrap, servers
from app.config import Settings, load_settings
from app.entrypoints.http import create_app
from helpers import API_TOKEN, WEBHOOK_SECRET, csrf_of, serving
from integration.support import ControllableReceiver, Workers

TEST_REDIS_DB = 15  # tests flush it; whatever else uses the server keeps its own database


@pytest.fixture(scope="session")
def server_settings() -> Iterator[Settings]:
    with servers(load_settings(os.environ)) as resolved:
        assert resolved.redis_url is not None
        yield replace(
            resolved,
            redis_url=_redis_db(resolved.redis_url, TEST_REDIS_DB),
            api_token=API_TOKEN,
            webhook_secret=WEBHOOK_SECRET,
            reply_delay_scale=0.0,  # a simulated person answers a host's reply at once
        )


def _redis_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = urlencode({**dict(parse_qsl(parts.query)), "db": str(db)})
        return f"unix://{parts.path}?{query}"
    return urlunsplit(parts._replace(path=f"/{db}"))


@pytest.fixture(scope="session")
def settings(server_settings: Settings) -> Iterator[Settings]:
    assert server_settings.database_url is not None
    with scratch_database(server_settings.database_url, "demosim_test", migrate=True) as url:
        yield replace(server_settings, database_url=url)


@pytest.fixture(scope="session")
def container(settings: Settings) -> Iterator[Container]:
    built = bootstrap(settings)
    yield built
    built.close()


@pytest.fixture(scope="session")
def seeded_schedules(container: Container) -> list[dict[str, object]]:
    """The schedules as the migration seeds them."""
    with container.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(schedules.select())]


@pytest.fixture(autouse=True)
def _empty_tables_and_queue(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts from empty tables (but the seeded schedules) and an empty Redis
    database (the test server's)."""
    seeded = (
        request.getfixturevalue("seeded_schedules") if "container" in request.fixturenames else []
    )
    yield
    if "container" in request.fixturenames:
        container = request.getfixturevalue("container")
        with container.engine.begin() as conn:
            names = ", ".join(t.name for t in metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names}"))
            conn.execute(schedules.insert(), seeded)
        container.redis.flushdb()


@pytest.fixture
def app(container: Container) -> Flask:
    return create_app(container)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def signed_in(client: FlaskClient) -> FlaskClient:
    """The test client signed in to the dashboard with the API token."""
    token = csrf_of(client, "/dashboard/login")
    answer = client.post("/dashboard/login", data={"token": API_TOKEN, "csrf_token": token})
    assert answer.status_code == 302
    return client


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {API_TOKEN}"}


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The WSGI app behind a real threaded HTTP server on a free port."""
    with serving(make_server("127.0.0.1", 0, app, threaded=True)) as base:
        yield base


@pytest.fixture
def receiver(app: Flask) -> Iterator[ControllableReceiver]:
    switch = ControllableReceiver(app)
    with serving(make_server("127.0.0.1", 0, switch, threaded=True)) as base:
        switch.url = f"{base}/webhooks/interactions"
        yield switch


@pytest.fixture
def workers(
    settings: Settings, receiver: ControllableReceiver, tmp_path: Path
) -> Iterator[Workers]:
    """Real `demosim worker` processes, delivering to `receiver`; stopped after the test."""
    running = Workers(settings, receiver, tmp_path)
    yield running
    running.stop_all()


@pytest.fixture
def schedulers(
    settings: Settings, receiver: ControllableReceiver, tmp_path: Path
) -> Iterator[Workers]:
    """Real `demosim scheduler` processes; stopped after the test."""
    running = Workers(settings, receiver, tmp_path, command="scheduler")
    yield running
    running.stop_all()


@pytest.fixture
def count_rows(container: Container) -> Callable[[str], int]:
    def count(table: str) -> int:
        with container.engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())

    return count
