"""The webhook contract: what the sender dumps is what the receiver loads, field for field."""

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from app.adapters.webhooks.wire import EventType, PayloadSchema, _compiled, dump_batch, load_message
from app.domain.errors import InvalidInteractionError
from app.domain.inbox import (
    Author,
    ContentRef,
    IngestedItem,
    IngestResult,
    IngestStatus,
    Intent,
    InteractionKind,
    Platform,
    Sentiment,
    WebhookInteraction,
)
from app.entrypoints.http.receiver import _parsed
from app.entrypoints.http.schemas import IngestResultSchema, dump_ingest_result
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
    assert load_message(body) == (EventType.INTERACTIONS_CREATED, items)


def test_an_offset_is_read_as_the_same_instant_in_utc() -> None:
    body = dump_batch([incoming("c1", uuid.uuid4(), AT)])
    body["data"][0]["occurred_at"] = "2026-05-01T12:00:00+02:00"
    _, (item,) = load_message(body)
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
        load_message(body)
    assert refused.value.messages == {
        "data": {0: {"content": ["a comment must name the content it is on"]}}
    }


def test_an_unknown_event_type_is_refused() -> None:
    body = dump_batch([incoming("c1", uuid.uuid4(), AT)])
    body["type"] = "interactions.deleted"
    with pytest.raises(ValidationError, match="type"):
        load_message(body)


# --- the compiled reader and the schema agree ----------------------------------------------

_SCHEMA = PayloadSchema()
_ODD_TEXT = ["", "x", "x" * 255, "x" * 256, "a\x00b", "\ud800", "é", 5, None, True, [], {}]
_FIELD_VALUES: dict[str, list[object]] = {
    "account_id": [
        str(uuid.uuid4()),
        uuid.uuid4().hex,
        "{" + str(uuid.uuid4()) + "}",
        "nope",
        7,
        None,
    ],
    "platform": ["youtube", "instagram", "tiktok", "YouTube", "myspace", 1, None],
    "platform_id": _ODD_TEXT,
    "kind": ["comment", "dm", "post", None, 0],
    "text": ["", "hello", "x" * 10_000, "x" * 10_001, "a\x00", "\udfff", None, 3],
    "occurred_at": [
        "2026-05-01T10:00:00+00:00",
        "2026-05-01T10:00:00Z",
        "2026-05-01T10:00:00",
        "2026-05-01",
        "2026-05-01T10:00:00.123456-07:30",
        "1899-12-31T23:59:59+00:00",
        "2199-12-31T23:59:59Z",
        "2200-01-01T00:00:00Z",
        "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:59:59-05:00",
        "yesterday",
        1700000000,
        None,
    ],
    "content": [
        None,
        {"platform_id": "v1", "title": "T"},
        {"platform_id": "v1"},
        {"platform_id": "", "title": "T"},
        {"platform_id": "v1", "title": None},
        {"platform_id": "v1", "title": "t" * 1001},
        {"platform_id": "v1", "x": 1},
        "v1",
        [],
    ],
    "intent": [None, "praise", "question", "other", "Praise", 1],
    "sentiment": [None, "positive", "negative", "meh", False],
    "is_demo": [True, False, None, 1, 0, "true"],
    "in_reply_to": [None, *_ODD_TEXT],
    "conversation_id": [None, "conv-1", "", "x" * 256],
    "topic": [None, "Pixel 9", "", 5],
    "language": [None, "en", "pt-BR", "EN", "english", "", "zh-Hant-TW", 1],
    "author": [
        {"handle": "a", "display_name": "A"},
        {"handle": "a", "display_name": "A", "is_creator": True},
        {"handle": "", "display_name": "A"},
        {"handle": "a"},
        {"handle": "a", "display_name": "A", "x": 1},
        {"handle": "a", "display_name": "A", "is_creator": "yes"},
        {"handle": "a\x00", "display_name": "A"},
        None,
        "a",
    ],
}


def _schema_result(payload: object) -> object:
    try:
        return _SCHEMA.load(payload)["data"]  # type: ignore[arg-type]
    except ValidationError:
        return "invalid"


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_the_compiled_reader_agrees_with_the_schema(data: st.DataObject) -> None:
    """Whatever the compiled reader takes, it reads as the schema does; what the schema refuses,
    it leaves to the schema (so the error names the field)."""
    items = []
    for n in range(data.draw(st.integers(1, 3))):
        item: dict[str, object] = {
            "account_id": str(uuid.uuid4()), "platform": "youtube", "platform_id": f"p{n}",
            "kind": "comment", "author": {"handle": "fan", "display_name": "Fan"}, "text": "hi",
            "occurred_at": "2026-05-01T10:00:00+00:00", "content": {"platform_id": "v"},
        }  # fmt: skip
        for name in data.draw(st.lists(st.sampled_from(sorted(_FIELD_VALUES)), max_size=4)):
            if data.draw(st.booleans()) and name not in ("account_id", "platform_id"):
                item.pop(name, None)
            else:
                item[name] = data.draw(st.sampled_from(_FIELD_VALUES[name]))
        if data.draw(st.booleans()):
            item["extra"] = "senders may add fields"
        items.append(item)
    payload = {"type": data.draw(st.sampled_from(["interactions.created", "other"])), "data": items}
    expected = _schema_result(payload)
    compiled = _compiled(payload)
    if expected == "invalid":
        assert compiled is None
    elif compiled is not None:
        assert compiled == expected


_TEXTS = st.text(min_size=1, max_size=12)
_OPTIONAL = st.none() | _TEXTS


@settings(max_examples=300, deadline=None)
@given(
    st.builds(
        WebhookInteraction,
        account_id=st.uuids(),
        platform=st.sampled_from(Platform),
        platform_id=_TEXTS,
        kind=st.just(InteractionKind.COMMENT),
        author=st.builds(Author, handle=_TEXTS, display_name=_TEXTS, is_creator=st.booleans()),
        text=st.text(max_size=30),
        occurred_at=st.datetimes(
            min_value=datetime(1900, 1, 1),  # noqa: DTZ001 (hypothesis bounds are naive)
            max_value=datetime(2199, 1, 1),  # noqa: DTZ001
            timezones=st.timezones(),
        ),
        content=st.builds(ContentRef, platform_id=_TEXTS, title=_OPTIONAL),
        intent=st.none() | st.sampled_from(Intent),
        sentiment=st.none() | st.sampled_from(Sentiment),
        is_demo=st.booleans(),
        in_reply_to=st.none() | st.just("the-parent"),
        topic=_OPTIONAL,
        language=st.none() | st.sampled_from(["en", "pt-BR"]),
    ),
    st.builds(
        WebhookInteraction,
        account_id=st.uuids(),
        platform=st.sampled_from(Platform),
        platform_id=_TEXTS,
        kind=st.just(InteractionKind.DM),
        author=st.builds(Author, handle=_TEXTS, display_name=_TEXTS, is_creator=st.booleans()),
        text=st.text(max_size=30),
        occurred_at=st.datetimes(timezones=st.just(UTC)),
        conversation_id=_OPTIONAL,
    ),
)
def test_the_generated_dump_is_the_schemas(
    comment: WebhookInteraction, dm: WebhookInteraction
) -> None:
    """The generated dump gives what the schema's dump gives, keys in its order."""
    payload = {"type": EventType.INTERACTIONS_CREATED, "data": [comment, dm]}
    expected = _SCHEMA.dump(payload)
    dumped = dump_batch([comment, dm])
    assert dumped == expected
    assert [list(i) for i in dumped["data"]] == [list(i) for i in expected["data"]]
    assert json.dumps(dumped) == json.dumps(expected)


def test_the_compiled_reader_takes_what_the_generator_sends() -> None:
    from app.domain.demo import DemoProfile, DemoSizes, DmFrequency, Persona
    from app.domain.generation import generate_demo

    profile = DemoProfile(uuid.uuid4(), Platform.TIKTOK, Persona.BEAUTY, DmFrequency.HIGH, 3,
                          "pt_BR", DemoSizes(), AT)  # fmt: skip
    made = generate_demo(profile, AT, DemoSizes(content=5, comments=300, dms=100))
    items = [*made.comments, *made.dms]
    for start in range(0, len(items), 500):
        body = json.loads(json.dumps(dump_batch(items[start : start + 500])))
        assert _compiled(body) == items[start : start + 500]  # the fast path, not the schema


@settings(max_examples=100, deadline=None)
@given(
    st.builds(
        IngestResult,
        webhook_id=st.text(max_size=40),
        replayed=st.booleans(),
        items=st.lists(
            st.builds(
                IngestedItem,
                platform_id=st.text(max_size=20),
                id=st.uuids(),
                status=st.sampled_from(IngestStatus),
            ),
            max_size=5,
        ).map(tuple),
    )
)
def test_the_receivers_generated_answer_is_the_schemas(result: IngestResult) -> None:
    expected = IngestResultSchema().dump(result)
    assert dump_ingest_result(result) == expected
    assert json.dumps(dump_ingest_result(result)) == json.dumps(expected)  # keys in its order


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_json_values, st.sampled_from([{}, {"ensure_ascii": False}]))
def test_the_receiver_reads_a_body_as_json_does(value: object, dumps: dict[str, bool]) -> None:
    """orjson's fast path or json's, the same payload (integers past 64 bits aside: no field
    of the payload is a number), and the same refusal of what is not JSON."""
    body = json.dumps(value, **dumps).encode("utf-8", "surrogatepass")
    expected = json.loads(body)
    if not any(isinstance(v, int) and abs(v) >= 2**63 for v in _leaves(expected)):
        assert repr(_parsed(body)) == repr(expected)
    for broken in (body[:-1] + b"!", b"", b"{" + body):
        assert _refusal(_parsed, broken) == _refusal(json.loads, broken) is not None


def _refusal(read: Callable[[bytes], object], body: bytes) -> str | None:
    try:
        read(body)
    except ValueError as exc:
        return str(exc)
    return None


def _leaves(value: object) -> list[object]:
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    return [value]


def test_the_fast_reader_takes_its_limits_from_the_declaration() -> None:
    """A text one character past a declared maximum leaves the fast path and is refused by
    the schema, naming the field; one at the maximum is read by the fast path."""
    from app.adapters.webhooks import wire

    for name, (_, high) in (
        ("platform_id", wire._ITEM["platform_id"]),
        ("text", wire._ITEM["text"]),
    ):
        body = dump_batch([incoming("c1", uuid.uuid4(), AT)])
        body["data"][0][name] = "x" * high
        assert _compiled(body) is not None
        body["data"][0][name] = "x" * (high + 1)
        assert _compiled(body) is None
        with pytest.raises(ValidationError) as refused:
            load_message(body)
        assert name in refused.value.messages["data"][0]  # type: ignore[index]
