"""The SQL unit of work, the engine's pool across fork(), and the migrations against the tables."""

import os
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from app.adapters.db.engine import create_db_engine
from app.adapters.db.tables import metadata
from app.bootstrap import Container
from app.config import PoolSettings, Settings
from helpers import incoming

NOW = datetime.now(UTC)


def test_nothing_persists_without_commit(
    container: Container, count_rows: Callable[[str], int]
) -> None:
    with container.uow() as uow:
        uow.inbox.upsert([incoming("a", uuid.uuid4(), NOW)], NOW)
    assert count_rows("inbox_interactions") == 0


def test_an_error_in_the_block_rolls_back_what_was_not_committed(
    container: Container, count_rows: Callable[[str], int]
) -> None:
    account = uuid.uuid4()

    def two_batches_then_a_crash() -> None:
        with container.uow() as uow:
            uow.inbox.upsert([incoming("first", account, NOW)], NOW)
            uow.commit()  # the first batch is kept
            uow.inbox.upsert([incoming("second", account, NOW)], NOW)
            raise RuntimeError("worker died mid-batch")

    with pytest.raises(RuntimeError, match="mid-batch"):
        two_batches_then_a_crash()
    with container.engine.connect() as conn:
        kept = conn.execute(text("SELECT platform_id FROM inbox_interactions")).scalars().all()
    assert kept == ["first"]
    assert count_rows("inbox_interactions") == 1


def test_entities_outlive_their_unit_of_work(container: Container) -> None:
    account = uuid.uuid4()
    with container.uow() as uow:
        uow.inbox.upsert([incoming("a", account, NOW)], NOW)
        uow.commit()
    from app.domain.inbox import InboxFilter

    page = container.queries.inbox_page(InboxFilter(account), None, 10)
    (item,) = page.items  # read after the connection went back to the pool
    assert item.data.platform_id == "a"
    assert item.data.occurred_at.tzinfo is not None
    assert not hasattr(item, "_sa_instance_state")


def test_a_forked_child_does_not_touch_the_parents_pooled_connections(settings: Settings) -> None:
    assert settings.database_url is not None
    engine = create_db_engine(settings.database_url, PoolSettings(size=1, max_overflow=0))
    with engine.connect() as conn:  # put one connection in the parent's pool
        parent_backend = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child, like an RQ work horse
        code = 1
        try:
            os.close(read_end)
            with engine.connect() as conn:
                child_backend = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
                conn.execute(text("SELECT pg_sleep(0.05)"))
            os.write(write_end, str(child_backend).encode())
            engine.dispose()  # closes what the child opened, and only that
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    child_backend = int(os.read(read_end, 64) or b"0")
    os.close(read_end)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert child_backend not in (0, parent_backend), "the child reused the parent's connection"
    with engine.connect() as conn:  # the parent's pooled connection still works, unchanged
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() == parent_backend
        assert conn.execute(text("SELECT 41 + 1")).scalar_one() == 42
    engine.dispose()


def test_the_migrated_schema_matches_the_tables(container: Container) -> None:
    with container.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
