"""Signing in to the dashboard: sessions kept in PostgreSQL, so that signing out, idling and
age end them whatever a browser kept."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from app.config import DEFAULTS, Settings
from app.domain.sessions import DashboardSession, SessionRules, session_id
from app.services.ports import Clock, UnitOfWorkFactory


def rules_of(settings: Settings) -> SessionRules:
    return SessionRules(
        idle=timedelta(minutes=settings.dashboard_idle_minutes),
        lifetime=timedelta(hours=settings.dashboard_session_hours),
    )


DEFAULT_RULES = rules_of(DEFAULTS)


@dataclass(frozen=True)
class SessionService:
    uow: UnitOfWorkFactory
    clock: Clock
    rules: SessionRules = DEFAULT_RULES

    def open(self) -> str:
        """A new session: the secret its cookie carries (only its digest is stored). Ended
        ones are cleared on the way."""
        secret = secrets.token_urlsafe(32)
        now = self.clock.now()
        with self.uow() as uow:
            uow.sessions.remove_ended(now - self.rules.idle, now - self.rules.lifetime)
            uow.sessions.add(DashboardSession(session_id(secret), now, now))
            uow.commit()
        return secret

    def check(self, secret: str) -> bool:
        """Whether the session this secret opens is live; using it keeps it so."""
        now, found_id = self.clock.now(), session_id(secret)
        with self.uow() as uow:
            found = uow.sessions.get(found_id)
            if found is None:
                return False
            if not found.is_live(now, self.rules):
                uow.sessions.remove(found_id)
                uow.commit()
                return False
            if now - found.seen_at >= self.rules.touch_every:
                uow.sessions.touch(found_id, now)
                uow.commit()
        return True

    def close(self, secret: str) -> None:
        """Signed out: the session ends, for every copy of its cookie."""
        with self.uow() as uow:
            uow.sessions.remove(session_id(secret))
            uow.commit()
