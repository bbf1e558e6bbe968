"""Lifecycle events (issue 24): only what a platform sends, each item's events in an order that
can happen, and their webhooks field by field beside Meta's examples."""

import json
import uuid
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.adapters.platforms.meta import webhooks as meta
from app.adapters.webhooks.routing import RoutingSender
from app.domain.delivery import DeliveryStatus, OutboxInteraction
from app.domain.demo import Delivery, DemoProfile, DemoSizes, DmFrequency, Persona
from app.domain.generation import generate_demo, generate_tick
from app.domain.generation.happenings import event
from app.domain.inbox import Author, ContentRef, InteractionKind, Platform, WebhookInteraction
from app.domain.lifecycle import (
    MOST_EDITS,
    EventType,
    ImpossibleEventError,
    ItemState,
    Lifecycle,
    sends,
)
from app.domain.platforms import native_id
from fakes import AcceptingReceiver
from helpers import no_creators

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
ACCOUNT = uuid.UUID("00000000-0000-4000-8000-0000000000b1")
USER = native_id("ig-user", str(ACCOUNT))
FAN = Author("some_user", "Some User")

# "Webhooks for Instagram Messaging" (developers.facebook.com/docs/instagram-platform/
# instagram-api-with-instagram-login/webhooks, and docs/messenger-platform/instagram/features/
# webhook): the messaging items of message_reactions, messaging_seen, an unsent message
# (messages, `is_deleted`) and message_edit, placeholders typed as the reference gives them
DOCS = {
    "react": {"sender": {"id": "1234"}, "recipient": {"id": "5678"}, "timestamp": 1458692752478,
              "reaction": {"mid": "aWdf", "action": "react", "reaction": "love",
                           "emoji": "\u2764\ufe0f"}},
    "unreact": {"sender": {"id": "1234"}, "recipient": {"id": "5678"},
                "timestamp": 1458692752478, "reaction": {"mid": "aWdf", "action": "unreact"}},
    "read": {"sender": {"id": "1234"}, "recipient": {"id": "5678"}, "timestamp": 1458692752478,
             "read": {"mid": "aWdf"}},
    "unsend": {"sender": {"id": "1234"}, "recipient": {"id": "5678"},
               "timestamp": 1458692752478, "message": {"mid": "aWdf", "is_deleted": True}},
    "message_edit": {"sender": {"id": "1234"}, "recipient": {"id": "5678"},
                     "timestamp": 1458692752478,
                     "message_edit": {"mid": "aWdf", "text": "hello!", "num_edit": 1}},
}  # fmt: skip
# the Page webhooks reference, field `feed`, a comment edited (its new `message`) and removed
DOCS_FEED = {
    "edited": {"from": {"id": "1", "name": "A"}, "post": {}, "message": "new words",
               "post_id": "1_2", "comment_id": "2_3", "created_time": 1, "item": "comment",
               "parent_id": "1_2", "verb": "edited"},
    "remove": {"from": {"id": "1", "name": "A"}, "post": {}, "post_id": "1_2",
               "comment_id": "2_3", "created_time": 1, "item": "comment", "parent_id": "1_2",
               "verb": "remove"},
}  # fmt: skip


def shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items() if k != "post"}
    return type(value).__name__


def native(platform: Platform, persona: Persona = Persona.BEAUTY, seed: int = 1) -> DemoProfile:
    return DemoProfile(
        account_id=uuid.UUID(int=seed), platform=platform, persona=persona,
        dm_frequency=DmFrequency.MEDIUM, seed=seed, locale="en_US", sizes=DemoSizes(),
        enabled_at=NOW, delivery=Delivery.NATIVE, access_token="t",
    )  # fmt: skip


def message(n: int, *, own: bool = False) -> WebhookInteraction:
    author = Author("creator", "Creator", is_creator=True) if own else FAN
    return WebhookInteraction(
        ACCOUNT, Platform.INSTAGRAM, f"in-dm-{n}", InteractionKind.DM, author, "hello", NOW,
        conversation_id="in-conv-1",
    )  # fmt: skip


def page_comment(n: int, parent: str | None = None) -> WebhookInteraction:
    return WebhookInteraction(
        ACCOUNT, Platform.FACEBOOK, f"fb-c-{n}", InteractionKind.COMMENT, FAN, "love it", NOW,
        content=ContentRef("fb-v-1"), in_reply_to=parent,
    )  # fmt: skip


# --- the state machine ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "then"),
    [
        ((EventType.UNSEND,), EventType.REACT),  # no reaction to an unsent message
        ((EventType.UNSEND,), EventType.MESSAGE_EDIT),
        ((EventType.REMOVE,), EventType.EDITED),  # no edit after a delete
        ((EventType.REMOVE,), EventType.HIDE),
        ((), EventType.UNREACT),  # no unreaction without a reaction
        ((EventType.REACT,), EventType.REACT),
        ((EventType.HIDE,), EventType.HIDE),
        ((), EventType.UNHIDE),
        ((EventType.MESSAGE_EDIT,) * MOST_EDITS, EventType.MESSAGE_EDIT),  # 5 edits at most
    ],
)
def test_an_event_that_cannot_happen_to_the_item_is_refused(
    before: tuple[EventType, ...], then: EventType
) -> None:
    state = ItemState()
    for e in before:
        state.apply(e)
    assert not state.allows(then)
    with pytest.raises(ImpossibleEventError):
        state.apply(then)


def test_what_can_happen_in_turn_does() -> None:
    state = ItemState()
    for e in (EventType.REACT, EventType.UNREACT, EventType.REACT, EventType.HIDE,
              EventType.UNHIDE, EventType.EDITED, EventType.EDITED, EventType.REMOVE):  # fmt: skip
        state.apply(e)
    assert state.gone
    assert state.edits == 2


def test_only_what_each_platform_sends() -> None:
    assert sends(Platform.FACEBOOK, InteractionKind.COMMENT, EventType.EDITED)
    assert not sends(Platform.INSTAGRAM, InteractionKind.COMMENT, EventType.EDITED)  # none
    assert sends(Platform.INSTAGRAM, InteractionKind.DM, EventType.UNSEND)
    assert not sends(Platform.FACEBOOK, InteractionKind.DM, EventType.MESSAGE_EDIT)
    assert not sends(Platform.YOUTUBE, InteractionKind.COMMENT, EventType.REMOVE)


# --- generated events ----------------------------------------------------------------------


@pytest.mark.parametrize("platform", [Platform.FACEBOOK, Platform.INSTAGRAM])
def test_a_native_accounts_batch_has_a_few_events_each_after_its_item_and_possible(
    platform: Platform,
) -> None:
    kinds: Counter[str] = Counter()
    for seed in range(1, 9):  # (an edited message: in half the batches)
        demo = generate_demo(native(platform, seed=seed), NOW, DemoSizes())
        items = [*demo.comments, *demo.dms]
        by_id = {i.platform_id: i for i in items if i.event is None}
        happened: dict[str, list[WebhookInteraction]] = defaultdict(list)
        for e in (i for i in items if i.event is not None):
            target = by_id[e.event.of]
            assert sends(platform, target.kind, e.event.type)
            assert target.occurred_at < e.occurred_at <= NOW
            assert e.kind is target.kind
            assert e.conversation_id == target.conversation_id
            if e.kind is InteractionKind.COMMENT:
                assert e.in_reply_to == target.platform_id  # delivered after it
                assert e.event.parent == target.in_reply_to
            happened[e.event.of].append(e)
            kinds[e.event.type.value] += 1
        for events in happened.values():
            state = ItemState()
            for e in sorted(events, key=lambda x: x.occurred_at):
                state.apply(e.event.type)  # raises if the order cannot happen
        # low rates: a few in a hundred of what they can happen to
        assert len(happened) < 0.1 * len(by_id)
        replied = {i.in_reply_to for i in by_id.values() if i.in_reply_to}
        assert all(
            e.event.of not in replied
            for es in happened.values() for e in es if e.event.type is EventType.REMOVE
        )  # fmt: skip
    expected = {"edited", "remove"} if platform is Platform.FACEBOOK else {"react", "message_edit"}
    assert expected <= set(kinds)


def test_accounts_in_demosims_own_format_get_no_events() -> None:
    own = replace(native(Platform.INSTAGRAM), delivery=Delivery.DEMOSIM, access_token=None)
    demo = generate_demo(own, NOW, DemoSizes())
    assert all(i.event is None for i in (*demo.comments, *demo.dms))
    tick = generate_tick(own, NOW, demo.content)
    assert all(i.event is None for i in tick)


def test_an_edit_keeps_the_words_and_adds_to_them() -> None:
    demo = generate_demo(native(Platform.FACEBOOK, Persona.TECH_REVIEWS), NOW, DemoSizes())
    originals = {i.platform_id: i.text for i in demo.comments if i.event is None}
    edits = [i for i in demo.comments if i.event and i.event.type is EventType.EDITED]
    assert edits
    for e in edits:
        assert e.text.startswith(originals[e.event.of] + "\n\nEdit: ")


# --- their webhooks ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["react", "unreact", "read", "unsend", "message_edit"])
def test_an_instagram_message_event_has_the_fields_of_metas_example(kind: str) -> None:
    fan_said, own_said = message(1), message(2, own=True)
    type_ = EventType(kind)
    on = own_said if type_ in (EventType.REACT, EventType.UNREACT, EventType.READ) else fan_said
    words = "hello!" if type_ is EventType.MESSAGE_EDIT else ""
    happened = event(on, type_, FAN, NOW + timedelta(minutes=3), 0, words, 1)
    body = meta.envelope([on, happened], {str(ACCOUNT): USER}, NOW)
    [entry] = body["entry"]
    item = entry["messaging"][1]
    assert shape(item) == shape(DOCS[kind])
    what = next(v for k, v in item.items() if k not in ("sender", "recipient", "timestamp"))
    assert what["mid"] == entry["messaging"][0]["message"]["mid"]  # names the message
    assert item["recipient"] == {"id": USER}  # from the person
    # and a host files none of them as a message
    assert meta.read(json.loads(meta.dumps(body)), {USER: ACCOUNT}.get)[1:] == []


@pytest.mark.parametrize("kind", ["edited", "remove"])
def test_a_page_comment_event_has_the_fields_of_the_feed_reference(kind: str) -> None:
    reply = page_comment(2, parent="fb-c-1")
    words = "love it\n\nEdit: typo" if kind == "edited" else ""
    happened = event(reply, EventType(kind), FAN, NOW + timedelta(minutes=5), 0, words, 1)
    change = meta.feed_change(happened, USER)
    said = meta.feed_change(reply, USER)
    assert shape(change["value"]) == shape(DOCS_FEED[kind])
    assert change["value"]["verb"] == kind
    assert change["value"]["comment_id"] == said["value"]["comment_id"]
    assert change["value"]["parent_id"] == said["value"]["parent_id"]
    body = meta.envelope([reply, happened], {str(ACCOUNT): USER}, NOW)
    assert len(meta.read(json.loads(meta.dumps(body)), {USER: ACCOUNT}.get)) == 1


def test_demosims_own_format_lets_events_go_unsent() -> None:
    """An account native when its events were made, and in demosim's format now: the
    format has no such thing, so they are done without being sent."""
    standard = AcceptingReceiver()
    said = message(1)
    rows = [
        OutboxInteraction(uuid.uuid4(), data, DeliveryStatus.SENDING, 0, NOW, None, None, None,
                          None)
        for data in (said, event(said, EventType.UNSEND, FAN, NOW, 0))
    ]  # fmt: skip
    assert RoutingSender(lambda: standard, lambda ids: {}, no_creators).send("msg_1", rows).ok
    assert standard.batches == [rows[:1]]
    assert RoutingSender(lambda: standard, lambda ids: {}, no_creators).send("msg_2", rows[1:]).ok
    assert len(standard.batches) == 1


def test_an_event_round_trips_as_json() -> None:
    e = Lifecycle(EventType.MESSAGE_EDIT, "mid", None, 3)
    assert Lifecycle.from_json(json.loads(json.dumps(e.as_json()))) == e
