"""TikTok's webhook dialect against TikTok's own pages: the envelope of "Webhook Events"
(developers.tiktok.com/doc/webhooks-events), and the signature of "Check the signature"
(developers.tiktok.com/doc/webhooks-verification), checked as a host checks it: an HMAC-SHA256
of "<t>.<raw body>" keyed with the client secret, the timestamp not too old."""

import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from app.adapters.platforms.tiktok import webhooks as tiktok
from app.domain.generation.happenings import event
from app.domain.inbox import Author, ContentRef, InteractionKind, Platform, WebhookInteraction
from app.domain.lifecycle import EventType
from app.domain.platforms import native_platform_id, tiktok_open_id
from app.services.ports import InvalidSignatureError

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
ACCOUNT = uuid.UUID("00000000-0000-4000-8000-0000000000b2")
OPEN_ID = tiktok_open_id(str(ACCOUNT))
KEY, SECRET = "bwo2m45353a6k85", "the-client-secret"
# "Webhook Events": the example payload's keys and types ("content": a serialized JSON string)
DOCS_EXAMPLE = {
    "client_key": "bwo2m45353a6k85",
    "event": "authorization.removed",
    "create_time": 1615338610,
    "user_openid": "act.example12345Example12345Example",
    "content": '{"reason": 1 }',
}
VIDEO = native_platform_id("v", "video-1", OPEN_ID, Platform.TIKTOK)


def comment(n: int, parent: str | None = None, creator: bool = False) -> WebhookInteraction:
    return WebhookInteraction(
        account_id=ACCOUNT,
        platform=Platform.TIKTOK,
        platform_id=native_platform_id("c", f"comment-{n}", OPEN_ID, Platform.TIKTOK),
        kind=InteractionKind.COMMENT,
        author=Author("owner" if creator else f"fan{n}", "Fan", creator),
        text=f"comment {n} ✨",
        occurred_at=NOW - timedelta(minutes=n),
        content=ContentRef(VIDEO),
        is_demo=True,
        in_reply_to=parent,
    )


def test_an_event_has_the_documented_envelope_its_content_a_json_string() -> None:
    top = comment(1)
    reply = comment(2, parent=top.platform_id)
    for item in (top, reply):
        body = tiktok.comment_event(item, KEY, OPEN_ID)
        assert list(body) == list(DOCS_EXAMPLE)
        assert {k: type(v) for k, v in body.items()} == {
            k: type(v) for k, v in DOCS_EXAMPLE.items()
        }
        assert (body["client_key"], body["event"], body["user_openid"]) == (
            KEY,
            "comment.update",
            OPEN_ID,
        )
        content = json.loads(body["content"])
        assert content["comment_id"] == item.platform_id
        assert content["video_id"] == VIDEO
        assert content["comment_action"] == "insert"
        assert content["text"] == item.text
        assert content["timestamp"] == body["create_time"] == int(item.occurred_at.timestamp())
    assert json.loads(tiktok.comment_event(top, KEY, OPEN_ID)["content"])["comment_type"] == (
        "comment"
    )
    replied = json.loads(tiktok.comment_event(reply, KEY, OPEN_ID)["content"])
    assert (replied["comment_type"], replied["parent_comment_id"]) == ("reply", top.platform_id)
    # ids as TikTok's: 64-bit numbers as strings
    assert VIDEO.isdigit()
    assert len(VIDEO) == 19
    assert int(VIDEO) < 2**63


def test_what_happened_to_a_comment_is_its_action_and_read_files_new_comments_only() -> None:
    top = comment(1)
    owner = Author("owner", "Owner", True)
    hidden = event(top, EventType.HIDE, owner, NOW, 0)
    removed = event(top, EventType.REMOVE, top.author, NOW, 1)
    actions = {
        json.loads(tiktok.comment_event(i, KEY, OPEN_ID)["content"])["comment_action"]
        for i in (top, hidden, removed)
    }
    assert actions == {"insert", "set_to_hidden", "delete"}
    told = json.loads(tiktok.comment_event(hidden, KEY, OPEN_ID)["content"])
    assert (told["comment_id"], told["comment_type"]) == (top.platform_id, "comment")

    def known(open_id: str) -> uuid.UUID | None:
        return ACCOUNT if open_id == OPEN_ID else None

    [filed] = tiktok.read(tiktok.comment_event(top, KEY, OPEN_ID), known)
    assert (filed.platform_id, filed.text, filed.content) == (
        top.platform_id,
        top.text,
        top.content,
    )
    assert filed.author.handle == "fan1"
    assert not filed.author.is_creator
    own = tiktok.read(tiktok.comment_event(comment(3, top.platform_id, True), KEY, OPEN_ID), known)
    assert own[0].author.is_creator
    assert own[0].in_reply_to == top.platform_id
    assert tiktok.read(tiktok.comment_event(hidden, KEY, OPEN_ID), known) == []
    assert tiktok.read(DOCS_EXAMPLE, known) == []  # another event: nothing to file
    assert tiktok.read(tiktok.comment_event(top, KEY, "act.unknown"), known) == []
    with pytest.raises(tiktok.TikTokPayloadError, match="content is missing"):
        tiktok.read({k: v for k, v in DOCS_EXAMPLE.items() if k != "content"}, known)
    broken = {**tiktok.comment_event(top, KEY, OPEN_ID), "content": '{"comment_action": "insert"}'}
    with pytest.raises(tiktok.TikTokPayloadError, match="not TikTok's webhook"):
        tiktok.read(broken, known)


def test_the_signature_is_checked_as_the_page_says_over_the_raw_bytes() -> None:
    body = tiktok.dumps(tiktok.comment_event(comment(1), KEY, OPEN_ID))
    at = int(NOW.timestamp())
    header = tiktok.signature(SECRET, body, at)
    # "Step 1: Extract the timestamp and signatures from the header", "Step 2: … concatenating
    # the timestamp as a string, the character ., the actual JSON payload", HMAC-SHA256
    elements = dict(e.split("=", 1) for e in header.split(","))
    expected = hmac.new(SECRET.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    assert elements == {"t": str(at), "s": expected}
    tiktok.verify(SECRET, body, header, NOW + timedelta(seconds=60))
    for wrong, why in (
        ((SECRET, body + b" ", header, NOW), "does not match"),
        (("another-secret", body, header, NOW), "does not match"),
        ((SECRET, body, None, NOW), "missing or malformed"),
        ((SECRET, body, "s=abc", NOW), "missing or malformed"),
        ((SECRET, body, header, NOW + timedelta(minutes=6)), "more than 300 s"),
    ):
        with pytest.raises(InvalidSignatureError, match=why):
            tiktok.verify(*wrong)


def test_events_go_in_waves_each_after_the_one_carrying_what_it_is_about() -> None:
    """Several POSTs at once, yet a host meets a comment before its replies and its events."""
    from app.adapters.platforms.tiktok.sender import waves

    top, other = comment(1), comment(2)
    reply = comment(3, parent=top.platform_id)
    hidden = event(reply, EventType.HIDE, Author("owner", "Owner", True), NOW, 0)
    outside = comment(4, parent="7000000000000000009")  # its parent went in an earlier batch
    rounds = waves([top, reply, other, hidden, outside])
    assert [[i.platform_id for i in r] for r in rounds] == [
        [top.platform_id, other.platform_id, outside.platform_id],
        [reply.platform_id],
        [hidden.platform_id],
    ]
