from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine, RootTransaction

from app.adapters.db.app_repository import SqlAppRepository
from app.adapters.db.demo_repository import SqlDemoRepository
from app.adapters.db.job_repository import SqlJobRepository
from app.adapters.db.outbox_repository import SqlOutboxRepository
from app.adapters.db.repositories import SqlInboxRepository, SqlWebhookReceiptRepository
from app.adapters.db.retention_repository import SqlRetentionRepository
from app.adapters.db.schedule_repository import SqlScheduleRepository
from app.adapters.db.session_repository import SqlSessionRepository


class SqlUnitOfWork:
    """One connection and one transaction per `with` block; nothing persists without commit()."""

    inbox: SqlInboxRepository
    webhook_receipts: SqlWebhookReceiptRepository
    jobs: SqlJobRepository
    outbox: SqlOutboxRepository
    demo: SqlDemoRepository
    retention: SqlRetentionRepository
    schedules: SqlScheduleRepository
    sessions: SqlSessionRepository
    apps: SqlAppRepository

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None
        self._tx: RootTransaction | None = None

    def __enter__(self) -> Self:
        if self._conn is not None:
            raise RuntimeError("this unit of work is already open; make a new one per block")
        self._conn = self._engine.connect()
        self._tx = self._conn.begin()
        self.inbox = SqlInboxRepository(self._conn)
        self.webhook_receipts = SqlWebhookReceiptRepository(self._conn)
        self.jobs = SqlJobRepository(self._conn)
        self.outbox = SqlOutboxRepository(self._conn)
        self.demo = SqlDemoRepository(self._conn)
        self.retention = SqlRetentionRepository(self._conn)
        self.schedules = SqlScheduleRepository(self._conn)
        self.sessions = SqlSessionRepository(self._conn)
        self.apps = SqlAppRepository(self._conn)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn, self._tx = self._conn, None, None
        if conn is not None:
            conn.close()  # returns it to the pool, rolling back whatever was not committed

    def commit(self) -> None:
        """Commit this batch; the block goes on in a fresh transaction."""
        if self._conn is None or self._tx is None:
            raise RuntimeError("commit() outside `with uow:`")
        self._tx.commit()
        self._tx = self._conn.begin()

    def rollback(self) -> None:
        if self._conn is None or self._tx is None:
            raise RuntimeError("rollback() outside `with uow:`")
        self._tx.rollback()
        self._tx = self._conn.begin()
