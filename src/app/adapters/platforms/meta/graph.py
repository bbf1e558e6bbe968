"""Meta's Graph API as Instagram's and Facebook Pages' hosts call it, over services.graph
(SPEC.md "Platform emulation"), from developers.facebook.com:
- the edges and fields: "IG User Media" (reference/ig-user/media: `id` by default),
  "IG Media" (caption, comments_count, like_count, media_product_type, media_type, permalink,
  shortcode, timestamp, username, owner), "IG Media Comments" (reference/ig-media/comments:
  `timestamp`, `text`, `id` by default, as its example answers), "IG Comment" (from, hidden,
  id, like_count, media, parent_id, replies, text, timestamp, username), "IG Comment Replies";
- paging: "Using the Graph API", "Paginated Results": `{"data", "paging": {"cursors":
  {"before", "after"}, "previous", "next"}}`, `next` left out on the last page, `limit`;
- parameters "in the query string, as form fields or in a JSON body"; an object parameter
  (`recipient`, `message`) may come JSON-encoded; the token as `access_token` or a bearer;
- writes: `POST /{ig-comment-id}/replies`, `POST /{ig-media-id}/comments` → `{"id"}`;
  `POST /{ig-user-id}/messages` → `{"recipient_id", "message_id"}` ("Instagram Messaging",
  "Private Replies");
- a Page's: "Page Feed" (reference/page/feed: `GET /{page-id}/feed`, `/posts`,
  `/published_posts`; a Post's `created_time`, `message`, `id` by default), "Post"
  (reference/post: from, message, created_time, updated_time, permalink_url, status_type,
  is_published), "Comments" (reference/object/comments: `GET|POST /{object-id}/comments`, a
  comment's replies on the same edge), "Comment" (reference/comment: id, message,
  created_time, from, parent, is_hidden, can_hide, can_reply_privately, comment_count,
  like_count, permalink_url, object; `POST /{comment-id}?is_hidden=`), the Send API
  (docs/messenger-platform/reference/send-api: `POST /{page-id}/messages` or `/me/messages`,
  `messaging_type`, `recipient`, `message`);
- errors: "Handling Errors": `{"error": {"message", "type", "code", "error_subcode",
  "fbtrace_id"}}`, HTTP 400; unknown path components: code 2500."""

import json
import re
import secrets
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from app.adapters.platforms.meta.webhooks import POST_STATUS_TYPE, permalink
from app.domain.demo import DemoProfile
from app.domain.errors import InvalidCursorError
from app.domain.graph import (
    PAGE_DEFAULT,
    PAGE_MOST,
    GraphError,
    Media,
    Posted,
    Slice,
    bad_parameter,
    no_object,
)
from app.domain.inbox import InteractionKind, Platform
from app.domain.pagination import Cursor
from app.domain.platforms import native_id
from app.services.graph import GraphService, Node, node_id_of

VERSION = re.compile(r"^v\d+\.\d+$")
MEDIA_PRODUCT_TYPE = "REELS"  # demosim's Instagram posts are reels (as its webhooks say)
COMMENT_DEFAULT = ("timestamp", "text", "id")
PAGE_COMMENT_DEFAULT = ("created_time", "from", "message", "id")
POST_DEFAULT = ("created_time", "message", "id")
PAGE_EDGES = ("feed", "posts", "published_posts")  # a Page's posts, by whoever posted them
MESSAGING_TYPES = ("RESPONSE", "UPDATE", "MESSAGE_TAG")
Fields = dict[str, "Fields | None"]  # `fields=a,b{c,d}`: a field and what of it


class MetaGraph:
    """One call of the Graph API: (status, body)."""

    def __init__(self, service: GraphService) -> None:
        self.service = service

    def call(
        self, method: str, path: str, params: Mapping[str, Any], bearer: str | None, url: str
    ) -> tuple[int, dict[str, Any]]:
        """`params`: the query's, form's and JSON body's, merged; `url`: the request's
        without its query (what `next` and `previous` are made from)."""
        try:
            return 200, self._call(method, path, dict(params), bearer, url)
        except GraphError as exc:
            error: dict[str, Any] = {"message": str(exc), "type": exc.kind, "code": exc.code}
            if exc.subcode is not None:
                error["error_subcode"] = exc.subcode
            error["fbtrace_id"] = secrets.token_urlsafe(8)
            return 400, {"error": error}

    def _call(
        self, method: str, path: str, params: dict[str, Any], bearer: str | None, url: str
    ) -> dict[str, Any]:
        parts = [p for p in path.split("/") if p]
        if parts and VERSION.match(parts[0]):
            parts = parts[1:]
        if not parts or len(parts) > 2:
            raise GraphError(2500, f"Unknown path components: /{'/'.join(parts)}")
        token = params.get("access_token") or bearer
        profile = self.service.account(token)
        params["access_token"] = token  # `next` and `previous` carry it, as Graph's do
        page = profile.platform is Platform.FACEBOOK
        if parts[0] == "me":  # the token's own account, as a Page token's /me is its Page
            parts[0] = _user_id(profile)
        node = self.service.node(profile, parts[0], method)
        edge = parts[1] if len(parts) == 2 else None
        fields = _fields(params.get("fields"))
        if method == "GET" and edge is None:
            return self._render(profile, node, fields or None)
        if method == "GET" and edge in (PAGE_EDGES if page else ("media",)):
            return self._edge(profile, node, "media", params, fields, url)
        if (
            method == "GET"
            and edge is not None
            and edge in (("comments",) if page else ("comments", "replies"))
        ):
            # a Page's comments and a comment's replies are both `comments`
            if isinstance(node, str):
                raise _no_field(edge, node, profile)
            what = "comments" if isinstance(node, Media) else "replies"
            if not page and edge != what:
                raise _no_field(edge, node, profile)
            return self._edge(profile, node, what, params, fields, url)
        if method == "POST" and edge == "comments" and page:  # a post's, or a comment's
            if isinstance(node, str):
                raise no_object(method, parts[0])
            return {"id": self.service.comment(profile, node, params.get("message"))}
        if method == "POST" and edge in ("comments", "replies") and not page:
            on = _expect(node, Media if edge == "comments" else Posted, parts[0], method)
            assert isinstance(on, Media | Posted)
            return {"id": self.service.comment(profile, on, params.get("message"))}
        hide = "is_hidden" if page else "hide"
        if method == "POST" and edge is None and hide in params:
            self.service.hide(profile, node, params[hide], hide)
            return {"success": True}
        if method == "DELETE" and edge is None:
            self.service.delete(profile, node)
            return {"success": True}
        if method == "POST" and edge == "messages" and isinstance(node, str):
            if page and params.get("messaging_type", "RESPONSE") not in MESSAGING_TYPES:
                raise bad_parameter(
                    "param messaging_type must be one of {" + ", ".join(MESSAGING_TYPES) + "}"
                )
            recipient, message = _object(params, "recipient"), _object(params, "message")
            person, mid = self.service.message(profile, recipient, message)
            return {"recipient_id": person, "message_id": mid}
        if edge is None:
            raise no_object(method, parts[0])
        raise GraphError(2500, f"Unknown path components: /{edge}")

    def _edge(
        self,
        profile: DemoProfile,
        node: Node,
        edge: str,
        params: dict[str, Any],
        fields: Fields,
        url: str,
    ) -> dict[str, Any]:
        """`edge`: "media" (the account's posts), "comments" (a post's top-level comments) or
        "replies" (a comment's), whatever the platform calls it."""
        limit = _limit(params.get("limit"))
        after, before = params.get("after"), params.get("before")
        cursor = _cursor(before or after)
        newer = bool(before)
        page: Slice[Any]
        if edge == "media":
            if not isinstance(node, str):
                raise _no_field(edge, node, profile)
            page = self.service.media_page(profile, cursor, newer, limit)
        else:
            under = node
            if isinstance(under, str) or (
                isinstance(under, Posted) and under.item.kind is not InteractionKind.COMMENT
            ):
                raise _no_field(edge, node, profile)
            page = self.service.comments_page(profile, under, cursor, newer, limit)
        data = [self._render(profile, item, fields or None) for item in page.items]
        return {"data": data, "paging": _paging(page, params, url)} if data else {"data": []}

    def _render(self, profile: DemoProfile, node: Node, fields: Fields | None) -> dict[str, Any]:
        page = profile.platform is Platform.FACEBOOK
        if isinstance(node, str):
            return self._account(profile, node, fields or {"id": None, "name": None} if page
                                 else fields or {"id": None})  # fmt: skip
        if isinstance(node, Media):
            if page:
                return self._post(profile, node, fields or dict.fromkeys(POST_DEFAULT))
            return self._media(profile, node, fields or {"id": None})
        if node.item.kind is not InteractionKind.COMMENT:
            raise no_object("GET", node.item.platform_id)
        if page:
            return self._page_comment(profile, node, fields or dict.fromkeys(PAGE_COMMENT_DEFAULT))
        return self._comment(profile, node, fields or dict.fromkeys(COMMENT_DEFAULT))

    def _account(self, profile: DemoProfile, node: str, fields: Fields) -> dict[str, Any]:
        if profile.platform is Platform.FACEBOOK:
            name = self.service.creator(profile).display_name
            return _pick(
                "Page",
                fields,
                {
                    "id": lambda _: node,
                    "name": lambda _: name,
                    "username": lambda _: self.service.creator(profile).handle,
                    "link": lambda _: f"https://www.facebook.com/{node}",
                    "category": lambda _: "Digital creator",
                    "fan_count": lambda _: self.service.creator_fans(profile),
                    "followers_count": lambda _: self.service.creator_fans(profile),
                },
            )
        return _pick(
            "IGUser",
            fields,
            {
                "id": lambda _: node,
                "user_id": lambda _: node,
                "username": lambda _: self.service.creator_name(profile),
                "name": lambda _: self.service.creator_name(profile),
            },
        )

    def _media(self, profile: DemoProfile, media: Media, fields: Fields) -> dict[str, Any]:
        c = media.content
        code = native_id("shortcode", c.platform_id)[-11:]
        return _pick(
            "IGMedia",
            fields,
            {
                "id": lambda _: c.platform_id,
                "caption": lambda _: c.title,
                "comments_count": lambda _: c.comments_count,
                "like_count": lambda _: c.comments_count * 9,
                "media_product_type": lambda _: MEDIA_PRODUCT_TYPE,
                "media_type": lambda _: "VIDEO",
                "permalink": lambda _: f"https://www.instagram.com/reel/{code}/",
                "shortcode": lambda _: code,
                "timestamp": lambda _: _time(c.published_at),
                "username": lambda _: self.service.creator_name(profile),
                "is_comment_enabled": lambda _: True,
                "owner": lambda _: {"id": _user_id(profile)},
                "comments": lambda sub: self._nested(profile, media, sub),
            },
        )

    def _comment(self, profile: DemoProfile, posted: Posted, fields: Fields) -> dict[str, Any]:
        item = posted.item
        author = item.author
        user = _user_id(profile) if author.is_creator else native_id("igsid", author.handle)
        media = item.content.platform_id if item.content else ""
        return _pick(
            "IGComment",
            fields,
            {
                "id": lambda _: item.platform_id,
                "text": lambda _: item.text,
                "timestamp": lambda _: _time(item.occurred_at),
                "username": lambda _: author.handle,
                "from": lambda sub: _pick(
                    "IGCommentFromUser",
                    sub or {"id": None, "username": None},
                    {"id": lambda _: user, "username": lambda _: author.handle},
                ),
                "user": lambda _: {"id": user},
                "hidden": lambda _: posted.hidden,
                "like_count": lambda _: 0,
                "media": lambda _: {"id": media, "media_product_type": MEDIA_PRODUCT_TYPE},
                "parent_id": lambda _: item.in_reply_to,
                "replies": lambda sub: self._nested(profile, posted, sub),
            },
            omit_none=True,
        )

    def _post(self, profile: DemoProfile, media: Media, fields: Fields) -> dict[str, Any]:
        c = media.content
        page_id = _user_id(profile)
        creator = self.service.creator(profile)
        return _pick(
            "Post",
            fields,
            {
                "id": lambda _: c.platform_id,
                "message": lambda _: c.title,
                "created_time": lambda _: _time(c.published_at),
                "updated_time": lambda _: _time(c.published_at),
                "from": lambda sub: _pick(
                    "User",
                    sub or {"name": None, "id": None},
                    {"id": lambda _: page_id, "name": lambda _: creator.display_name},
                ),
                "permalink_url": lambda _: permalink(c.platform_id),
                "status_type": lambda _: POST_STATUS_TYPE,
                "is_published": lambda _: True,
                "is_hidden": lambda _: False,
                "comments": lambda sub: self._nested(profile, media, sub),
            },
        )

    def _page_comment(self, profile: DemoProfile, posted: Posted, fields: Fields) -> dict[str, Any]:
        item = posted.item
        author = item.author
        page_id = _user_id(profile)
        person = page_id if author.is_creator else native_id("igsid", author.handle)
        post = item.content.platform_id if item.content else ""
        top = item.in_reply_to is None
        return _pick(
            "Comment",
            fields,
            {
                "id": lambda _: item.platform_id,
                "message": lambda _: item.text,
                "created_time": lambda _: _time(item.occurred_at),
                "from": lambda sub: _pick(
                    "User",
                    sub or {"name": None, "id": None},
                    {"id": lambda _: person, "name": lambda _: author.display_name},
                ),
                "parent": lambda _: None if top else {"id": item.in_reply_to},
                "object": lambda _: {"id": post},
                "is_hidden": lambda _: posted.hidden,
                "can_hide": lambda _: not author.is_creator,
                "can_remove": lambda _: True,
                "can_comment": lambda _: top,
                "can_reply_privately": lambda _: not author.is_creator,
                "comment_count": lambda _: self.service.reply_count(profile, posted) if top else 0,
                "like_count": lambda _: 0,
                "permalink_url": lambda _: f"{permalink(post)}?comment_id={item.platform_id}",
                "comments": lambda sub: self._nested(profile, posted, sub),
            },
            omit_none=True,
        )

    def _nested(self, profile: DemoProfile, under: Media | Posted, sub: Fields | None) -> Any:
        """An edge asked as a field (`replies{text}`, `comments{message}`): its first page,
        without paging."""
        page = self.service.comments_page(profile, under, None, False, PAGE_DEFAULT)
        return {"data": [self._render(profile, p, sub) for p in page.items]}


def _pick(
    node_type: str,
    fields: Fields,
    known: dict[str, Callable[[Fields | None], Any]],
    omit_none: bool = False,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, sub in fields.items():
        if name not in known:
            raise bad_parameter(
                f"Tried accessing nonexisting field ({name}) on node type ({node_type})"
            )
        value = known[name](sub)
        if value is not None or not omit_none:
            out[name] = value
    return out


def _fields(raw: object) -> Fields:
    """`a,b{c,d{e}}` as {a: None, b: {c: None, d: {e: None}}}."""
    if raw is None or raw == "":
        return {}
    if not isinstance(raw, str):
        raise bad_parameter("Param fields must be a string")
    found, i = _parse_fields(raw.replace(" ", ""), 0)
    if i != len(raw.replace(" ", "")):
        raise bad_parameter(f"Syntax error in fields: {raw!r}")
    return found


def _parse_fields(s: str, i: int) -> tuple[Fields, int]:
    out: Fields = {}
    while i < len(s):
        j = i
        while j < len(s) and (s[j].isalnum() or s[j] == "_"):
            j += 1
        name = s[i:j]
        if not name:
            raise bad_parameter(f"Syntax error in fields at character {i}")
        sub: Fields | None = None
        if j < len(s) and s[j] == "{":
            sub, j = _parse_fields(s, j + 1)
            if j >= len(s) or s[j] != "}":
                raise bad_parameter("Syntax error in fields: a '{' is not closed")
            j += 1
        out[name] = sub
        if j < len(s) and s[j] == "}":
            return out, j
        if j < len(s) and s[j] != ",":
            raise bad_parameter(f"Syntax error in fields at character {j}")
        i = j + 1 if j < len(s) else j
    return out, i


def _limit(raw: object) -> int:
    if raw is None or raw == "":
        return PAGE_DEFAULT
    try:
        value = int(str(raw))
    except ValueError:
        raise bad_parameter("Param limit must be a number") from None
    if value < 1:
        raise bad_parameter("Param limit must be a positive number")
    return min(value, PAGE_MOST)


def _cursor(raw: object) -> Cursor | None:
    if not raw:
        return None
    try:
        return Cursor.decode(str(raw))
    except InvalidCursorError:
        raise bad_parameter("Invalid cursor: use the after or before cursor a page gave") from None


def _paging(page: Slice[Any], params: dict[str, Any], url: str) -> dict[str, Any]:
    first, last = page.items[0], page.items[-1]
    before = _position(first).encode()
    after = _position(last).encode()
    paging: dict[str, Any] = {"cursors": {"before": before, "after": after}}
    kept = {k: v for k, v in params.items() if k not in ("after", "before") and isinstance(v, str)}
    if page.newer:
        paging["previous"] = f"{url}?{urlencode({**kept, 'before': before})}"
    if page.older:
        paging["next"] = f"{url}?{urlencode({**kept, 'after': after})}"
    return paging


def _position(node: Media | Posted) -> Cursor:
    if isinstance(node, Media):
        return Cursor(node.content.published_at, node.row_id)
    return Cursor(node.item.occurred_at, node.row_id)


def _expect(node: Node, kind: type, node_id: str, method: str) -> Node:
    if not isinstance(node, kind):
        raise no_object(method, node_id or node_id_of(node))
    return node


def _no_field(edge: str, node: Node, profile: DemoProfile) -> GraphError:
    kind = _type(node, profile.platform is Platform.FACEBOOK)
    return bad_parameter(f"Tried accessing nonexisting field ({edge}) on node type ({kind})")


def _type(node: Node, page: bool) -> str:
    if isinstance(node, str):
        return "Page" if page else "IGUser"
    if isinstance(node, Media):
        return "Post" if page else "IGMedia"
    return "Comment" if page else "IGComment"


def _object(params: Mapping[str, Any], name: str) -> dict[str, Any]:
    """An object parameter: a JSON body's object, or JSON-encoded in a query or form field."""
    value = params.get(name)
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise bad_parameter(f"param {name} must be a JSON object") from None
    if not isinstance(value, dict):
        raise bad_parameter(f"param {name} must be non-empty.")
    return value


def _user_id(profile: DemoProfile) -> str:
    native = profile.native
    assert native is not None  # the store finds native accounts only
    return native.user_id


def _time(at: datetime) -> str:
    """Graph's times: "2017-08-31T18:10:30+0000"."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
