"""Dashboard sessions."""

from datetime import datetime

from app.domain.sessions import DashboardSession
from fakes.store import MemoryStore


class MemorySessionRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._rows = store.sessions

    def add(self, session: DashboardSession) -> None:
        if session.id in self._rows:
            raise ValueError(f"duplicate session {session.id}")
        self._rows[session.id] = session

    def get(self, session_id: str) -> DashboardSession | None:
        return self._rows.get(session_id)

    def touch(self, session_id: str, now: datetime) -> None:
        found = self._rows.get(session_id)
        if found is not None:
            self._rows[session_id] = DashboardSession(found.id, found.created_at, now)

    def remove(self, session_id: str) -> bool:
        return self._rows.pop(session_id, None) is not None

    def remove_ended(self, unused_since: datetime, created_before: datetime) -> int:
        ended = [
            s.id
            for s in self._rows.values()
            if s.seen_at <= unused_since or s.created_at <= created_before
        ]
        for session_id in ended:
            del self._rows[session_id]
        return len(ended)
