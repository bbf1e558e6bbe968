"""Where a native account's items go: its family's app, read per batch (an account enabled a
moment ago is native from its first item on)."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Engine, select

from app.adapters.db.app_repository import row_to_app
from app.adapters.db.tables import demo_accounts as d
from app.adapters.db.tables import platform_apps as a
from app.domain.apps import FAMILY_OF, PlatformApp
from app.domain.demo import Delivery
from app.domain.inbox import Platform


class SqlNativeRoutes:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __call__(self, account_ids: Sequence[UUID]) -> dict[UUID, PlatformApp | None]:
        """The native ones among these accounts, each with its family's app (None: removed
        since the account was enabled)."""
        with self._engine.connect() as conn:
            natives = conn.execute(
                select(d.c.account_id, d.c.platform).where(
                    d.c.account_id.in_(account_ids), d.c.delivery == Delivery.NATIVE.value
                )
            ).all()
            if not natives:
                return {}
            apps = {row.family: row_to_app(row) for row in conn.execute(select(a)).all()}
        return {
            account_id: apps.get(FAMILY_OF[Platform(platform)].value)
            for account_id, platform in natives
        }


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
