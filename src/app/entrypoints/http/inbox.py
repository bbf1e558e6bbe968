"""The inbox read API: interactions newest first, and insights."""

from typing import Any
from uuid import UUID

from flask.views import MethodView

from app.domain.inbox import Insights, Thread
from app.entrypoints.http.context import page_body, queries, views
from app.entrypoints.http.safety import Blueprint
from app.entrypoints.http.schemas import (
    ConversationPageSchema,
    InboxPageSchema,
    InboxQuerySchema,
    InsightsQuerySchema,
    InsightsSchema,
    PageQuerySchema,
    ThreadSchema,
    inbox_filter,
)

blp = Blueprint("inbox", __name__, url_prefix="/api/v1/accounts", description="The account's inbox")


@blp.route("/<uuid:account_id>/interactions")
class AccountInteractions(MethodView):
    @blp.arguments(InboxQuerySchema, location="query")
    @blp.response(200, InboxPageSchema)
    def get(self, query: dict[str, Any], account_id: UUID) -> dict[str, Any]:
        """Newest first; follow next_cursor until it is null. Stable while new items arrive."""
        where = inbox_filter(account_id, query)
        page = queries().inbox_page(where, query.get("cursor"), query["limit"])
        return page_body(page)


@blp.route("/<uuid:account_id>/interactions/<uuid:interaction_id>/thread")
class CommentThread(MethodView):
    @blp.response(200, ThreadSchema)
    @blp.alt_response(404, description="no such comment in this account's inbox")
    def get(self, account_id: UUID, interaction_id: UUID) -> Thread:
        """A comment (by inbox id) and every reply under it, in time order."""
        return views().thread(account_id, interaction_id)


@blp.route("/<uuid:account_id>/conversations")
class AccountConversations(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, ConversationPageSchema)
    def get(self, query: dict[str, Any], account_id: UUID) -> dict[str, Any]:
        """DM conversations, newest activity first: the person, how many messages, the last."""
        return page_body(queries().conversations(account_id, query.get("cursor"), query["limit"]))


@blp.route("/<uuid:account_id>/insights")
class AccountInsights(MethodView):
    @blp.arguments(InsightsQuerySchema, location="query")
    @blp.response(200, InsightsSchema)
    def get(self, query: dict[str, Any], account_id: UUID) -> Insights:
        """The last `days` UTC calendar days (today included), aggregated in the database."""
        return views().insights(account_id, query["days"])
