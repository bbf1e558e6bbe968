"""Meta's webhooks as Instagram and Facebook Pages send them, from developers.facebook.com:
- the envelope and the `comments` change: "Instagram Platform Webhook Notification Examples"
  (docs/instagram-platform/webhooks/examples) and the Instagram webhooks reference
  (docs/graph-api/webhooks/reference/instagram: every id a "numeric string");
- messages: "Webhooks for Instagram Messaging" (docs/instagram-messaging/webhooks): `messaging`
  items `{sender: {id}, recipient: {id}, timestamp, message: {mid, text, is_echo}}`, echoes of the
  account's own messages on the same field;
- a Facebook Page's comments: "Webhooks for Pages" (docs/pages-api/webhooks-for-pages) and the
  Page webhooks reference (docs/graph-api/webhooks/reference/page, field `feed`: `{from: {id,
  name}, post_id, comment_id, parent_id, created_time, item, verb, message, post}`), under
  `"object": "page"`; a top-level comment's `parent_id` is its post's id;
- a Page's messages: "Webhooks for Messenger" (docs/messenger-platform/webhooks) and the
  `messages` / `message_echoes` references: the same `messaging` items, a `mid` of Messenger's
  form ("m_…"), the Page's own messages as echoes (`is_echo`);
- the signature: "Event Notifications" (docs/graph-api/webhooks/getting-started): an
  `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the payload, keyed with the app secret>` computed
  over the payload as sent, non-ASCII characters escaped (`\\u00e4`).
- what happens to an item after (domain.lifecycle): a Page comment's `feed` change with `verb`
  "edited" (and its new `message`), "remove", "hide" or "unhide"; on Instagram, messaging items
  `message: {mid, is_deleted: true}` (unsent), `reaction: {mid, action: "react", reaction,
  emoji}` / `{mid, action: "unreact"}`, `read: {mid}` (seen) and `message_edit: {mid, text,
  num_edit}` ("Webhooks for Instagram Messaging": message_reactions, messaging_seen,
  message_edit).
`time` is in seconds in `changes`, `timestamp` in milliseconds in `messaging`, as in Meta's
examples."""

import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from app.domain.errors import DomainError
from app.domain.inbox import Author, ContentRef, InteractionKind, Platform, WebhookInteraction
from app.domain.lifecycle import REACTION, EventType
from app.domain.platforms import meta_id, native_id
from app.domain.storable import unstorable_text
from app.services.ports import InvalidSignatureError

SIGNATURE_HEADER = "X-Hub-Signature-256"
MEDIA_PRODUCT_TYPE = "REELS"  # demosim's Instagram posts are reels
POST_STATUS_TYPE = "added_video"  # and a Page's posts are videos ("video.facebook")
OBJECT = {Platform.INSTAGRAM: "instagram", Platform.FACEBOOK: "page"}


def dumps(payload: object) -> bytes:
    """The payload's bytes as Meta sends them: compact, every non-ASCII character escaped."""
    return json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def signature(secret: str, body: bytes) -> str:
    """`X-Hub-Signature-256` of the exact bytes sent."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str | None) -> None:
    """Check a POST's `X-Hub-Signature-256` over its raw bytes."""
    if not header or not header.startswith("sha256="):
        raise InvalidSignatureError(f"missing or malformed {SIGNATURE_HEADER} header")
    if not hmac.compare_digest(header, signature(secret, body)):
        raise InvalidSignatureError(f"{SIGNATURE_HEADER} does not match the body")


def person_id(item: WebhookInteraction) -> str:
    """The Instagram-scoped id of the person an item is from or to: a commenter by their
    handle; in DMs, the person of the conversation (a creator's message names no one else)."""
    if item.kind is InteractionKind.DM:
        conversation = item.conversation_id or ""
        return conversation if conversation.isdigit() else native_id("igsid", conversation)
    return native_id("igsid", item.author.handle)


def comment_change(item: WebhookInteraction, account_user_id: str) -> dict[str, Any]:
    """A `comments` change: a comment on the account's media, or a reply (`parent_id`); the
    account's own comments are from its IG user id."""
    assert item.content is not None  # a comment names its content (WebhookInteraction checks)
    value: dict[str, Any] = {
        "from": {
            "id": account_user_id if item.author.is_creator else person_id(item),
            "username": item.author.handle,
        },
        "media": {
            "id": meta_id("media", item.content.platform_id, account_user_id),
            "media_product_type": MEDIA_PRODUCT_TYPE,
        },
        "id": meta_id("comment", item.platform_id, account_user_id),
        "text": item.text,
    }
    if item.in_reply_to is not None:
        value["parent_id"] = meta_id("comment", item.in_reply_to, account_user_id)
    return {"field": "comments", "value": value}


def feed_change(item: WebhookInteraction, page_id: str) -> dict[str, Any]:
    """A Page's `feed` change: a comment on one of its posts (`parent_id` the post) or a reply
    (`parent_id` the comment); the Page's own comments are from the Page."""
    assert item.content is not None  # a comment names its content (WebhookInteraction checks)
    fb, content = Platform.FACEBOOK, item.content.platform_id
    post_id = meta_id("media", content, page_id, fb)
    event = item.event
    # an event names the comment it happened to, and that comment's parent
    comment, parent = (event.of, event.parent) if event else (item.platform_id, item.in_reply_to)
    created = int(item.occurred_at.timestamp())
    value: dict[str, Any] = {
        "from": {
            "id": page_id if item.author.is_creator else person_id(item),
            "name": item.author.display_name,
        },
        "post": {
            "status_type": POST_STATUS_TYPE,
            "is_published": True,
            "updated_time": _iso(item.occurred_at),
            "permalink_url": permalink(post_id),
            "promotion_status": "inactive",
            "id": post_id,
        },
        "message": item.text,
        "post_id": post_id,
        "comment_id": meta_id("comment", comment, page_id, fb, content),
        "created_time": created,
        "item": "comment",
        "parent_id": meta_id("comment", parent, page_id, fb, content) if parent else post_id,
        "verb": event.type.value if event else "add",
    }
    if event and event.type is not EventType.EDITED:
        del value["message"]  # only an edit says anything
    return {"field": "feed", "value": value}


def permalink(post_id: str) -> str:
    """A Page post's address, as `permalink_url` gives it."""
    page, _, post = post_id.partition("_")
    return f"https://www.facebook.com/{page}/posts/{post}"


def message_event(item: WebhookInteraction, account_user_id: str) -> dict[str, Any]:
    """A `messaging` item: the person's message to the account, or the account's own (an
    echo, `is_echo`, from the account to the person)."""
    person = person_id(item)
    own = item.author.is_creator
    event = item.event
    mid = meta_id("dm", event.of if event else item.platform_id, account_user_id, item.platform)
    said: dict[str, Any] = {
        "sender": {"id": account_user_id if own else person},
        "recipient": {"id": person if own else account_user_id},
        "timestamp": _millis(item.occurred_at),
    }
    if event is None:
        said["message"] = {"mid": mid, "text": item.text, **({"is_echo": True} if own else {})}
    elif event.type is EventType.UNSEND:
        said["message"] = {"mid": mid, "is_deleted": True}
    elif event.type is EventType.REACT:
        name, emoji = REACTION
        said["reaction"] = {"mid": mid, "action": "react", "reaction": name, "emoji": emoji}
    elif event.type is EventType.UNREACT:
        said["reaction"] = {"mid": mid, "action": "unreact"}
    elif event.type is EventType.READ:
        said["read"] = {"mid": mid}
    else:
        said["message_edit"] = {"mid": mid, "text": item.text, "num_edit": event.edits}
    return said


def envelope(
    items: Sequence[WebhookInteraction], user_ids: dict[str, str], now: datetime
) -> dict[str, Any]:
    """One POST's payload: an entry per account and kind (changes or messaging), in the order
    the items come; `user_ids` gives each account's IG user id or page id by account id. The
    items are of one object: Instagram's, or Facebook Pages' (`object_of`)."""
    objects = {object_of(item) for item in items}
    if len(objects) != 1:
        raise ValueError(f"one POST carries one object, not {sorted(objects)}")
    change = feed_change if objects == {"page"} else comment_change
    entries: dict[tuple[str, InteractionKind], dict[str, Any]] = {}
    for item in items:
        user_id = user_ids[str(item.account_id)]
        key = (user_id, item.kind)
        if key not in entries:
            if item.kind is InteractionKind.COMMENT:
                entries[key] = {"id": user_id, "time": int(now.timestamp()), "changes": []}
            else:
                entries[key] = {"id": user_id, "time": _millis(now), "messaging": []}
        if item.kind is InteractionKind.COMMENT:
            entries[key]["changes"].append(change(item, user_id))
        else:
            entries[key]["messaging"].append(message_event(item, user_id))
    return {"object": objects.pop(), "entry": list(entries.values())}


def object_of(item: WebhookInteraction) -> str:
    """The webhook object an item comes under: "instagram", or "page" for a Facebook Page's."""
    return OBJECT[item.platform]


def _millis(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


class MetaPayloadError(ValueError):
    """A payload that is not Meta's webhooks as documented; says where."""


def read(payload: Any, account_of: Callable[[str], UUID | None]) -> list[WebhookInteraction]:
    """Meta's webhooks as a host files them: Instagram's and a Page's comments and replies (the
    account's own as its creator's), messages and echoes (the account's as its creator's; a
    conversation by the other person's id). Entries of accounts `account_of` does not know are
    left out; feed changes that are not new comments (posts, reactions, edits) and messaging
    events that are not messages (reactions, reads) are not inbox items."""
    try:
        kind = payload["object"]
        if kind not in ("instagram", "page"):
            raise MetaPayloadError(f"object must be 'instagram' or 'page', got {kind!r}")
        platform = Platform.FACEBOOK if kind == "page" else Platform.INSTAGRAM
        items: list[WebhookInteraction] = []
        for entry in payload["entry"]:
            user_id = str(entry["id"])
            account = account_of(user_id)
            if account is None:
                continue
            for change in entry.get("changes", []):
                if change["field"] == "comments" and platform is Platform.INSTAGRAM:
                    at = datetime.fromtimestamp(entry["time"], UTC)  # comments carry no time
                    items.append(_comment(account, user_id, change["value"], at))
                elif change["field"] == "feed" and _new_comment(change["value"]):
                    items.append(_page_comment(account, user_id, change["value"]))
            for event in entry.get("messaging", []):
                # a message, not an unsend (`is_deleted`), reaction, read or edit
                if "message" in event and not event["message"].get("is_deleted"):
                    items.append(_message(account, event, platform))
    except MetaPayloadError:
        raise
    except (KeyError, TypeError, ValueError, OverflowError, DomainError) as exc:
        raise MetaPayloadError(f"not Meta's webhook payload: {type(exc).__name__} {exc}") from None
    for item in items:
        for name, text in (
            ("text", item.text),
            ("id", item.platform_id),
            ("from", item.author.handle),
        ):
            problem = unstorable_text(text)
            if problem is None and name != "text" and len(text) > 255:
                problem = "must be at most 255 characters"
            if problem is not None:
                raise MetaPayloadError(f"{name} of {item.platform_id[:40]!r}: {problem}")
    return items


def _new_comment(value: dict[str, Any]) -> bool:
    return bool(value["item"] == "comment" and value["verb"] == "add")


def _page_comment(account: UUID, page_id: str, v: dict[str, Any]) -> WebhookInteraction:
    author = v["from"]
    parent, post = str(v["parent_id"]), str(v["post_id"])
    return WebhookInteraction(
        account_id=account,
        platform=Platform.FACEBOOK,
        platform_id=str(v["comment_id"]),
        kind=InteractionKind.COMMENT,
        # a Page's commenters have a name, not a username
        author=Author(author["name"], author["name"], str(author["id"]) == page_id),
        text=v["message"],
        occurred_at=datetime.fromtimestamp(v["created_time"], UTC),
        content=ContentRef(post),
        is_demo=True,
        in_reply_to=parent if parent != post else None,
    )


def _comment(account: UUID, user_id: str, v: dict[str, Any], at: datetime) -> WebhookInteraction:
    author = v["from"]
    return WebhookInteraction(
        account_id=account,
        platform=Platform.INSTAGRAM,
        platform_id=str(v["id"]),
        kind=InteractionKind.COMMENT,
        author=Author(author["username"], author["username"], str(author["id"]) == user_id),
        text=v["text"],
        occurred_at=at,
        content=ContentRef(str(v["media"]["id"])),
        is_demo=True,
        in_reply_to=str(v["parent_id"]) if v.get("parent_id") else None,
    )


def _message(account: UUID, event: dict[str, Any], platform: Platform) -> WebhookInteraction:
    message = event["message"]
    own = bool(message.get("is_echo"))
    sender, person = event["sender"]["id"], event["recipient" if own else "sender"]["id"]
    return WebhookInteraction(
        account_id=account,
        platform=platform,
        platform_id=str(message["mid"]),
        kind=InteractionKind.DM,
        author=Author(str(sender), str(sender), own),  # messaging names ids only
        text=message.get("text", ""),
        occurred_at=datetime.fromtimestamp(event["timestamp"] / 1000, UTC),
        is_demo=True,
        conversation_id=str(person),
    )
