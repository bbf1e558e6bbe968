"""The YouTube Data API v3 as a host's live integration calls it for a native channel, over
services.graph (SPEC.md "Platform emulation"), from developers.google.com/youtube/v3:
- "CommentThreads: list" (docs/commentThreads/list): `part` (id, snippet, replies) required;
  exactly one filter of `allThreadsRelatedToChannelId`, `videoId`, `id`; `maxResults` 1-100,
  default 20; `pageToken`; `order` time (default) or relevance; `textFormat` html (default) or
  plainText; `moderationStatus` published (default), heldForReview, likelySpam;
- "Comments: list" (docs/comments/list): `parentId` (a top-level comment's replies) or `id`;
  "Comments: insert" (docs/comments/insert): a reply, `snippet.parentId` and
  `snippet.textOriginal`; "CommentThreads: insert": a new top-level comment,
  `snippet.videoId` and `snippet.topLevelComment.snippet.textOriginal`;
- "Videos: list" (docs/videos/list) by `id`, "Channels: list" (docs/channels/list) by `id` or
  `mine=true`;
- the resources (docs/comments, docs/commentThreads, docs/videos, docs/channels): `kind`,
  `etag`, `id`, `snippet` with the documented names (a comment's authorDisplayName,
  authorProfileImageUrl, authorChannelUrl, authorChannelId.value, channelId, videoId,
  textDisplay, textOriginal, parentId, canRate, viewerRating, likeCount, publishedAt,
  updatedAt); list responses `{kind, etag, nextPageToken, pageInfo: {totalResults,
  resultsPerPage}, items}`, `nextPageToken` left out on the last page;
- errors (docs/errors, "Core errors"): `{"error": {"code", "message", "errors": [{"message",
  "domain", "reason", "location", "locationType"}], "status"}}`.

The account's access token is its API key (`key=`) or OAuth token (`Authorization: Bearer`).
- "Comments: setModerationStatus" (docs/comments/setModerationStatus: `id`, `moderationStatus`
  heldForReview | published | rejected, `banAuthor` with rejected only; 204) and "Comments:
  delete" (docs/comments/delete: `id`; 204), the channel's own comments only.

- quota: 10,000 units a day per channel, 1 a read, 50 a write, reset at midnight Pacific time
  (`quota.py`); past it, 403 `quotaExceeded`.

- `searchTerms` (commentThreads.list: threads whose top-level comment contains the words,
  not with `id`) and videos.list's `statistics` part (viewCount, likeCount, favoriteCount,
  commentCount as uint64 strings).

WebSub is `websub.py`'s. Not emulated:
`order=relevance` lists by time; a rejected comment is listed with the held ones."""

import base64
import hashlib
import html
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import orjson

from app.adapters.platforms.youtube.quota import COSTS, RedisQuota
from app.domain.demo import DemoProfile, native_user_id
from app.domain.errors import InvalidCursorError
from app.domain.graph import GraphError, Media, Posted, Slice
from app.domain.inbox import Author, InteractionKind, Platform
from app.domain.pagination import Cursor
from app.domain.platforms import youtube_id
from app.services.graph import GraphService, Node

DEFAULT_RESULTS, MOST_RESULTS = 20, 100
THREAD_FILTERS = ("allThreadsRelatedToChannelId", "videoId", "id")
REPLIES_SHOWN = 5  # a thread's `replies` part: "a limited number of replies"
PARTS = {
    "commentThreads": ("id", "snippet", "replies"),
    "comments": ("id", "snippet"),
    "videos": ("id", "snippet", "statistics"),
    "channels": ("id", "snippet"),
}
UNAUTHENTICATED = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential."
)


class YouTubeError(Exception):
    """An error as Google's APIs give it: the HTTP code, the reason and where it is."""

    def __init__(
        self,
        code: int,
        reason: str,
        message: str,
        domain: str = "youtube.parameter",
        location: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code, self.reason, self.domain, self.location = code, reason, domain, location

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"message": str(self), "domain": self.domain, "reason": self.reason}
        if self.location is not None:
            error |= {"location": self.location, "locationType": "parameter"}
        status = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
                  404: "NOT_FOUND"}.get(self.code, "UNKNOWN")  # fmt: skip
        return {"error": {"code": self.code, "message": str(self), "errors": [error],
                          "status": status}}  # fmt: skip


def _bad(name: str, message: str, reason: str = "invalidParameter") -> YouTubeError:
    return YouTubeError(400, reason, message, "youtube.parameter", name)


class YouTubeDataApi:
    """One call of the Data API: (status, body)."""

    def __init__(self, service: GraphService, quota: RedisQuota) -> None:
        self.service = service
        self.quota = quota

    def call(
        self,
        method: str,
        resource: str,
        params: Mapping[str, str],
        bearer: str | None,
        body: object,
    ) -> tuple[int, dict[str, Any]]:
        try:
            return 200, self._call(method, resource, dict(params), bearer, body)
        except YouTubeError as exc:
            return exc.code, exc.body()
        except GraphError as exc:  # what the service refuses, in Google's words
            if exc.code in (104, 190):
                error = YouTubeError(401, "authError", UNAUTHENTICATED, "global", "Authorization")
            else:
                error = YouTubeError(400, "processingFailure", str(exc), "youtube.comment")
            return error.code, error.body()

    def _call(
        self, method: str, resource: str, params: dict[str, str], bearer: str | None, body: object
    ) -> dict[str, Any]:
        profile = self.service.account(bearer or params.get("key"))
        if profile.platform is not Platform.YOUTUBE:
            raise YouTubeError(403, "forbidden", "The token is not a YouTube channel's", "global")
        cost = COSTS["list"] if method == "GET" else COSTS["write"]
        if not self.quota.spend(profile.account_id, cost, self.service.now()):
            raise YouTubeError(
                403, "quotaExceeded",
                "The request cannot be completed because you have exceeded your quota.",
                "youtube.quota",
            )  # fmt: skip
        if method == "POST" and resource == "comments/setModerationStatus":
            self._moderate(profile, params)
            return {}
        if method == "DELETE" and resource == "comments":
            comment = self._posted(profile, params.get("id", ""), "id")
            if not comment.item.author.is_creator:  # "Deletes a comment": the channel's own
                raise YouTubeError(
                    403, "forbidden", "The comment could not be deleted: it is not yours.",
                    "youtube.comment", "id",
                )  # fmt: skip
            self.service.delete(profile, comment)
            return {}
        if resource not in PARTS:
            raise YouTubeError(404, "notFound", f"Not Found: /youtube/v3/{resource}", "global")
        parts = _parts(resource, params.get("part"))
        if method == "GET" and resource == "commentThreads":
            return self._threads(profile, params, parts)
        if method == "GET" and resource == "comments":
            return self._comments(profile, params, parts)
        if method == "GET" and resource == "videos":
            return self._videos(profile, params, parts)
        if method == "GET" and resource == "channels":
            return self._channels(profile, params, parts)
        if method == "POST" and resource == "comments":
            snippet = _snippet(body)
            parent = self._posted(profile, str(snippet.get("parentId") or ""), "snippet.parentId")
            new = self.service.comment(profile, parent, snippet.get("textOriginal"))
            return self._comment(profile, self._posted(profile, new, "id"), parts, "html")
        if method == "POST" and resource == "commentThreads":
            snippet = _snippet(body)
            video = self._video(profile, str(snippet.get("videoId") or ""), "snippet.videoId")
            top = snippet.get("topLevelComment")
            words = _snippet(top).get("textOriginal") if isinstance(top, dict) else None
            new = self.service.comment(profile, video, words)
            return self._threads_of(profile, [self._posted(profile, new, "id")], parts, "html")[0]
        raise YouTubeError(405, "methodNotAllowed", f"{method} is not allowed here", "global")

    # --- reads -----------------------------------------------------------------------------

    def _threads(
        self, profile: DemoProfile, params: dict[str, str], parts: tuple[str, ...]
    ) -> dict[str, Any]:
        given = [f for f in THREAD_FILTERS if params.get(f)]
        if not given:
            raise _bad(
                "filter",
                f"No filter selected. Expected one of: {', '.join(sorted(THREAD_FILTERS))}",
                "missingRequiredParameter",
            )
        if len(given) > 1:
            raise _bad(
                given[1],
                f"Incompatible parameters specified in the request: {', '.join(given)}",
                "incompatibleParameters",
            )
        text_format = _choice(params, "textFormat", ("html", "plainText"))
        _choice(params, "order", ("time", "relevance"))
        held = _choice(params, "moderationStatus", ("published", "heldForReview", "likelySpam"))
        terms = (params.get("searchTerms") or "").strip() or None
        if given[0] == "id" and terms:  # "cannot be used in conjunction with the id parameter"
            raise _bad("searchTerms", "Incompatible parameters specified in the request: id, "
                       "searchTerms", "incompatibleParameters")  # fmt: skip
        if given[0] == "id":
            found = [self._posted(profile, i, "id") for i in _ids(params["id"])]
            threads = [p for p in found if p.item.in_reply_to is None]
            items = self._threads_of(profile, threads, parts, text_format)
            return _list("youtube#commentThreadListResponse", items, len(items), None)
        under: Node
        if given[0] == "videoId":
            under = self._video(profile, params["videoId"], "videoId")
        else:
            channel = native_user_id(profile.account_id, profile.platform)
            if params["allThreadsRelatedToChannelId"] != channel:
                raise YouTubeError(
                    404, "channelNotFound", "The channel could not be found.", "youtube.channel",
                    "allThreadsRelatedToChannelId",
                )  # fmt: skip
            under = channel
        limit = _results(params)
        if held == "likelySpam":  # nothing is marked as spam but by the channel (held)
            return _list("youtube#commentThreadListResponse", [], limit, None)
        page = self.service.comments_page(
            profile, under, _cursor(params), False, limit, hidden=held == "heldForReview",
            containing=terms,
        )  # fmt: skip
        items = self._threads_of(profile, page.items, parts, text_format)
        return _list("youtube#commentThreadListResponse", items, limit, _next(page))

    def _comments(
        self, profile: DemoProfile, params: dict[str, str], parts: tuple[str, ...]
    ) -> dict[str, Any]:
        given = [f for f in ("parentId", "id") if params.get(f)]
        if len(given) != 1:
            raise _bad(
                "filter",
                "Exactly one of parentId, id is expected" if given else
                "No filter selected. Expected one of: id, parentId",
                "incompatibleParameters" if given else "missingRequiredParameter",
            )  # fmt: skip
        text_format = _choice(params, "textFormat", ("html", "plainText"))
        if given[0] == "id":
            found = [self._posted(profile, i, "id") for i in _ids(params["id"])]
            items = [self._comment(profile, p, parts, text_format) for p in found]
            return _list("youtube#commentListResponse", items, len(items), None)
        parent = self._posted(profile, params["parentId"], "parentId")
        limit = _results(params)
        page = self.service.comments_page(profile, parent, _cursor(params), False, limit)
        items = [self._comment(profile, p, parts, text_format) for p in page.items]
        return _list("youtube#commentListResponse", items, limit, _next(page))

    def _videos(
        self, profile: DemoProfile, params: dict[str, str], parts: tuple[str, ...]
    ) -> dict[str, Any]:
        if not params.get("id"):
            raise _bad(
                "filter", "No filter selected. Expected one of: id", "missingRequiredParameter"
            )
        found = []
        for video_id in _ids(params["id"]):
            try:  # an id that is not the channel's is left out, as YouTube leaves it out
                found.append(self._video(profile, video_id, "id"))
            except YouTubeError:
                continue
        items = [self._video_resource(profile, m, parts) for m in found]
        return _list("youtube#videoListResponse", items, len(items), None)

    def _channels(
        self, profile: DemoProfile, params: dict[str, str], parts: tuple[str, ...]
    ) -> dict[str, Any]:
        channel = native_user_id(profile.account_id, profile.platform)
        mine = params.get("mine", "").lower() == "true"
        if not mine and not params.get("id"):
            raise _bad(
                "filter",
                "No filter selected. Expected one of: id, mine",
                "missingRequiredParameter",
            )
        if not mine and channel not in _ids(params["id"]):
            return _list("youtube#channelListResponse", [], 0, None)
        creator = self.service.creator(profile)
        snippet = {
            "title": creator.display_name,
            "description": "",
            "customUrl": f"@{creator.handle}",
            "publishedAt": _when(profile.enabled_at) if profile.enabled_at else None,
            "thumbnails": _thumbnails(channel),
        }
        item = _resource("youtube#channel", channel, parts, snippet)
        return _list("youtube#channelListResponse", [item], 1, None)

    def _moderate(self, profile: DemoProfile, params: dict[str, str]) -> None:
        """ "Comments: setModerationStatus": `id` (comma-separated), `moderationStatus`
        heldForReview, published or rejected, `banAuthor` only with rejected; a comment held
        or rejected is listed only under `moderationStatus=heldForReview`."""
        status = params.get("moderationStatus")
        if status not in ("heldForReview", "published", "rejected"):
            raise YouTubeError(
                400, "required" if status is None else "invalidModerationStatus",
                "moderationStatus must be one of heldForReview, published, rejected",
                "youtube.parameter", "moderationStatus",
            )  # fmt: skip
        if params.get("banAuthor", "false").lower() == "true" and status != "rejected":
            raise _bad("banAuthor", "banAuthor can only be used with rejected", "banWithoutReject")
        comments = [self._posted(profile, i, "id") for i in _ids(params.get("id", ""))]
        if not comments:
            raise YouTubeError(400, "required", "Required parameter: id", "global", "id")
        for comment in comments:
            hidden = "false" if status == "published" else "true"
            self.service.hide(profile, comment, hidden, "moderationStatus")

    # --- resources -------------------------------------------------------------------------

    def _threads_of(
        self,
        profile: DemoProfile,
        tops: list[Posted],
        parts: tuple[str, ...],
        text_format: str,
    ) -> list[dict[str, Any]]:
        """A page of threads: their reply counts and replies read at once, not per thread."""
        replies: dict[str, list[Posted]] = {}
        if "replies" in parts:  # (with their counts: one round trip for both)
            counts, replies = self.service.latest_replies(profile, tops, REPLIES_SHOWN)
        else:
            counts = self.service.reply_counts(profile, tops) if "snippet" in parts else {}
        channel = native_user_id(profile.account_id, profile.platform)
        threads = []
        for top in tops:
            comment_id = top.item.platform_id
            snippet: dict[str, Any] = {}
            if "snippet" in parts:
                snippet = {
                    "channelId": channel,
                    "videoId": top.item.content.platform_id if top.item.content else None,
                    "topLevelComment": self._comment(profile, top, ("id", "snippet"), text_format),
                    "canReply": True,
                    "totalReplyCount": counts[comment_id],
                    "isPublic": True,
                }
            thread = _resource("youtube#commentThread", comment_id, parts, snippet)
            if replies.get(comment_id):
                thread["replies"] = {
                    "comments": [
                        self._comment(profile, p, ("id", "snippet"), text_format)
                        for p in replies[comment_id]
                    ]
                }
                thread["etag"] = _etag(thread)
            threads.append(thread)
        return threads

    def _comment(
        self, profile: DemoProfile, posted: Posted, parts: tuple[str, ...], text_format: str
    ) -> dict[str, Any]:
        item = posted.item
        author = item.author
        channel = native_user_id(profile.account_id, profile.platform)
        author_channel = channel if author.is_creator else _channel_of(author)
        at = _when(item.occurred_at)
        snippet: dict[str, Any] = {
            "channelId": channel,
            "videoId": item.content.platform_id if item.content else None,
            "textDisplay": item.text if text_format == "plainText" else _html(item.text),
            "textOriginal": item.text,
            "authorDisplayName": f"@{author.handle}",
            "authorProfileImageUrl": _thumbnails(author_channel)["default"]["url"],
            "authorChannelUrl": f"http://www.youtube.com/@{author.handle}",
            "authorChannelId": {"value": author_channel},
            "canRate": True,
            "viewerRating": "none",
            "likeCount": _likes(item.platform_id),
            "publishedAt": at,
            "updatedAt": at,
        }
        if item.in_reply_to is not None:
            snippet["parentId"] = item.in_reply_to
        return _resource("youtube#comment", item.platform_id, parts, snippet)

    def _video_resource(
        self, profile: DemoProfile, media: Media, parts: tuple[str, ...]
    ) -> dict[str, Any]:
        content = media.content
        channel = native_user_id(profile.account_id, profile.platform)
        snippet = {
            "publishedAt": _when(content.published_at),
            "channelId": channel,
            "title": content.title,
            "description": "",
            "thumbnails": _thumbnails(content.platform_id),
            "channelTitle": self.service.creator(profile).display_name,
            "categoryId": "22",
            "liveBroadcastContent": "none",
        }
        found = _resource("youtube#video", content.platform_id, parts, snippet)
        if "statistics" in parts:  # counts as YouTube gives them: uint64 strings
            views = _views(content.platform_id, content.comments_count)
            found["statistics"] = {
                "viewCount": str(views),
                "likeCount": str(views // 25),
                "favoriteCount": "0",
                "commentCount": str(content.comments_count),
            }
            found["etag"] = _etag(found)
        return found

    # --- lookups ---------------------------------------------------------------------------

    def _posted(self, profile: DemoProfile, comment_id: str, name: str) -> Posted:
        found = self._node(profile, comment_id)
        if not isinstance(found, Posted) or found.item.kind is not InteractionKind.COMMENT:
            raise YouTubeError(
                404, "commentNotFound", "The comment could not be found.", "youtube.comment", name
            )
        return found

    def _video(self, profile: DemoProfile, video_id: str, name: str) -> Media:
        found = self._node(profile, video_id)
        if not isinstance(found, Media):
            raise YouTubeError(
                404, "videoNotFound", "The video could not be found.", "youtube.commentThread",
                name,
            )  # fmt: skip
        return found

    def _node(self, profile: DemoProfile, node_id: str) -> Node | None:
        if not node_id:
            return None
        try:
            return self.service.node(profile, node_id)
        except GraphError:
            return None


def _parts(resource: str, given: str | None) -> tuple[str, ...]:
    if not given:
        raise YouTubeError(400, "required", "Required parameter: part", "global", "part")
    parts = tuple(p.strip() for p in given.split(",") if p.strip())
    for part in parts:
        if part not in PARTS[resource]:
            raise _bad("part", f"'{part}'", "invalidPart")
    return parts


def _choice(params: dict[str, str], name: str, allowed: tuple[str, ...]) -> str:
    value = params.get(name) or allowed[0]
    if value not in allowed:
        raise _bad(name, f"Invalid value '{value}'. Expected one of: {', '.join(allowed)}")
    return value


def _results(params: dict[str, str]) -> int:
    given = params.get("maxResults")
    if given is None:
        return DEFAULT_RESULTS
    if not given.isdigit() or not 1 <= int(given) <= MOST_RESULTS:
        raise _bad(
            "maxResults",
            f"Invalid value '{given}'. Values must be within the range: [1, {MOST_RESULTS}]",
        )
    return int(given)


def _cursor(params: dict[str, str]) -> Cursor | None:
    token = params.get("pageToken")
    if not token:
        return None
    try:
        return Cursor.decode(token)
    except InvalidCursorError as exc:
        raise _bad("pageToken", "The request specifies an invalid page token.",
                   "invalidPageToken") from exc  # fmt: skip


def _next(page: Slice[Posted]) -> str | None:
    if not page.older or not page.items:
        return None
    last = page.items[-1]
    return Cursor(last.item.occurred_at, last.row_id).encode()


def _ids(given: str) -> list[str]:
    return [i.strip() for i in given.split(",") if i.strip()]


def _snippet(body: object) -> dict[str, Any]:
    snippet = body.get("snippet") if isinstance(body, dict) else None
    if not isinstance(snippet, dict):
        raise YouTubeError(400, "required", "Required: snippet", "global", "snippet")
    return snippet


def _list(
    kind: str, items: list[dict[str, Any]], per_page: int, token: str | None
) -> dict[str, Any]:
    body: dict[str, Any] = {"kind": kind, "etag": ""}
    if token is not None:
        body["nextPageToken"] = token
    body["pageInfo"] = {"totalResults": len(items), "resultsPerPage": per_page}
    body["items"] = items
    body["etag"] = _etag(body)
    return body


def _resource(
    kind: str, id_: str, parts: tuple[str, ...], snippet: dict[str, Any]
) -> dict[str, Any]:
    found: dict[str, Any] = {"kind": kind, "etag": "", "id": id_}
    if "snippet" in parts:
        found["snippet"] = snippet
    found["etag"] = _etag(found)
    return found


def _etag(body: dict[str, Any]) -> str:
    """A resource's version, as YouTube's etags look: base64 of its digest."""
    without = {k: v for k, v in body.items() if k != "etag"}
    raw = orjson.dumps(without, option=orjson.OPT_SORT_KEYS)
    return base64.urlsafe_b64encode(hashlib.blake2b(raw, digest_size=20).digest()).decode()[:27]


def _when(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def _html(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def _channel_of(author: Author) -> str:
    return youtube_id("UC", f"fan\x1f{author.handle}", 22)


def _thumbnails(of: str) -> dict[str, dict[str, Any]]:
    url = f"https://yt3.ggpht.com/ytc/{youtube_id('', f'avatar{of}', 40)}=s88-c-k-c0x00ffffff-no-rj"
    return {"default": {"url": url, "width": 88, "height": 88}}


def _views(video_id: str, comments: int) -> int:
    """A video's views: a few hundred for each comment, the same every time."""
    n = int.from_bytes(hashlib.blake2b(video_id.encode(), digest_size=2).digest())
    return max(comments, 1) * (150 + n % 350)


def _likes(comment_id: str) -> int:
    """A comment's likes: few, most of them none, the same every time."""
    n = int.from_bytes(hashlib.blake2b(comment_id.encode(), digest_size=2).digest())
    return 0 if n % 3 else n % 40
