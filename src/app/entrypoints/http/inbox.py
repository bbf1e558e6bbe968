"""The inbox read API: interactions newest first, and insights."""

from typing import Any
from uuid import UUID

from flask.views import MethodView

from app.domain.inbox import InboxFilter, Insights
from app.entrypoints.http.context import page_body, views
from app.entrypoints.http.safety import Blueprint
from app.entrypoints.http.schemas import (
    InboxPageSchema,
    InboxQuerySchema,
    InsightsQuerySchema,
    InsightsSchema,
)

blp = Blueprint("inbox", __name__, url_prefix="/api/v1/accounts", description="The account's inbox")


@blp.route("/<uuid:account_id>/interactions")
class AccountInteractions(MethodView):
    @blp.arguments(InboxQuerySchema, location="query")
    @blp.response(200, InboxPageSchema)
    def get(self, query: dict[str, Any], account_id: UUID) -> dict[str, Any]:
        """Newest first; follow next_cursor until it is null. Stable while new items arrive."""
        where = InboxFilter(
            account_id=account_id,
            kind=query.get("kind"),
            is_demo=query.get("is_demo"),
            since=query.get("since"),
            until=query.get("until"),
        )
        page = views().inbox(where, query.get("cursor"), query["limit"])
        return page_body(page)


@blp.route("/<uuid:account_id>/insights")
class AccountInsights(MethodView):
    @blp.arguments(InsightsQuerySchema, location="query")
    @blp.response(200, InsightsSchema)
    def get(self, query: dict[str, Any], account_id: UUID) -> Insights:
        """The last `days` UTC calendar days (today included), aggregated in the database."""
        return views().insights(account_id, query["days"])
