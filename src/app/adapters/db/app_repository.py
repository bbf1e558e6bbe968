"""Platform apps, one row per family."""

from typing import Any

from sqlalchemy import Connection, Row, delete, select
from sqlalchemy.dialects.postgresql import insert

from app.adapters.db.tables import platform_apps as t
from app.domain.apps import Family, PlatformApp


def row_to_app(row: Row[Any]) -> PlatformApp:
    return PlatformApp(
        family=Family(row.family),
        callback_url=row.callback_url,
        secret=row.secret,
        verify_token=row.verify_token,
        verified_at=row.verified_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        client_key=row.client_key,
        invalid_since=row.invalid_since,
        invalid_reason=row.invalid_reason,
    )


class SqlAppRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, family: Family) -> PlatformApp | None:
        row = self._conn.execute(select(t).where(t.c.family == family.value)).first()
        return row_to_app(row) if row else None

    def list(self) -> list[PlatformApp]:
        return [row_to_app(r) for r in self._conn.execute(select(t).order_by(t.c.family))]

    def save(self, app: PlatformApp) -> PlatformApp:
        """Insert or replace the family's app; the first registration's created_at stays."""
        values = {
            "family": app.family.value,
            "callback_url": app.callback_url,
            "secret": app.secret,
            "verify_token": app.verify_token,
            "verified_at": app.verified_at,
            "created_at": app.created_at,
            "updated_at": app.updated_at,
            "client_key": app.client_key,
            "invalid_since": app.invalid_since,
            "invalid_reason": app.invalid_reason,
        }
        stmt = insert(t).values(values)
        kept = ("family", "created_at")
        upsert = stmt.on_conflict_do_update(
            index_elements=[t.c.family],
            set_={k: stmt.excluded[k] for k in values if k not in kept},
        )
        return row_to_app(self._conn.execute(upsert.returning(*t.c)).one())

    def remove(self, family: Family) -> bool:
        return self._conn.execute(delete(t).where(t.c.family == family.value)).rowcount > 0
