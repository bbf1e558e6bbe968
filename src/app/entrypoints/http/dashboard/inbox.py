"""An account's inbox, its threads, DM conversations and insights."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for
from marshmallow import ValidationError

from app.domain.apps import FAMILY_OF, Family
from app.domain.demo import DemoState
from app.domain.errors import NotFoundError
from app.domain.inbox import InboxFilter, InteractionKind, Platform
from app.domain.storable import unstorable_text
from app.entrypoints.http.context import container, queries, views
from app.entrypoints.http.dashboard import (
    PAGE,
    BadQuery,
    bp,
    problem_of,
    read_form,
    read_query,
    render,
)
from app.entrypoints.http.schemas import (
    InboxQuerySchema,
    InsightsQuerySchema,
    PageQuerySchema,
    inbox_filter,
)


def _state(account_id: UUID) -> DemoState | None:
    try:
        return views().demo(account_id)
    except NotFoundError:
        return None


@bp.get("/accounts/<uuid:account_id>/inbox")
def inbox(account_id: UUID) -> tuple[str, int]:
    state = _state(account_id)
    try:
        query = read_form(InboxQuerySchema(), _in_utc(request.args))
    except ValidationError as exc:
        return render(
            "inbox.html", 400, account_id=account_id, state=state, page=None,
            args=request.args, error=f"Bad filter: {problem_of(exc)}",
        )  # fmt: skip
    where = inbox_filter(account_id, query)
    page = queries().inbox_page(where, query.get("cursor"), min(query["limit"], PAGE))
    return render(
        "inbox.html",
        account_id=account_id,
        state=state,
        page=page,
        args=request.args,
        kinds=[k.value for k in InteractionKind],
    )


_PICKED = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$")  # a date picker's value


def _in_utc(args: Mapping[str, str]) -> dict[str, str]:
    """A date or date and time as the page's pickers send them, without a zone: in UTC, as
    the labels say."""
    read = dict(args)
    for name in ("since", "until"):
        value = read.get(name, "")
        if _PICKED.match(value):
            read[name] = value + ("T00:00:00Z" if "T" not in value else "Z")
    return read


@bp.get("/accounts/<uuid:account_id>/inbox/<uuid:interaction_id>/thread")
def thread(account_id: UUID, interaction_id: UUID) -> tuple[str, int]:
    """The whole thread a comment or reply is in, from its top comment, the one asked for
    highlighted."""
    top = queries().thread_top(account_id, interaction_id) or interaction_id
    found = views().thread(account_id, top)
    return render(
        "thread.html",
        account_id=account_id,
        thread=found,
        depth=_depths(found),
        highlighted=interaction_id,
        native=_native(account_id),
    )


def _native(account_id: UUID) -> bool:
    """Whether the account is delivered natively in Meta's family: the host answers through
    the Graph API (a TikTok, YouTube or X account's host answers through its platform's own
    API, which this page does not speak)."""
    state = _state(account_id)
    return (
        state is not None
        and state.profile.native is not None
        and FAMILY_OF[state.profile.platform] is Family.META
    )


@bp.post("/accounts/<uuid:account_id>/inbox/<uuid:interaction_id>/reply")
def reply(account_id: UUID, interaction_id: UUID) -> Any:
    """The account's reply to a thread's top comment, posted through the emulated Graph API
    (`POST /{ig-comment-id}/replies`, a Page's `POST /{comment-id}/comments`) as the host's
    live code would: it comes back to the inbox as the platform's webhook, and the person may
    answer."""
    top = queries().thread_top(account_id, interaction_id) or interaction_id
    comment = views().thread(account_id, top).comment.data
    edge = "comments" if comment.platform is Platform.FACEBOOK else "replies"
    _graph(account_id, "POST", f"{comment.platform_id}/{edge}", {})
    return redirect(url_for("dashboard.thread", account_id=account_id, interaction_id=top))


@bp.post("/accounts/<uuid:account_id>/conversation/reply")
def reply_in_conversation(account_id: UUID) -> Any:
    """The account's message to the person of a conversation (`POST /{ig-user-id}/messages`,
    within 24 h of their last message)."""
    conversation_id = request.form.get("id", "")
    problem = unstorable_text(conversation_id) if conversation_id else "is missing"
    if problem is not None:
        raise BadQuery("Bad conversation", f"Bad conversation: id {problem}")
    state = _state(account_id)
    user = state.profile.native.user_id if state and state.profile.native else ""
    _graph(account_id, "POST", f"{user}/messages", {"recipient": {"id": conversation_id}})
    return redirect(url_for("dashboard.conversation", account_id=account_id, id=conversation_id))


def _graph(account_id: UUID, method: str, path: str, params: dict[str, Any]) -> None:
    """A write through the Graph API's dialect with the account's token; its outcome flashed."""
    state = _state(account_id)
    native = state.profile.native if state else None
    if native is None:
        flash("Only a native account's host replies through the Graph API.", "error")
        return
    text = request.form.get("message", "").strip()
    body = {**params, "access_token": native.access_token}
    body["message"] = {"text": text} if path.endswith("/messages") else text
    status, answer = container().meta_graph.call(method, path, body, None, request.url_root)
    if status == 200:
        platform = (
            "Facebook" if state and state.profile.platform is Platform.FACEBOOK else "Instagram"
        )
        flash(f"Sent through the Graph API: it comes back to this inbox as {platform} sends it.")
    else:
        flash(f"The Graph API refused it: {answer['error']['message']}", "error")


def _depths(found: Any) -> dict[str, int]:
    """How deep each comment of a thread sits (0: the comment), for indenting."""
    depth = {found.comment.data.platform_id: 0}
    for reply in found.replies:
        depth[reply.data.platform_id] = min(depth.get(reply.data.in_reply_to, 0) + 1, 6)
    return depth


@bp.get("/accounts/<uuid:account_id>/conversations")
def conversations(account_id: UUID) -> tuple[str, int]:
    query = read_query(PageQuerySchema(), "Bad page")
    page = queries().conversations(account_id, query.get("cursor"), min(query["limit"], PAGE))
    return render("conversations.html", account_id=account_id, state=_state(account_id), page=page)


@bp.get("/accounts/<uuid:account_id>/conversation")
def conversation(account_id: UUID) -> tuple[str, int]:
    """A conversation by the id its sender chose, in the query string: a `/` or `..` in it
    cannot make its link another page's."""
    conversation_id = request.args.get("id", "")
    problem = unstorable_text(conversation_id) if conversation_id else "is missing"
    if problem is not None:
        raise BadQuery("Bad conversation", f"Bad conversation: id {problem}")
    where = InboxFilter(account_id=account_id, conversation_id=conversation_id)
    messages = list(reversed(queries().inbox_page(where, None, 200).items))
    if not messages:
        raise NotFoundError(f"no conversation {conversation_id} in the inbox of {account_id}")
    return render(
        "conversation.html",
        account_id=account_id,
        messages=messages,
        conversation_id=conversation_id,
        native=_native(account_id),
    )


@bp.get("/accounts/<uuid:account_id>/insights")
def insights(account_id: UUID) -> tuple[str, int]:
    query = read_query(InsightsQuerySchema(), "Bad period")
    found = views().insights(account_id, query["days"])
    return render(
        "insights.html",
        account_id=account_id,
        state=_state(account_id),
        insights=found,
        days=query["days"],
        volume=_volume(found.per_day),
    )


@dataclass(frozen=True, slots=True)
class _Volume:
    """The per-day chart: bars in a 100-high box, the y-axis ticks, and where the scale is
    clipped (so that one spike does not flatten every other day)."""

    bars: list[dict[str, Any]]
    ticks: list[int]
    top: int  # what the top of the box stands for
    clipped: bool


def _volume(per_day: Sequence[Any]) -> _Volume:
    totals = [d.comments + d.dms for d in per_day]
    peak = max(totals, default=0)
    busy = sorted(t for t in totals if t)
    typical = busy[len(busy) // 2] if busy else 0
    top = _round_up(min(peak, 3 * typical) or 1)
    bars = []
    for d, total in zip(per_day, totals, strict=True):
        shown = min(total, top)
        bars.append(
            {
                "day": d.day,
                "comments": d.comments,
                "dms": d.dms,
                "hc": round(100 * min(d.comments, shown) / top, 2),
                "hd": round(100 * max(0, shown - d.comments) / top, 2),
                "clipped": total > top,
            }
        )
    return _Volume(bars, [top, top // 2, 0], top, peak > top)


def _round_up(n: int) -> int:
    """A round number at or above n for the top of the axis: 1, 2, 5 times a power of ten."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if m * step >= n:
                return m * step
        step *= 10
