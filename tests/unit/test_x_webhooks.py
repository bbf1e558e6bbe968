"""X's Account Activity dialect against X's own pages: the CRC and the signature of "Securing
webhooks" (a base64 HMAC-SHA256 keyed with the consumer secret, "sha256=" first), the envelopes
of "Account Activity data objects", the v1.1 Tweet object's reply fields and "Extended Tweets"'
compatibility mode, and what the reference host reads back."""

import base64
import hashlib
import hmac
import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.adapters.platforms.x import webhooks as x
from app.adapters.platforms.x.sender import XWebhookSender
from app.domain.delivery import DeliveryStatus, OutboxInteraction, SendOutcome
from app.domain.demo import native_user_id
from app.domain.generation.happenings import event
from app.domain.inbox import Author, ContentRef, InteractionKind, Platform, WebhookInteraction
from app.domain.lifecycle import EventType
from app.domain.platforms import native_platform_id
from app.services.ports import InvalidSignatureError

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
ACCOUNT = uuid.UUID("00000000-0000-4000-8000-0000000000c3")
ME = native_user_id(ACCOUNT, Platform.X)
SECRET = "z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu"  # "Securing webhooks"' example
CREATOR = Author("nataliesetup", "Natalie", True)
POST = native_platform_id("v", "post-1", ME, Platform.X)


def reply(
    n: int, parent: str | None = None, who: Author | None = None, text: str = ""
) -> WebhookInteraction:
    return WebhookInteraction(
        account_id=ACCOUNT,
        platform=Platform.X,
        platform_id=native_platform_id("c", f"reply-{n}", ME, Platform.X),
        kind=InteractionKind.COMMENT,
        author=who or Author(f"fan{n}", f"Fan {n}", False),
        text=text or f"reply {n} ✨",
        occurred_at=NOW + timedelta(minutes=n),
        content=ContentRef(POST),
        is_demo=True,
        in_reply_to=parent,
        language="pt-BR",
    )


def test_the_crc_and_the_signature_are_the_docs_recipe() -> None:
    token = "9b4507b3-9040-4669-9ca3-6b94edb50553"  # the docs' example token
    digest = hmac.new(SECRET.encode(), msg=token.encode(), digestmod=hashlib.sha256).digest()
    assert x.crc_response(SECRET, token) == {
        "response_token": "sha256=" + base64.b64encode(digest).decode()
    }
    body = b'{"for_user_id":"2244994945","tweet_create_events":[]}'
    digest = hmac.new(SECRET.encode(), msg=body, digestmod=hashlib.sha256).digest()
    assert x.signature(SECRET, body) == "sha256=" + base64.b64encode(digest).decode()
    x.verify(SECRET, body, x.signature(SECRET, body))
    for header in (None, "", "sha1=abc", x.signature("another-secret", body)):
        with pytest.raises(InvalidSignatureError):
            x.verify(SECRET, body, header)
    with pytest.raises(InvalidSignatureError):
        x.verify(SECRET, body + b" ", x.signature(SECRET, body))


def test_a_reply_opens_with_the_name_it_answers_and_a_long_one_comes_extended() -> None:
    top = reply(1)
    t = x.tweet(top, x.person_id("fan1"), (POST, ME, CREATOR.handle, CREATOR.display_name))
    assert t["text"] == "@nataliesetup reply 1 ✨"
    assert t["display_text_range"] == [len("@nataliesetup "), len(t["text"])]
    assert (t["in_reply_to_status_id_str"], t["in_reply_to_user_id_str"]) == (POST, ME)
    assert t["in_reply_to_status_id"] == int(POST)
    assert t["in_reply_to_screen_name"] == "nataliesetup"
    [mention] = t["entities"]["user_mentions"]
    assert (mention["screen_name"], mention["id_str"], mention["indices"]) == (
        "nataliesetup", ME, [0, 13],
    )  # fmt: skip
    assert (t["id_str"], t["id"]) == (top.platform_id, int(top.platform_id))
    assert t["truncated"] is False
    assert "extended_tweet" not in t
    assert t["lang"] == "pt"
    assert datetime.strptime(t["created_at"], "%a %b %d %H:%M:%S +0000 %Y").replace(
        tzinfo=UTC
    ) == top.occurred_at.replace(microsecond=0)
    assert t["timestamp_ms"] == str(int(top.occurred_at.timestamp() * 1000))

    typed = reply(2, top.platform_id, text="@fan1 same here")  # the @name typed: kept in view
    t2 = x.tweet(typed, x.person_id("fan2"), (top.platform_id, x.person_id("fan1"), "fan1", "F"))
    assert (t2["text"], t2["display_text_range"]) == ("@fan1 same here", [0, 15])

    long = reply(3, text="a" * 200)
    t3 = x.tweet(long, x.person_id("fan3"), (POST, ME, CREATOR.handle, CREATOR.display_name))
    assert t3["truncated"] is True
    assert len(t3["text"]) <= 140
    assert t3["extended_tweet"]["full_text"] == "@nataliesetup " + "a" * 200
    start, end = t3["extended_tweet"]["display_text_range"]
    assert t3["extended_tweet"]["full_text"][start:end] == "a" * 200

    mapped = replace(top, platform_id="xp-c-3f9a01")
    t4 = x.tweet(mapped, ME, None)
    assert t4["id_str"].isdigit()
    assert t4["id_str"] == x.tweet(mapped, ME, None)["id_str"]  # the same every time


def _outbox(items: list[WebhookInteraction]) -> list[OutboxInteraction]:
    return [
        OutboxInteraction(uuid.uuid4(), i, DeliveryStatus.QUEUED, 0, NOW, None, None, None, None)
        for i in items
    ]


def test_what_the_sender_posts_the_reference_host_reads_back_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    top = reply(1)
    answer = reply(2, top.platform_id, Author("nataliesetup", "Natalie", True), "@fan1 thank you!")
    deeper = reply(3, answer.platform_id, Author("fan1", "Fan 1", False), "🥹")
    message = WebhookInteraction(
        account_id=ACCOUNT, platform=Platform.X, kind=InteractionKind.DM,
        platform_id=native_platform_id("dm", "m-1", ME, Platform.X),
        author=Author("fan9", "F", False), text="hi! quick question", occurred_at=NOW, is_demo=True,
        conversation_id=native_platform_id("conv", "fan9", ME, Platform.X),
    )  # fmt: skip
    gone = event(top, EventType.REMOVE, top.author, NOW + timedelta(hours=1), 0)
    posted: list[tuple[bytes, dict[str, str]]] = []

    def post(http: object, url: str, body: bytes, headers: dict[str, str], *_: object) -> object:
        posted.append((body, headers))
        return SendOutcome(ok=True, status_code=200)

    monkeypatch.setattr("app.adapters.platforms.x.sender.post", post)
    sender = XWebhookSender("http://host.test/webhooks/x", SECRET, lambda _: CREATOR)
    assert sender.send("msg_1", _outbox([top, answer, deeper, message, gone])).ok
    payloads = [json.loads(body) for body, _ in posted]
    assert [sorted(set(p) - {"for_user_id", "users"}) for p in payloads] == [
        ["tweet_create_events"], ["direct_message_events"], ["tweet_delete_events"],
    ]  # fmt: skip
    for body, headers in posted:
        x.verify(SECRET, body, headers[x.SIGNATURE_HEADER])
    assert {p["for_user_id"] for p in payloads} == {ME}
    assert payloads[2]["tweet_delete_events"][0]["status"]["id"] == top.platform_id
    [dm] = payloads[1]["direct_message_events"]
    assert dm["message_create"]["sender_id"] == message.conversation_id
    assert dm["message_create"]["target"]["recipient_id"] == ME
    assert set(payloads[1]["users"]) == {ME, message.conversation_id}

    read = [
        i for p in payloads for i in x.read(p, lambda u: ACCOUNT if u == ME else None,
                                            lambda a, s: {})
    ]  # fmt: skip
    got = [(i.platform_id, i.text, i.in_reply_to, i.content, i.author.is_creator) for i in read]
    assert got == [
        (top.platform_id, top.text, None, ContentRef(POST), False),
        (answer.platform_id, answer.text, top.platform_id, ContentRef(POST), True),
        (deeper.platform_id, deeper.text, answer.platform_id, ContentRef(POST), False),
        (message.platform_id, message.text, None, None, False),
    ]  # fmt: skip
    assert read[3].conversation_id == message.conversation_id
    assert x.read(payloads[0], lambda u: None, lambda a, s: {}) == []  # another's account
    with pytest.raises(x.XPayloadError, match="for_user_id"):
        x.read({"tweet_create_events": []}, lambda u: ACCOUNT, lambda a, s: {})
