"""Meta's webhook dialect against Meta's own examples, field by field, and its signature over
the exact bytes sent, checked as a host checks it: `hmac` over the raw body, keyed with the app
secret."""

import hashlib
import hmac
import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from app.adapters.platforms.meta import webhooks as meta
from app.domain.inbox import Author, ContentRef, InteractionKind, Platform, WebhookInteraction
from app.domain.platforms import native_id, native_platform_id
from app.services.ports import InvalidSignatureError

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
ACCOUNT = uuid.UUID("00000000-0000-4000-8000-0000000000a1")
IG_USER = native_id("ig-user", str(ACCOUNT))
SECRET = "the-app-secret"

# "Instagram Platform Webhook Notification Examples" (developers.facebook.com/docs/
# instagram-platform/webhooks/examples), "Comments payload", placeholders typed as the
# Instagram webhooks reference gives them (every id a "numeric string"; time an int). (⚠ this
# page puts field/value straight under entry; the Facebook Login page's example and real
# deliveries wrap them in changes[], which demosim sends: PLATFORMS.md)
DOCS_COMMENT_VALUE = {
    "id": "17865799348089039",
    "from": {"id": "1234567890123456", "username": "some_user"},
    "text": "This is a comment",
    "media": {"id": "17887498072083520", "media_product_type": "FEED"},
}
# the same page's reply: "parent_id — ID of parent IG Comment if this comment was created on
# another IG Comment" (Graph API changelog, out-of-cycle changes, Oct 20 2021)
DOCS_REPLY_VALUE = {**DOCS_COMMENT_VALUE, "parent_id": "17865799348089038"}
# "Webhooks for Instagram Messaging" (developers.facebook.com/docs/instagram-messaging/
# webhooks), a text message: entry {id, time, messaging: [{sender: {id}, recipient: {id},
# timestamp, message: {mid, text}}]}; an echo adds "is_echo": true
DOCS_MESSAGE_ENTRY = {
    "id": "17841400000000000",
    "time": 1569262486134,
    "messaging": [
        {
            "sender": {"id": "1234567890123456"},
            "recipient": {"id": "17841400000000000"},
            "timestamp": 1569262485349,
            "message": {"mid": "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlE", "text": "hello"},
        }
    ],
}


# "Webhooks for Pages" (developers.facebook.com/docs/pages-api/webhooks-for-pages) and the Page
# webhooks reference (docs/graph-api/webhooks/reference/page), field `feed`: from {id, name},
# post_id, comment_id, parent_id (the post, for a top-level comment), created_time (int), item,
# verb, message; the `post` object as Meta's deliveries carry it (⚠ not in the reference's
# table: PLATFORMS.md's captures)
DOCS_FEED_COMMENT_VALUE = {
    "from": {"id": "6789012345678901", "name": "Jessica Miller"},
    "post": {
        "status_type": "added_video",
        "is_published": True,
        "updated_time": "2026-06-01T12:00:00+0000",
        "permalink_url": "https://www.facebook.com/107303224321009/posts/138372858596504",
        "promotion_status": "inactive",
        "id": "107303224321009_138372858596504",
    },
    "message": "This is a comment",
    "post_id": "107303224321009_138372858596504",
    "comment_id": "138372858596504_138373191929804",
    "created_time": 1780315200,
    "item": "comment",
    "parent_id": "107303224321009_138372858596504",
    "verb": "add",
}
# "Webhooks for Messenger" (docs/messenger-platform/webhooks) and the `messages` reference
# (docs/messenger-platform/reference/webhook-events/messages), a text message
DOCS_MESSENGER_ENTRY = {
    "id": "107303224321009",
    "time": 1583173667623,
    "messaging": [
        {
            "sender": {"id": "6789012345678901"},
            "recipient": {"id": "107303224321009"},
            "timestamp": 1583173666767,
            "message": {"mid": "m_toDnmD9Rp0MB8aJ7xCzR3Q", "text": "This is a text message"},
        }
    ],
}


def shape(value: Any) -> Any:
    """What a host's parser relies on: the keys, and each value's JSON type."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(v) for v in value]
    return type(value).__name__


def comment(n: int, text: str = "love this", **overrides: Any) -> WebhookInteraction:
    fields: dict[str, Any] = {
        "account_id": ACCOUNT,
        "platform": Platform.INSTAGRAM,
        "platform_id": f"in-c-{n}",
        "kind": InteractionKind.COMMENT,
        "author": Author("some_user", "Some User"),
        "text": text,
        "occurred_at": NOW,
        "content": ContentRef("in-v-1", "Leg day"),
    }
    return WebhookInteraction(**{**fields, **overrides})


def dm(n: int, *, own: bool = False) -> WebhookInteraction:
    author = Author("creator", "Creator", is_creator=True) if own else Author("fan", "A Fan")
    return WebhookInteraction(
        ACCOUNT, Platform.INSTAGRAM, f"in-dm-{n}", InteractionKind.DM, author, "hello", NOW,
        conversation_id="in-conv-1",
    )  # fmt: skip


def test_a_comment_and_a_reply_have_the_fields_of_metas_examples_and_numeric_ids() -> None:
    top = meta.comment_change(comment(1), IG_USER)
    reply = meta.comment_change(comment(2, in_reply_to="in-c-1"), IG_USER)
    assert top["field"] == "comments"
    assert shape(top["value"]) == shape(DOCS_COMMENT_VALUE)
    assert shape(reply["value"]) == shape(DOCS_REPLY_VALUE)
    assert reply["value"]["parent_id"] == top["value"]["id"]
    assert reply["value"]["media"] == top["value"]["media"]
    ids = [top["value"]["id"], top["value"]["from"]["id"], top["value"]["media"]["id"]]
    assert all(i.isdigit() and 17 <= len(i) <= 19 and int(i) < 2**63 for i in ids)
    assert len(set(ids)) == 3


def test_the_accounts_own_comment_is_from_its_ig_user_id() -> None:
    creator = Author("creator", "Creator", is_creator=True)
    own = meta.comment_change(comment(3, author=creator, in_reply_to="in-c-1"), IG_USER)
    assert own["value"]["from"] == {"id": IG_USER, "username": "creator"}


def test_a_message_and_its_echo_have_the_fields_of_metas_example() -> None:
    body = meta.envelope([dm(1), dm(2, own=True)], {str(ACCOUNT): IG_USER}, NOW)
    assert body["object"] == "instagram"
    [entry] = body["entry"]
    assert shape({**entry, "messaging": entry["messaging"][:1]}) == shape(DOCS_MESSAGE_ENTRY)
    fan, echo = entry["messaging"]
    assert echo["message"]["is_echo"] is True
    assert "is_echo" not in fan["message"]
    assert (fan["sender"], fan["recipient"]) == (echo["recipient"], echo["sender"])
    assert fan["recipient"] == {"id": IG_USER}
    assert entry["time"] == int(NOW.timestamp() * 1000)  # milliseconds in messaging
    assert fan["message"]["mid"] != echo["message"]["mid"]


def test_items_are_grouped_in_an_entry_per_account_and_kind_in_seconds_for_changes() -> None:
    other = uuid.UUID("00000000-0000-4000-8000-0000000000a2")
    users = {str(ACCOUNT): IG_USER, str(other): native_id("ig-user", str(other))}
    body = meta.envelope([comment(1), dm(1), comment(2, account_id=other), comment(3)], users, NOW)
    assert [(e["id"], len(e.get("changes", e.get("messaging", [])))) for e in body["entry"]] == [
        (IG_USER, 2), (IG_USER, 1), (users[str(other)], 1),
    ]  # fmt: skip
    assert body["entry"][0]["time"] == int(NOW.timestamp())


def test_the_signature_covers_the_exact_bytes_with_non_ascii_escaped_as_meta_sends_them() -> None:
    body = meta.dumps(meta.envelope([comment(1, "äöå 🔥")], {str(ACCOUNT): IG_USER}, NOW))
    assert b"\\u00e4\\u00f6\\u00e5 \\ud83d\\udd25" in body
    assert body.isascii()
    header = meta.signature(SECRET, body)
    # the host's check, from "Event Notifications": HMAC-SHA256 of the payload, app secret
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert header == expected
    meta.verify(SECRET, body, header)
    # a host that re-serialises before checking gets another digest: the bytes are what count
    reserialised = json.dumps(json.loads(body), ensure_ascii=False).encode()
    with pytest.raises(InvalidSignatureError, match="does not match"):
        meta.verify(SECRET, reserialised, header)
    with pytest.raises(InvalidSignatureError, match="does not match"):
        meta.verify("another-secret", body, header)
    with pytest.raises(InvalidSignatureError, match="missing or malformed"):
        meta.verify(SECRET, body, None)


def test_ids_are_stable_and_fit_a_64_bit_integer() -> None:
    assert native_id("comment", "in-c-1") == native_id("comment", "in-c-1")
    assert native_id("comment", "in-c-1") != native_id("media", "in-c-1")
    assert int(native_id("comment", "in-c-1")) < 2**63


def test_a_host_reads_back_comments_replies_messages_and_echoes_as_they_were() -> None:
    creator = Author("creator", "Creator", is_creator=True)
    sent = [
        comment(1, "äöå 🔥"),
        comment(2, "thanks!", author=creator, in_reply_to="in-c-1"),
        dm(1),
        dm(2, own=True),
    ]
    body = meta.dumps(meta.envelope(sent, {str(ACCOUNT): IG_USER}, NOW))
    got = meta.read(json.loads(body), {IG_USER: ACCOUNT}.get)
    assert [(i.kind, i.text, i.author.is_creator) for i in got] == [
        (s.kind, s.text, s.author.is_creator) for s in sent
    ]
    top, reply, message, echo = got
    assert reply.in_reply_to == top.platform_id
    assert top.content == reply.content
    assert message.conversation_id == echo.conversation_id
    assert echo.author.handle == IG_USER
    assert all(i.account_id == ACCOUNT and i.is_demo for i in got)
    assert message.occurred_at == NOW
    # an entry of an account this host does not know is left out
    assert meta.read(json.loads(body), {}.get) == []


@pytest.mark.parametrize(
    "payload",
    [
        {"object": "user", "entry": []},
        {"object": "instagram"},
        {"object": "page",
         "entry": [{"id": IG_USER, "time": 1, "changes": [{"field": "feed", "value": {}}]}]},
        {"object": "instagram",
         "entry": [{"id": IG_USER, "time": 1, "changes": [{"field": "comments"}]}]},
        {"object": "instagram",
         "entry": [{"id": IG_USER, "messaging": [{"message": {"mid": "m"}}]}]},
        [],
    ],
)  # fmt: skip
def test_a_payload_not_as_documented_is_refused_saying_so(payload: Any) -> None:
    with pytest.raises(meta.MetaPayloadError):
        meta.read(payload, {IG_USER: ACCOUNT}.get)


def test_text_postgresql_cannot_hold_is_refused_naming_it() -> None:
    body = meta.envelope([comment(1, "nul \x00 here")], {str(ACCOUNT): IG_USER}, NOW)
    with pytest.raises(meta.MetaPayloadError, match=r"text of .*NUL"):
        meta.read(body, {IG_USER: ACCOUNT}.get)


def page_comment(n: int, text: str = "love this", **overrides: Any) -> WebhookInteraction:
    fields = {"platform": Platform.FACEBOOK, "platform_id": f"fb-c-{n}",
              "author": Author("jessicamiller", "Jessica Miller"),
              "content": ContentRef("fb-v-1", "Leg day")}  # fmt: skip
    return comment(n, text, **{**fields, **overrides})


def page_dm(n: int, *, own: bool = False) -> WebhookInteraction:
    return replace(dm(n, own=own), platform=Platform.FACEBOOK, platform_id=f"fb-dm-{n}")


def test_a_page_comment_and_reply_have_the_fields_of_the_feed_reference() -> None:
    top = meta.feed_change(page_comment(1), IG_USER)
    reply = meta.feed_change(page_comment(2, in_reply_to="fb-c-1"), IG_USER)
    assert top["field"] == "feed"
    assert shape(top["value"]) == shape(DOCS_FEED_COMMENT_VALUE)
    assert shape(reply["value"]) == shape(DOCS_FEED_COMMENT_VALUE)
    value = top["value"]
    assert (value["item"], value["verb"], value["message"]) == ("comment", "add", "love this")
    assert value["from"]["name"] == "Jessica Miller"  # Facebook says name, not username
    # ids as Graph's: the post "{page-id}_{n}", a comment "{post's n}_{n}"
    page, _, post = value["post_id"].partition("_")
    assert page == IG_USER
    assert post.isdigit()
    assert value["comment_id"].startswith(f"{post}_")
    assert value["parent_id"] == value["post_id"]  # a top-level comment's parent: its post
    assert reply["value"]["parent_id"] == value["comment_id"]
    assert value["post"]["id"] == value["post_id"]
    assert value["created_time"] == int(NOW.timestamp())  # seconds


def test_the_pages_own_comment_is_from_the_page() -> None:
    creator = Author("coach.kim", "Kim Novak", is_creator=True)
    own = meta.feed_change(page_comment(3, author=creator, in_reply_to="fb-c-1"), IG_USER)
    assert own["value"]["from"] == {"id": IG_USER, "name": "Kim Novak"}


def test_a_pages_messages_and_echoes_come_as_messengers_under_the_page_object() -> None:
    body = meta.envelope([page_dm(1), page_dm(2, own=True)], {str(ACCOUNT): IG_USER}, NOW)
    assert body["object"] == "page"
    [entry] = body["entry"]
    assert shape({**entry, "messaging": entry["messaging"][:1]}) == shape(DOCS_MESSENGER_ENTRY)
    fan, echo = entry["messaging"]
    assert echo["message"]["is_echo"] is True
    assert fan["message"]["mid"].startswith("m_")  # Messenger's, not Instagram's base64
    assert fan["recipient"] == {"id": IG_USER}


def test_one_post_carries_one_object() -> None:
    with pytest.raises(ValueError, match="one object"):
        meta.envelope([comment(1), page_comment(2)], {str(ACCOUNT): IG_USER}, NOW)


def test_a_host_reads_back_a_pages_comments_replies_and_messages_and_skips_other_feed_items() -> (
    None
):
    creator = Author("coach.kim", "Kim Novak", is_creator=True)
    sent = [
        page_comment(1, "äöå 🔥"),
        page_comment(2, "thanks!", author=creator, in_reply_to="fb-c-1"),
        page_dm(1),
        page_dm(2, own=True),
    ]
    body = json.loads(meta.dumps(meta.envelope(sent, {str(ACCOUNT): IG_USER}, NOW)))
    # a reaction and an edit, as the feed reference lists them: not new inbox items
    reaction = {"field": "feed", "value": {**DOCS_FEED_COMMENT_VALUE, "item": "reaction",
                                           "reaction_type": "like"}}  # fmt: skip
    edited = {"field": "feed", "value": {**DOCS_FEED_COMMENT_VALUE, "verb": "edited"}}
    body["entry"][0]["changes"] += [reaction, edited]
    got = meta.read(body, {IG_USER: ACCOUNT}.get)
    assert [(i.platform, i.kind, i.text, i.author.is_creator) for i in got] == [
        (Platform.FACEBOOK, s.kind, s.text, s.author.is_creator) for s in sent
    ]
    top, reply, message, echo = got
    assert top.in_reply_to is None
    assert reply.in_reply_to == top.platform_id
    assert top.author.display_name == "Jessica Miller"
    assert top.occurred_at == NOW
    assert top.content is not None
    assert top.content.platform_id.startswith(f"{IG_USER}_")
    assert message.conversation_id == echo.conversation_id


def test_a_native_pages_ids_are_made_in_graphs_forms() -> None:
    post = native_platform_id("v", "a:1", IG_USER, Platform.FACEBOOK)
    comment_id = native_platform_id("c", "a:2", IG_USER, Platform.FACEBOOK, post)
    mid = native_platform_id("dm", "a:3", IG_USER, Platform.FACEBOOK)
    assert post.startswith(f"{IG_USER}_")
    assert post.replace("_", "").isdigit()
    assert comment_id.startswith(post.partition("_")[2] + "_")
    assert mid.startswith("m_")
    assert len(mid) > 40
    # Instagram's stay as they were
    assert native_platform_id("v", "a:1", IG_USER).isdigit()
    assert not native_platform_id("dm", "a:3", IG_USER).startswith("m_")
