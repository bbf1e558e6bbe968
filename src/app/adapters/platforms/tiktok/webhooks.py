"""TikTok's webhooks as TikTok sends them, from developers.tiktok.com and the API for Business
(business-api.tiktok.com/portal/docs):
- the envelope ("Webhook Events", developers.tiktok.com/doc/webhooks-events): `{"client_key",
  "event", "create_time" (UTC epoch seconds), "user_openid", "content"}`, `content` "a
  serialized JSON string of event information" (a host parses twice);
- the signature ("Check the signature", developers.tiktok.com/doc/webhooks-verification):
  `TikTok-Signature: t=<unix seconds>,s=<hex HMAC-SHA256 of "<t>.<body>", keyed with the
  app's client secret>`; a host rejects a valid signature whose timestamp is too old;
- delivery ("Webhooks Overview", developers.tiktok.com/doc/webhooks-overview): one event a POST,
  answered 200 at once, retried with backoff for up to 72 hours, "at least once" (a host
  deduplicates);
- comments (API for Business, "Webhook event types", portal/docs?id=1759978319341570, "comment
  updates": new comments and changes to existing ones on the account's posts): the event
  `comment.update`, its content `{comment_id, video_id, parent_comment_id, comment_type
  (comment | reply), comment_action (insert | delete | set_to_hidden | set_to_public), text,
  timestamp, unique_identifier, owner}`, 64-bit ids as strings; a top-level comment's
  `parent_comment_id` is its video's id, as the comment list gives it.
TikTok's comment webhooks carry no direct messages: a native TikTok account's DMs are not
pushed (Business Messaging is a webhook of its own, not emulated)."""

import hashlib
import hmac
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import orjson

from app.domain.errors import DomainError
from app.domain.inbox import Author, ContentRef, InteractionKind, Platform, WebhookInteraction
from app.domain.lifecycle import EventType
from app.domain.storable import unstorable_text
from app.services.ports import InvalidSignatureError

SIGNATURE_HEADER = "TikTok-Signature"
EVENT = "comment.update"
TEST_EVENT = "webhook.test"  # the portal's "Test URL" event (TikTok does not name it)
TOLERANCE = 300  # seconds a signature's timestamp may be off, as hosts are told to check
ACTION = {
    None: "insert",
    EventType.REMOVE: "delete",
    EventType.HIDE: "set_to_hidden",
    EventType.UNHIDE: "set_to_public",
}


class TikTokPayloadError(ValueError):
    """A payload that is not TikTok's webhook as documented; says where."""


def dumps(payload: object) -> bytes:
    """Compact JSON in UTF-8, as TikTok's bodies are."""
    return orjson.dumps(payload)


def signature(secret: str, body: bytes, at: int) -> str:
    """`TikTok-Signature` of the exact bytes sent at `at` (unix seconds)."""
    signed = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={at},s={signed}"


def verify(secret: str, body: bytes, header: str | None, now: datetime) -> None:
    """Check a POST's `TikTok-Signature` over its raw bytes, and that it was signed lately."""
    parts = dict(p.split("=", 1) for p in (header or "").split(",") if "=" in p)
    at, given = parts.get("t", ""), parts.get("s", "")
    if not at.isdigit() or not given:
        raise InvalidSignatureError(f"missing or malformed {SIGNATURE_HEADER} header")
    if not hmac.compare_digest(signature(secret, body, int(at)), f"t={at},s={given}"):
        raise InvalidSignatureError(f"{SIGNATURE_HEADER} does not match the body")
    if abs(now.timestamp() - int(at)) > TOLERANCE:
        raise InvalidSignatureError(f"{SIGNATURE_HEADER} was signed more than {TOLERANCE} s ago")


def comment_event(item: WebhookInteraction, client_key: str, user_openid: str) -> dict[str, Any]:
    """A `comment.update` for a comment of the account's videos (or what happened to one)."""
    assert item.content is not None  # a comment names its content (WebhookInteraction checks)
    event = item.event
    comment, parent = (event.of, event.parent) if event else (item.platform_id, item.in_reply_to)
    video = item.content.platform_id
    at = int(item.occurred_at.timestamp())
    content = {
        "comment_id": comment,
        "video_id": video,
        "parent_comment_id": parent or video,
        "comment_type": "reply" if parent else "comment",
        "comment_action": ACTION[event.type if event else None],
        "text": item.text if event is None else "",
        "timestamp": at,
        "unique_identifier": item.author.handle,
        "owner": item.author.is_creator,
    }
    return {
        "client_key": client_key,
        "event": EVENT,
        "create_time": at,
        "user_openid": user_openid,
        "content": orjson.dumps(content).decode(),
    }


def read(payload: Any, account_of: Callable[[str], UUID | None]) -> list[WebhookInteraction]:
    """A host's reading of one event: a new comment or reply (`insert`) on a known account's
    video, the account's own as its creator's; other actions and other events are no inbox
    items (nothing to file), nor are the events of accounts `account_of` does not know."""
    try:
        if not isinstance(payload, dict):
            raise TikTokPayloadError("the body must be a JSON object")
        for name in ("client_key", "event", "create_time", "user_openid", "content"):
            if name not in payload:
                raise TikTokPayloadError(f"{name} is missing")
        if payload["event"] != EVENT:
            return []
        account = account_of(str(payload["user_openid"]))
        if account is None:
            return []
        content = orjson.loads(payload["content"])
        if content["comment_action"] != "insert":
            return []
        who = str(content["unique_identifier"])
        reply = content["comment_type"] == "reply"
        item = WebhookInteraction(
            account_id=account,
            platform=Platform.TIKTOK,
            platform_id=str(content["comment_id"]),
            kind=InteractionKind.COMMENT,
            author=Author(who, who, bool(content.get("owner"))),
            text=content["text"],
            occurred_at=datetime.fromtimestamp(content["timestamp"], UTC),
            content=ContentRef(str(content["video_id"])),
            is_demo=True,
            in_reply_to=str(content["parent_comment_id"]) if reply else None,
        )
    except TikTokPayloadError:
        raise
    except (KeyError, TypeError, ValueError, OverflowError, DomainError) as exc:
        raise TikTokPayloadError(f"not TikTok's webhook: {type(exc).__name__} {exc}") from None
    for name, text in (("text", item.text), ("comment_id", item.platform_id), ("from", who)):
        problem = unstorable_text(text)
        if problem is None and name != "text" and len(text) > 255:
            problem = "must be at most 255 characters"
        if problem is not None:
            raise TikTokPayloadError(f"{name} of {item.platform_id[:40]!r}: {problem}")
    return [item]
