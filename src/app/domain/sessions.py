"""Dashboard sign-ins, kept on the server so that signing out ends one: a session lives while
it is used (`idle`) and never past its `lifetime`."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.time import require_aware


@dataclass(frozen=True, slots=True)
class SessionRules:
    idle: timedelta  # ended when unused this long
    lifetime: timedelta  # ended this long after signing in, used or not
    touch_every: timedelta = timedelta(minutes=1)  # how fresh `seen_at` is kept


@dataclass(frozen=True, slots=True)
class DashboardSession:
    id: str  # the digest of the secret in the cookie: the table holds nothing a cookie can use
    created_at: datetime
    seen_at: datetime

    def __post_init__(self) -> None:
        for name in ("created_at", "seen_at"):
            object.__setattr__(self, name, require_aware(getattr(self, name), name))

    def is_live(self, now: datetime, rules: SessionRules) -> bool:
        return now - self.seen_at < rules.idle and now - self.created_at < rules.lifetime


def session_id(secret: str) -> str:
    """The stored id of the session a cookie's secret opens."""
    return hashlib.sha256(secret.encode()).hexdigest()
