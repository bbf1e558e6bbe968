"""X's Account Activity webhooks as X sends them, from docs.x.com / developer.x.com:
- "Securing webhooks" (x-api/enterprise/account-activity-api/guides/securing-webhooks): the
  Challenge-Response Check, a GET of the callback with `crc_token`, answered 200 within three
  seconds with `{"response_token": "sha256=<base64 HMAC-SHA256 keyed with the app's consumer
  secret over the crc_token>"}`; every POST carries `x-twitter-webhooks-signature:
  sha256=<base64 HMAC-SHA256 of the body, keyed with the consumer secret>`;
- "Account Activity data objects" (guides/account-activity-data-objects): `{"for_user_id",
  "tweet_create_events": [<Tweet Object>]}` for posts, replies and @mentions by or to the
  subscribed user; `{"for_user_id", "direct_message_events": [<message_create event>],
  "users": {id: <User Object>}}` for messages sent or received; `{"for_user_id",
  "tweet_delete_events": [{"status": {"id", "user_id"}, "timestamp_ms"}]}` for deleted posts;
- the v1.1 Tweet object (x-api/v1/data-dictionary/object-model/tweet): `created_at` ("Wed Oct
  10 20:19:24 +0000 2018"), `id` and `id_str`, `text`, `truncated`, `in_reply_to_status_id_str`,
  `in_reply_to_user_id_str`, `in_reply_to_screen_name`, `user`, `entities.user_mentions`
  (`screen_name`, `name`, `id_str`, `indices`), `display_text_range` (a reply's text opens with
  the @names it replies to, which the range leaves out), `timestamp_ms`; a post over 140
  characters comes in compatibility mode ("Extended Tweets": `truncated: true`, `text` cut
  with a link, the whole in `extended_tweet.full_text`, `display_text_range`, `entities`);
- the message_create event (x-api/v1/direct-messages/…/message-create-object): `type`, `id`,
  `created_timestamp` (epoch milliseconds as a string), `message_create.target.recipient_id`,
  `sender_id`, `message_data.text` and `entities`.
Ids are Snowflakes, numbers given also as strings ("id_str"), as X asks hosts to read them."""

import base64
import hashlib
import hmac
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import orjson

from app.domain.errors import DomainError
from app.domain.inbox import Author, ContentRef, InteractionKind, Platform, WebhookInteraction
from app.domain.lifecycle import EventType
from app.domain.platforms import x_id
from app.domain.storable import unstorable_text
from app.services.ports import InvalidSignatureError

SIGNATURE_HEADER = "x-twitter-webhooks-signature"
COMPATIBLE = 140  # characters of `text` before a post comes truncated, with `extended_tweet`
SOURCE = '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>'


class XPayloadError(ValueError):
    """A payload that is not X's Account Activity webhook as documented; says where."""


def dumps(payload: object) -> bytes:
    """Compact JSON in UTF-8."""
    return orjson.dumps(payload)


def _hmac(secret: str, message: bytes) -> str:
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(digest).decode()


def signature(secret: str, body: bytes) -> str:
    """`x-twitter-webhooks-signature` of the exact bytes sent."""
    return _hmac(secret, body)


def crc_response(secret: str, crc_token: str) -> dict[str, str]:
    """The answer to a CRC: the token's HMAC with the consumer secret, base64, "sha256=" first."""
    return {"response_token": _hmac(secret, crc_token.encode())}


def verify(secret: str, body: bytes, header: str | None) -> None:
    """Check a POST's signature over its raw bytes."""
    if not header or not header.startswith("sha256="):
        raise InvalidSignatureError(f"missing or malformed {SIGNATURE_HEADER} header")
    if not hmac.compare_digest(signature(secret, body), header):
        raise InvalidSignatureError(f"{SIGNATURE_HEADER} does not match the body")


def status_id(platform_id: str) -> str:
    """An item's id as X gives it: what demosim made for a native X account is a Snowflake
    already; an id of demosim's own form ("xp-c-3f9a…", made while the account was not native)
    is mapped to one, the same every time."""
    return platform_id if platform_id.isdigit() else x_id(f"mapped\x1f{platform_id}")


def person_id(handle: str) -> str:
    """A person's X user id, the same for their handle everywhere."""
    return x_id(f"person\x1f{handle}")


def user(author: Author, user_id: str) -> dict[str, Any]:
    """A v1.1 User object, the fields a host reads."""
    seed = int(hashlib.blake2b(user_id.encode(), digest_size=4).hexdigest(), 16)
    return {
        "id": int(user_id),
        "id_str": user_id,
        "name": author.display_name,
        "screen_name": author.handle,
        "location": None,
        "url": None,
        "description": None,
        "protected": False,
        "verified": False,
        "followers_count": seed % 5000 if not author.is_creator else 48_000 + seed % 90_000,
        "friends_count": seed % 900,
        "listed_count": 0,
        "favourites_count": seed % 20_000,
        "statuses_count": 50 + seed % 9000,
        "created_at": _created_at(datetime(2012, 1, 1, tzinfo=UTC).timestamp() + seed % 3e8),
        "profile_image_url_https": f"https://pbs.twimg.com/profile_images/{user_id}/a_normal.jpg",
        "default_profile_image": False,
    }


def _created_at(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%a %b %d %H:%M:%S +0000 %Y")


def _mention(screen_name: str, name: str, user_id: str, start: int) -> dict[str, Any]:
    return {
        "screen_name": screen_name,
        "name": name,
        "id": int(user_id),
        "id_str": user_id,
        "indices": [start, start + 1 + len(screen_name)],
    }


def tweet(
    item: WebhookInteraction,
    author_id: str,
    replied_to: tuple[str, str, str, str] | None,
) -> dict[str, Any]:
    """A post by `item.author` (whose id is `author_id`) as a v1.1 Tweet object: a reply to
    `replied_to` (the status id, its author's id, screen name and name), its text opening with
    the @name it answers, as X writes replies."""
    at = item.occurred_at
    text = item.text
    own = status_id(item.platform_id)
    mentions: list[dict[str, Any]] = []
    start = 0
    if replied_to is not None:  # (an @name the person typed themselves is theirs to show)
        to, to_id, to_name, to_display = replied_to
        replied_to = (status_id(to), to_id, to_name, to_display)
        prefix = f"@{to_name} "
        if not text.startswith(prefix):
            text = prefix + text
            start = len(prefix)
        mentions.append(_mention(to_name, to_display, to_id, 0))
    shown = [start, len(text)]
    entities = {"hashtags": [], "urls": [], "user_mentions": mentions, "symbols": []}
    found: dict[str, Any] = {
        "created_at": _created_at(at.timestamp()),
        "id": int(own),
        "id_str": own,
        "text": text,
        "display_text_range": shown,
        "source": SOURCE,
        "truncated": False,
        "in_reply_to_status_id": int(replied_to[0]) if replied_to else None,
        "in_reply_to_status_id_str": replied_to[0] if replied_to else None,
        "in_reply_to_user_id": int(replied_to[1]) if replied_to else None,
        "in_reply_to_user_id_str": replied_to[1] if replied_to else None,
        "in_reply_to_screen_name": replied_to[2] if replied_to else None,
        "user": user(item.author, author_id),
        "geo": None,
        "coordinates": None,
        "place": None,
        "is_quote_status": False,
        "quote_count": 0,
        "reply_count": 0,
        "retweet_count": 0,
        "favorite_count": 0,
        "entities": entities,
        "favorited": False,
        "retweeted": False,
        "filter_level": "low",
        "lang": (item.language or "und").split("-")[0],
        "timestamp_ms": str(int(at.timestamp() * 1000)),
    }
    if len(text) > COMPATIBLE:  # compatibility mode: the whole text in extended_tweet
        link = f"https://t.co/{own[-10:]}"
        found["text"] = text[: COMPATIBLE - len(link) - 2] + "… " + link
        found["truncated"] = True
        found["display_text_range"] = [start, len(found["text"])]
        found["extended_tweet"] = {
            "full_text": text,
            "display_text_range": shown,
            "entities": entities,
        }
    return found


def tweet_create_events(for_user_id: str, tweets: list[dict[str, Any]]) -> dict[str, Any]:
    return {"for_user_id": for_user_id, "tweet_create_events": tweets}


def tweet_delete_events(for_user_id: str, deleted: Iterable[WebhookInteraction]) -> dict[str, Any]:
    """Deleted posts (`event.of` the post's id, the deletion's author the post's)."""
    events = []
    for item in deleted:
        assert item.event is not None
        assert item.event.type is EventType.REMOVE
        events.append({
            "status": {"id": status_id(item.event.of), "user_id": person_id(item.author.handle)},
            "timestamp_ms": str(int(item.occurred_at.timestamp() * 1000)),
        })  # fmt: skip
    return {"for_user_id": for_user_id, "tweet_delete_events": events}


def direct_message_events(
    for_user_id: str, messages: list[WebhookInteraction], creator: Author
) -> dict[str, Any]:
    """Messages of the account's conversations, with the users they name."""
    events, users = [], {for_user_id: user(creator, for_user_id)}
    for m in messages:
        person = status_id(m.conversation_id or "")
        sender, recipient = (for_user_id, person) if m.author.is_creator else (person, for_user_id)
        if not m.author.is_creator:
            users[person] = user(m.author, person)
        events.append({
            "type": "message_create",
            "id": status_id(m.platform_id),
            "created_timestamp": str(int(m.occurred_at.timestamp() * 1000)),
            "message_create": {
                "target": {"recipient_id": recipient},
                "sender_id": sender,
                "message_data": {
                    "text": m.text,
                    "entities": {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []},
                },
            },
        })  # fmt: skip
    return {"for_user_id": for_user_id, "direct_message_events": events, "users": users}


PostsOf = Callable[[UUID, list[str]], dict[str, str]]


def read(
    payload: Any, account_of: Callable[[str], UUID | None], posts_of: PostsOf
) -> list[WebhookInteraction]:
    """A host's reading of one POST: the posts that reply to a known account's (its own among
    them, as its creator's) and the messages of its conversations; deletions and other events
    are no inbox items. A reply's post is the one its thread hangs from: the status it replies
    to if that is no reply the host filed (`posts_of` the filed ones' posts, asked once a
    POST), else that reply's post; the text is what `display_text_range` shows (the @name it
    answers left out, where X put it there)."""
    try:
        if not isinstance(payload, dict) or not isinstance(payload.get("for_user_id"), str):
            raise XPayloadError("for_user_id is missing")
        for_user = payload["for_user_id"]
        account = account_of(for_user)
        if account is None:
            return []
        items = [
            *_replies(payload.get("tweet_create_events") or [], account, for_user, posts_of),
            *_messages(payload, account, for_user),
        ]
    except XPayloadError:
        raise
    except (KeyError, TypeError, ValueError, OverflowError, IndexError, DomainError) as exc:
        raise XPayloadError(f"not X's webhook: {type(exc).__name__} {exc}") from None
    for item in items:
        for name, text in (("text", item.text), ("id", item.platform_id)):
            problem = unstorable_text(text)
            if problem is None and name != "text" and len(text) > 255:
                problem = "must be at most 255 characters"
            if problem is not None:
                raise XPayloadError(f"{name} of {item.platform_id[:40]!r}: {problem}")
    return items


def _replies(
    tweets: list[dict[str, Any]], account: UUID, for_user: str, posts_of: PostsOf
) -> list[WebhookInteraction]:
    found: list[WebhookInteraction] = []
    here = {t["id_str"] for t in tweets}
    earlier = {p for t in tweets if (p := t.get("in_reply_to_status_id_str")) and p not in here}
    posts = posts_of(account, sorted(earlier)) if earlier else {}  # and this POST's, as read
    for t in tweets:
        parent = t.get("in_reply_to_status_id_str")
        if not parent:
            continue  # a post of the account's own (a new one), not a reply
        post = posts.get(parent) or parent
        posts[t["id_str"]] = post
        whole = t["extended_tweet"] if t.get("truncated") else t
        text: str = whole["full_text"] if "full_text" in whole else whole["text"]
        start, end = whole.get("display_text_range", [0, len(text)])
        who = t["user"]
        mine = who["id_str"] == for_user
        found.append(
            WebhookInteraction(
                account_id=account,
                platform=Platform.X,
                platform_id=t["id_str"],
                kind=InteractionKind.COMMENT,
                author=Author(who["screen_name"], who["name"], mine),
                text=text[start:end],
                occurred_at=datetime.fromtimestamp(int(t["timestamp_ms"]) / 1000, UTC),
                content=ContentRef(post),
                is_demo=True,
                in_reply_to=None if parent == post else parent,
            )
        )
    return found


def _messages(payload: dict[str, Any], account: UUID, for_user: str) -> list[WebhookInteraction]:
    found = []
    users = payload.get("users") or {}
    for e in payload.get("direct_message_events") or []:
        if e["type"] != "message_create":
            continue
        made = e["message_create"]
        sender, recipient = made["sender_id"], made["target"]["recipient_id"]
        mine = sender == for_user
        who = users[sender]
        found.append(
            WebhookInteraction(
                account_id=account,
                platform=Platform.X,
                platform_id=e["id"],
                kind=InteractionKind.DM,
                author=Author(who["screen_name"], who["name"], mine),
                text=made["message_data"]["text"],
                occurred_at=datetime.fromtimestamp(int(e["created_timestamp"]) / 1000, UTC),
                is_demo=True,
                conversation_id=recipient if mine else sender,
            )
        )
    return found
