"""Where a native account's items go: its family's app, read per batch (an account enabled a
moment ago is native from its first item on)."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import ARRAY, Engine, String, any_, bindparam, case, exists, select

from app.adapters.db.app_repository import row_to_app
from app.adapters.db.demo_repository import SqlDemoRepository
from app.adapters.db.tables import demo_accounts as d
from app.adapters.db.tables import inbox_interactions as i
from app.adapters.db.tables import platform_apps as a
from app.adapters.platforms.youtube.polling import Channel
from app.domain.apps import FAMILY_OF, PlatformApp
from app.domain.generation.writer import account_author
from app.domain.inbox import Author, Platform


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


class SqlPostsOf:
    """The posts X replies the inbox filed hang from, by the replies' ids (the others are no
    reply here): how the reference host threads a reply to a reply, as a host keeps its own
    posts' threads; one round trip a POST."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __call__(self, account_id: UUID, status_ids: list[str]) -> dict[str, str]:
        stmt = select(i.c.platform_id, i.c.content_platform_id).where(
            i.c.platform == Platform.X.value,
            i.c.platform_id == any_(bindparam("ids", type_=ARRAY(String))),
            i.c.account_id == account_id,
        )
        with self._engine.connect() as conn:
            return {r[0]: r[1] for r in conn.execute(stmt, {"ids": status_ids}) if r[1]}


class SqlCreators:
    """Each account as it signs its posts (X's webhooks name it), read once per profile."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __call__(self, account_id: UUID) -> Author:
        with self._engine.connect() as conn:
            profile = SqlDemoRepository(conn).get(account_id)
        if profile is None:
            raise LookupError(f"account {account_id} has no demo profile")
        return account_author(profile)


class SqlNativeChannels:
    """The native YouTube channels demo mode is on for, each with its key and whether the inbox
    holds any of its comments yet: what the reference host polls."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __call__(self) -> list[Channel]:
        filed = exists().where(i.c.account_id == d.c.account_id)
        stmt = select(d.c.account_id, d.c.native_user_id, d.c.access_token, filed).where(
            d.c.platform == Platform.YOUTUBE.value,
            d.c.delivery == "native",
            d.c.enabled_at.is_not(None),
            d.c.access_token.is_not(None),
        )
        with self._engine.connect() as conn:
            return [Channel(r[0], r[1], r[2], bool(r[3])) for r in conn.execute(stmt)]
