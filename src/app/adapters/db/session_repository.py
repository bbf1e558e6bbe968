from datetime import datetime

from sqlalchemy import Connection, delete, insert, or_, select, update

from app.adapters.db.tables import dashboard_sessions as t
from app.domain.sessions import DashboardSession


class SqlSessionRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, session: DashboardSession) -> None:
        self._conn.execute(
            insert(t).values(id=session.id, created_at=session.created_at, seen_at=session.seen_at)
        )

    def get(self, session_id: str) -> DashboardSession | None:
        row = self._conn.execute(select(t).where(t.c.id == session_id)).first()
        return DashboardSession(row.id, row.created_at, row.seen_at) if row else None

    def touch(self, session_id: str, now: datetime) -> None:
        self._conn.execute(update(t).where(t.c.id == session_id).values(seen_at=now))

    def remove(self, session_id: str) -> bool:
        return self._conn.execute(delete(t).where(t.c.id == session_id)).rowcount > 0

    def remove_ended(self, unused_since: datetime, created_before: datetime) -> int:
        ended = or_(t.c.seen_at <= unused_since, t.c.created_at <= created_before)
        return self._conn.execute(delete(t).where(ended)).rowcount
