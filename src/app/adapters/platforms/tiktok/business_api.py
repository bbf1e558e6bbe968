"""TikTok's API for Business, the comments of a business account's own videos, as a host's live
integration calls it for a native TikTok account, over services.graph (SPEC.md "Platform
emulation"), from business-api.tiktok.com/portal/docs ("Comment management") and its Python
client, python-tiktok's BusinessAccountApi, which the tests drive:
- `GET /business/comment/list/`: `business_id`, `video_id` required; `comment_ids` (a JSON list,
  at most 30), `include_replies` (each comment's latest replies, at most 3), `status` PUBLIC
  (default) | ALL (hidden ones too), `sort_field` create_time, `sort_order` desc (default) |
  asc, `cursor` (where the page starts: how many came before), `max_count` 1-30 (default 20);
  `data: {comments, cursor, has_more}`;
- `GET /business/comment/reply/list/`: the same for `comment_id`'s replies;
- `POST /business/comment/create/` (`video_id`, `text`) and `/business/comment/reply/create/`
  (`comment_id`, `text`, at most 150 characters): the new comment as `data`; a reply to a
  person is answered by them, as a person answers (conversation model);
- `POST /business/comment/hide/` (`action` HIDE | UNHIDE; a comment.update set_to_hidden or
  set_to_public follows) and `/business/comment/delete/` (the account's own comments only);
- a comment: `comment_id`, `video_id`, `user_id`, `unique_identifier`, `create_time`, `text`,
  `likes`, `replies`, `owner`, `liked`, `pinned`, `status` PUBLIC | HIDDEN, `username`,
  `display_name`, `profile_image`, `parent_comment_id` (a top-level comment's: its video's id),
  `reply_list` (with `include_replies`);
- every answer HTTP 200 with `{"code", "message", "request_id", "data"}`; `code` 0 is success,
  40001 no permission (another account's business_id, another's comment), 40002 a parameter
  (named), 40105 an access token that is not valid ("Return codes").
The account's access token is its `Access-Token` header."""

import hashlib
import uuid
from collections.abc import Mapping
from typing import Any

import orjson

from app.domain.demo import DemoProfile, native_user_id
from app.domain.graph import GraphError, Media, Posted
from app.domain.inbox import InteractionKind, Platform
from app.services.graph import GraphService, Node

DEFAULT_COUNT, MOST_COUNT = 20, 30
MOST_IDS = 30  # comment_ids
REPLIES_SHOWN = 3  # include_replies: "Max size 3"
OK, NO_PERMISSION, BAD_PARAMETER, BAD_TOKEN = 0, 40001, 40002, 40105


class TikTokError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


def _bad(message: str) -> TikTokError:
    return TikTokError(BAD_PARAMETER, message)


class TikTokBusinessApi:
    """One call of the API for Business: (HTTP status, body)."""

    def __init__(self, service: GraphService) -> None:
        self.service = service

    def call(
        self, method: str, path: str, params: Mapping[str, Any], access_token: str | None
    ) -> tuple[int, dict[str, Any]]:
        request_id = uuid.uuid4().hex[:32]
        try:
            data = self._call(method, path.strip("/"), dict(params), access_token)
            code, message = OK, "OK"
        except TikTokError as exc:
            data, code, message = {}, exc.code, str(exc)
        except GraphError as exc:
            if exc.code in (104, 190):
                data, code = {}, BAD_TOKEN
                message = "The access token is invalid or has been revoked."
            else:
                data, code, message = {}, BAD_PARAMETER, str(exc)
        status = 404 if code == 404 else 200
        return status, {"code": code, "message": message, "request_id": request_id, "data": data}

    def _call(
        self, method: str, path: str, params: dict[str, Any], token: str | None
    ) -> dict[str, Any]:
        profile = self.service.account(token)
        if profile.platform is not Platform.TIKTOK:
            raise TikTokError(NO_PERMISSION, "The access token is not a TikTok account's")
        routes = {
            ("GET", "business/comment/list"): self._list,
            ("GET", "business/comment/reply/list"): self._replies,
            ("POST", "business/comment/create"): self._create,
            ("POST", "business/comment/reply/create"): self._reply,
            ("POST", "business/comment/hide"): self._hide,
            ("POST", "business/comment/delete"): self._delete,
        }
        handler = routes.get((method, path))
        if handler is None:
            raise TikTokError(404, f"{method} /{path}/ is not an API for Business endpoint here")
        business = params.get("business_id")
        if not business:
            raise _bad("business_id: Missing data for required field.")
        if str(business) != native_user_id(profile.account_id, profile.platform):
            raise TikTokError(NO_PERMISSION, "No permission to operate this business_id")
        return handler(profile, params)

    # --- reads -----------------------------------------------------------------------------

    def _list(self, profile: DemoProfile, params: dict[str, Any]) -> dict[str, Any]:
        video = self._video(profile, _required(params, "video_id"))
        if params.get("comment_ids"):
            ids = _id_list(params["comment_ids"])
            found = [self._comment_of(profile, i) for i in ids]
            mine = [c for c in found if _on(c) == video.content.platform_id]
            return {"comments": self._shown(profile, mine, params), "cursor": len(mine),
                    "has_more": False}  # fmt: skip
        return self._page(profile, video, params)

    def _replies(self, profile: DemoProfile, params: dict[str, Any]) -> dict[str, Any]:
        self._video(profile, _required(params, "video_id"))
        parent = self._comment_of(profile, _required(params, "comment_id"))
        return self._page(profile, parent, {**params, "include_replies": "false"})

    def _page(
        self, profile: DemoProfile, under: Media | Posted, params: dict[str, Any]
    ) -> dict[str, Any]:
        status = _choice(params, "status", ("PUBLIC", "ALL"))
        _choice(params, "sort_field", ("create_time",))
        oldest_first = _choice(params, "sort_order", ("desc", "asc")) == "asc"
        start = _number(params, "cursor", 0, 0, None)
        count = _number(params, "max_count", DEFAULT_COUNT, 1, MOST_COUNT)
        page = self.service.comments_page(
            profile, under, None, False, count, hidden=False if status == "PUBLIC" else None,
            offset=start, oldest_first=oldest_first,
        )  # fmt: skip
        comments = self._shown(profile, page.items, params)
        return {"comments": comments, "cursor": start + len(comments), "has_more": page.older}

    def _shown(
        self, profile: DemoProfile, found: list[Posted], params: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """A page's comments, their reply counts (and replies) read at once, not per comment."""
        replies: dict[str, list[Posted]] = {}
        if _flag(params, "include_replies"):
            counts, replies = self.service.latest_replies(profile, found, REPLIES_SHOWN)
        else:
            counts = self.service.reply_counts(profile, found)
        shown = []
        for posted in found:
            comment = self._comment(profile, posted, counts.get(posted.item.platform_id, 0))
            if posted.item.platform_id in replies:
                comment["reply_list"] = [
                    self._comment(profile, r, 0) for r in replies[posted.item.platform_id]
                ]
            shown.append(comment)
        return shown

    # --- writes ----------------------------------------------------------------------------

    def _create(self, profile: DemoProfile, params: dict[str, Any]) -> dict[str, Any]:
        video = self._video(profile, _required(params, "video_id"))
        new = self.service.comment(profile, video, _text(params))
        return self._comment(profile, self._comment_of(profile, new), 0)

    def _reply(self, profile: DemoProfile, params: dict[str, Any]) -> dict[str, Any]:
        self._video(profile, _required(params, "video_id"))
        parent = self._comment_of(profile, _required(params, "comment_id"))
        new = self.service.comment(profile, parent, _text(params))
        return self._comment(profile, self._comment_of(profile, new), 0)

    def _hide(self, profile: DemoProfile, params: dict[str, Any]) -> dict[str, Any]:
        self._video(profile, _required(params, "video_id"))
        comment = self._comment_of(profile, _required(params, "comment_id"))
        action = _choice({"action": params.get("action") or ""}, "action", ("HIDE", "UNHIDE"))
        if comment.item.author.is_creator:
            raise TikTokError(NO_PERMISSION, "The account's own comments cannot be hidden")
        self.service.hide(profile, comment, "true" if action == "HIDE" else "false", "action")
        return {}

    def _delete(self, profile: DemoProfile, params: dict[str, Any]) -> dict[str, Any]:
        comment = self._comment_of(profile, _required(params, "comment_id"))
        if not comment.item.author.is_creator:  # "Delete an owned comment"
            raise TikTokError(NO_PERMISSION, "Only the account's own comments can be deleted")
        self.service.delete(profile, comment)
        return {}

    # --- resources -------------------------------------------------------------------------

    def _comment(self, profile: DemoProfile, posted: Posted, replies: int) -> dict[str, Any]:
        item = posted.item
        author = item.author
        user = native_user_id(profile.account_id, profile.platform)
        video = _on(posted)
        return {
            "comment_id": item.platform_id,
            "video_id": video,
            "user_id": user if author.is_creator else _user_id(author.handle),
            "unique_identifier": author.handle,
            "create_time": int(item.occurred_at.timestamp()),
            "text": item.text,
            "likes": _likes(item.platform_id),
            "replies": replies,
            "owner": author.is_creator,
            "liked": False,
            "pinned": False,
            "status": "HIDDEN" if posted.hidden else "PUBLIC",
            "username": author.handle,
            "display_name": author.display_name,
            "profile_image": f"https://p16-sign.tiktokcdn-us.com/avatar/{_user_id(author.handle)}.jpeg",
            "parent_comment_id": item.in_reply_to or video,
        }

    # --- lookups ---------------------------------------------------------------------------

    def _comment_of(self, profile: DemoProfile, comment_id: str) -> Posted:
        found = self._node(profile, comment_id)
        if not isinstance(found, Posted) or found.item.kind is not InteractionKind.COMMENT:
            raise _bad(f"comment_id: comment {comment_id} does not exist on this account's videos")
        return found

    def _video(self, profile: DemoProfile, video_id: str) -> Media:
        found = self._node(profile, video_id)
        if not isinstance(found, Media):
            raise _bad(f"video_id: video {video_id} is not this account's")
        return found

    def _node(self, profile: DemoProfile, node_id: str) -> Node | None:
        try:
            return self.service.node(profile, node_id)
        except GraphError:
            return None


def _on(posted: Posted) -> str:
    return posted.item.content.platform_id if posted.item.content else ""


def _required(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    if value is None or str(value).strip() == "":
        raise _bad(f"{name}: Missing data for required field.")
    return str(value).strip()


def _text(params: dict[str, Any]) -> str:
    text = params.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _bad("text: Missing data for required field.")
    if len(text) > 150:
        raise _bad("text: Length must be at most 150 characters.")
    return text


def _choice(params: dict[str, Any], name: str, allowed: tuple[str, ...]) -> str:
    value = str(params.get(name) or allowed[0])
    if value not in allowed:
        raise _bad(f"{name}: Must be one of: {', '.join(allowed)}.")
    return value


def _number(params: dict[str, Any], name: str, default: int, low: int, high: int | None) -> int:
    given = params.get(name)
    if given is None or given == "":
        return default
    text = str(given)
    if not text.isdigit() or int(text) < low or (high is not None and int(text) > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise _bad(f"{name}: Must be a whole number {bounds}.")
    return int(text)


def _flag(params: dict[str, Any], name: str) -> bool:
    value = params.get(name)
    if value is None or isinstance(value, bool):
        return bool(value)
    return str(value).lower() == "true"


def _id_list(given: Any) -> list[str]:
    """`comment_ids` as a JSON list of strings (as the client sends it), or comma-separated."""
    try:
        ids = orjson.loads(given) if str(given).startswith("[") else str(given).split(",")
    except orjson.JSONDecodeError:
        raise _bad("comment_ids: Not a valid list.") from None
    if not isinstance(ids, list) or len(ids) > MOST_IDS:
        raise _bad(f"comment_ids: Must be a list of at most {MOST_IDS} ids.")
    return [str(i).strip() for i in ids if str(i).strip()]


def _user_id(handle: str) -> str:
    digest = hashlib.blake2b(f"tiktok-user\x1f{handle}".encode(), digest_size=8).digest()
    return str(int.from_bytes(digest) % 10**18 + 6 * 10**18)


def _likes(comment_id: str) -> int:
    """A comment's likes: few, most of them none, the same every time."""
    n = int.from_bytes(hashlib.blake2b(comment_id.encode(), digest_size=2).digest())
    return 0 if n % 3 else n % 60
