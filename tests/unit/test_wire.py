"""The webhook contract: what the sender dumps is what the receiver loads, field for field."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from marshmallow import ValidationError

from app.adapters.webhooks.wire import EventType, dump_batch, load_batch
from app.domain.errors import InvalidInteractionError
from app.domain.inbox import Author, ContentRef, InteractionKind, Platform, WebhookInteraction
from helpers import incoming

AT = datetime(2026, 5, 1, 10, tzinfo=UTC)


def test_a_batch_round_trips_through_json() -> None:
    account = uuid.uuid4()
    items = [
        incoming("c1", account, AT),
        incoming("d1", account, AT - timedelta(hours=1), kind=InteractionKind.DM),
    ]
    body = json.loads(json.dumps(dump_batch(items)))
    assert body["type"] == EventType.INTERACTIONS_CREATED.value
    assert body["data"][1]["content"] is None
    assert load_batch(body) == items


def test_an_offset_is_read_as_the_same_instant_in_utc() -> None:
    body = dump_batch([incoming("c1", uuid.uuid4(), AT)])
    body["data"][0]["occurred_at"] = "2026-05-01T12:00:00+02:00"
    (item,) = load_batch(body)
    assert item.occurred_at == AT
    assert item.occurred_at.tzinfo is UTC


def test_the_entity_keeps_comments_on_content_and_dms_off_it() -> None:
    with pytest.raises(InvalidInteractionError, match="must name the content"):
        WebhookInteraction(
            uuid.uuid4(), Platform.YOUTUBE, "c", InteractionKind.COMMENT, Author("a", "A"), "t", AT
        )
    with pytest.raises(InvalidInteractionError, match="not on any content"):
        WebhookInteraction(
            uuid.uuid4(), Platform.YOUTUBE, "d", InteractionKind.DM, Author("a", "A"), "t", AT,
            content=ContentRef("v"),
        )  # fmt: skip


def test_the_receiver_names_the_field_the_entity_refused() -> None:
    body = dump_batch([incoming("c1", uuid.uuid4(), AT)])
    body["data"][0]["content"] = None
    with pytest.raises(ValidationError) as refused:
        load_batch(body)
    assert refused.value.messages == {
        "data": {0: {"content": ["a comment must name the content it is on"]}}
    }


def test_an_unknown_event_type_is_refused() -> None:
    body = dump_batch([incoming("c1", uuid.uuid4(), AT)])
    body["type"] = "interactions.deleted"
    with pytest.raises(ValidationError, match="type"):
        load_batch(body)
