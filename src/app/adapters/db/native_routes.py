"""Where a native account's items go: its family's app, read per batch (an account enabled a
moment ago is native from its first item on)."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Engine, bindparam, case, select

from app.adapters.db.app_repository import row_to_app
from app.adapters.db.tables import demo_accounts as d
from app.adapters.db.tables import platform_apps as a
from app.domain.apps import FAMILY_OF, PlatformApp


class SqlNativeRoutes:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __call__(self, account_ids: Sequence[UUID]) -> dict[UUID, PlatformApp | None]:
        """The native ones among these accounts, each with its family's app (None: removed
        since the account was enabled); one round trip, as every batch asks."""
        with self._engine.connect() as conn:
            rows = conn.execute(_ROUTES, {"ids": list(account_ids)}).all()
        return {row.account_id: row_to_app(row) if row.family else None for row in rows}


_FAMILY = case({p.value: f.value for p, f in FAMILY_OF.items()}, value=d.c.platform)
_ROUTES = (
    select(d.c.account_id, *a.c)
    .select_from(d.outerjoin(a, a.c.family == _FAMILY))
    .where(d.c.account_id.in_(bindparam("ids", expanding=True)), d.c.delivery == "native")
)


class SqlNativeAccounts:
    """The demo account a platform id (an IG user id) belongs to: how the reference host
    knows whose inbox a native webhook's entry is for."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __call__(self, user_id: str) -> UUID | None:
        with self._engine.connect() as conn:
            found: UUID | None = conn.execute(
                select(d.c.account_id).where(d.c.native_user_id == user_id)
            ).scalar()
        return found
