"""Meta's webhook dialect against Meta's own examples, field by field, and its signature over
the exact bytes sent, checked as a host checks it: `hmac` over the raw body, keyed with the app
secret."""

import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from app.adapters.platforms.meta import webhooks as meta
from app.domain.inbox import Author, ContentRef, InteractionKind, Platform, WebhookInteraction
from app.domain.platforms import native_id
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
        {"object": "page", "entry": []},
        {"object": "instagram"},
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
