"""The webhook contract, both directions: the event types, and ONE schema that the sender
dumps a batch with and the receiver loads it with. Its fields refuse what PostgreSQL cannot
hold (`Text`, `Instant`); the HTTP API's schemas use the same fields."""

import enum
import re
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from app.config import MAX_BATCH_ITEMS
from app.domain.errors import DomainError, InvalidInteractionError
from app.domain.inbox import (
    Author,
    ContentRef,
    Intent,
    InteractionKind,
    Platform,
    Sentiment,
    WebhookInteraction,
)
from app.domain.storable import require_storable, unstorable_text

LANGUAGE_TAG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$"


class EventType(enum.StrEnum):
    """What a message carries. New types are added here and handled by the receiver."""

    INTERACTIONS_CREATED = "interactions.created"


class Text(fields.String):
    """A string that PostgreSQL can hold."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        loaded = super()._deserialize(value, attr, data, **kwargs)
        problem = unstorable_text(loaded)
        if problem is not None:
            raise ValidationError(problem)
        return loaded


class Instant(fields.AwareDateTime):
    """An RFC 3339 instant with an offset, inside the range demosim stores."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        loaded: datetime = super()._deserialize(value, attr, data, **kwargs)
        try:
            return require_storable(loaded, attr or "instant")
        except DomainError as exc:
            raise ValidationError(str(exc)) from None


class AuthorSchema(Schema):
    handle = Text(required=True, validate=validate.Length(min=1, max=255))
    display_name = Text(required=True, validate=validate.Length(min=1, max=255))
    is_creator = fields.Boolean(load_default=False)

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> Author:
        return Author(**data)


class ContentRefSchema(Schema):
    platform_id = Text(required=True, validate=validate.Length(min=1, max=255))
    title = Text(allow_none=True, load_default=None, validate=validate.Length(max=1000))

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> ContentRef:
        return ContentRef(**data)


class InteractionSchema(Schema):
    """One item of a batch."""

    class Meta:
        unknown = EXCLUDE  # senders may add fields; Standard Webhooks consumers tolerate them

    account_id = fields.UUID(required=True)
    platform = fields.Enum(Platform, by_value=True, required=True)
    platform_id = Text(required=True, validate=validate.Length(min=1, max=255))
    kind = fields.Enum(InteractionKind, by_value=True, required=True)
    author = fields.Nested(AuthorSchema, required=True)
    text = Text(required=True, validate=validate.Length(max=10_000))
    occurred_at = Instant(required=True)
    content = fields.Nested(ContentRefSchema, allow_none=True, load_default=None)
    intent = fields.Enum(Intent, by_value=True, allow_none=True, load_default=None)
    sentiment = fields.Enum(Sentiment, by_value=True, allow_none=True, load_default=None)
    is_demo = fields.Boolean(load_default=False)
    # v2, optional on receipt (an item without them is a top-level comment or a fan's DM)
    in_reply_to = Text(
        allow_none=True,
        load_default=None,
        validate=validate.Length(min=1, max=255),
        metadata={"description": "comments: the parent comment's platform_id"},
    )
    conversation_id = Text(
        allow_none=True,
        load_default=None,
        validate=validate.Length(min=1, max=255),
        metadata={"description": "DMs: the conversation the message belongs to"},
    )
    topic = Text(allow_none=True, load_default=None, validate=validate.Length(min=1, max=255))
    language = Text(
        allow_none=True,
        load_default=None,
        validate=validate.Regexp(LANGUAGE_TAG, error="not a BCP 47 language tag, e.g. en or pt-BR"),
        metadata={"description": "BCP 47: en, es, pt-BR"},
    )

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> WebhookInteraction:
        try:
            return WebhookInteraction(**data)
        except InvalidInteractionError as exc:  # a rule of the entity: name its field
            raise ValidationError(str(exc), exc.field) from None


class PayloadSchema(Schema):
    """A message: its event type and its batch of items."""

    class Meta:
        unknown = EXCLUDE

    type = fields.Enum(EventType, by_value=True, required=True)
    data = fields.List(
        fields.Nested(InteractionSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_BATCH_ITEMS),
    )


_PAYLOAD = PayloadSchema()


def compiled_dump(schema: type[Schema]) -> Callable[[Any], dict[str, Any]]:
    """What `schema().dump(obj)` gives, field for field and in its order, as one expression
    generated from the schema's declaration (marshmallow's own dump, field by field, was a
    tenth of a worker's time, and of the receiver's; bench/README.md). Nested schemas and
    lists of them, enums, UUIDs and instants are written as marshmallow writes them; a field
    of another kind is its attribute as it is. A property test holds it to the schema."""
    source = f"def dump(obj):\n    return {_dict_of(schema, 'obj', iter(range(1_000)))}\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<dump of {schema.__name__}>", "exec"), namespace)  # noqa: S102
    dump: Callable[[Any], dict[str, Any]] = namespace["dump"]
    return dump


def _dict_of(schema: type[Schema], value: str, names: Iterator[int]) -> str:
    entries = [
        f"{name!r}: {_expression(field, f'{value}.{field.attribute or name}', names)}"
        for name, field in schema._declared_fields.items()
    ]
    return "{" + ", ".join(entries) + "}"


def _expression(field: fields.Field[Any], value: str, names: Iterator[int]) -> str:
    """The dump of one field's value, in Python source."""
    if isinstance(field, fields.List):
        item = f"_{next(names)}"
        return f"[{_expression(field.inner, item, names)} for {item} in {value}]"
    if isinstance(field, fields.Nested):
        nested = field.nested if isinstance(field.nested, type) else type(field.nested)
        name = f"_{next(names)}"
        written = _dict_of(nested, name, names)
    elif isinstance(field, fields.Enum):
        name = f"_{next(names)}"
        written = f"{name}.value"
    elif isinstance(field, fields.UUID):
        name = f"_{next(names)}"
        written = f"str({name})"
    elif isinstance(field, fields.DateTime):
        name = f"_{next(names)}"
        written = f"{name}.isoformat()"
    else:
        return value
    return f"(None if ({name} := {value}) is None else {written})"


_dump_item = compiled_dump(InteractionSchema)


def dump_batch(items: list[WebhookInteraction]) -> dict[str, Any]:
    """The message body a sender posts for these items: what the schema dumps."""
    return {"type": EventType.INTERACTIONS_CREATED.value, "data": [_dump_item(i) for i in items]}


def load_message(payload: Any) -> tuple[EventType, list[WebhookInteraction]]:
    """A message body's event type and items; marshmallow's ValidationError, naming each bad
    field by its index, when any is invalid.

    A well-formed batch is read by `_compiled`, the schema's rules as straight-line code (a
    tenth of marshmallow's cost per item); anything it does not take for certain (a bad or
    unusual value anywhere) goes through the schema itself, which names what is wrong. A
    property test holds the two to the same result."""
    compiled = _compiled(payload)
    if compiled is not None:
        return EventType.INTERACTIONS_CREATED, compiled
    loaded: dict[str, Any] = _PAYLOAD.load(payload)
    return loaded["type"], loaded["data"]


# --- the schema's rules, compiled by hand -------------------------------------------------
# Each returns the loaded value, or raises _Unsure: the schema decides (and names the error).
# The limits and choices are read from the declarations above, never typed again.


class _Unsure(Exception):
    pass


_AUTHOR_FIELDS = frozenset(AuthorSchema._declared_fields)
_CONTENT_FIELDS = frozenset(ContentRefSchema._declared_fields)
_LANGUAGE = re.compile(LANGUAGE_TAG)


def _length(schema: type[Schema], name: str) -> tuple[int, int]:
    """A text field's bounds, as its declaration's Length validator gives them."""
    for rule in schema._declared_fields[name].validators:
        if isinstance(rule, validate.Length):
            return rule.min or 0, sys.maxsize if rule.max is None else rule.max
    return 0, sys.maxsize


_ITEM = {
    name: _length(InteractionSchema, name)
    for name in ("platform_id", "text", "in_reply_to", "conversation_id", "topic", "language")
}
_AUTHOR = {name: _length(AuthorSchema, name) for name in ("handle", "display_name")}
_CONTENT = {name: _length(ContentRefSchema, name) for name in ("platform_id", "title")}  # fmt: skip


def _text(value: Any, low: int, high: int) -> str:
    if type(value) is not str or not low <= len(value) <= high or unstorable_text(value):
        raise _Unsure
    return value


def _optional_text(item: dict[str, Any], name: str, low: int, high: int) -> str | None:
    value = item.get(name)
    return None if value is None else _text(value, low, high)


def _choice(value: Any, values: dict[str, Any]) -> Any:
    if type(value) is not str or value not in values:
        raise _Unsure
    return values[value]


def _optional_choice(item: dict[str, Any], name: str, values: dict[str, Any]) -> Any:
    value = item.get(name)
    return None if value is None else _choice(value, values)


def _flag(item: dict[str, Any], name: str) -> bool:
    value = item.get(name, False)
    if type(value) is not bool:
        raise _Unsure
    return value


def _values(name: str) -> dict[str, Any]:
    """The values an enum field of an item takes, as its declaration names the enum."""
    field = InteractionSchema._declared_fields[name]
    assert isinstance(field, fields.Enum)
    return {member.value: member for member in field.enum}


_PLATFORMS, _KINDS = _values("platform"), _values("kind")
_INTENTS, _SENTIMENTS = _values("intent"), _values("sentiment")


def _item(item: Any) -> WebhookInteraction:
    if type(item) is not dict:
        raise _Unsure
    author, content = item.get("author"), item.get("content")
    if type(author) is not dict or not author.keys() <= _AUTHOR_FIELDS:
        raise _Unsure
    if content is not None and (type(content) is not dict or not content.keys() <= _CONTENT_FIELDS):
        raise _Unsure
    account_id, occurred_at = item.get("account_id"), item.get("occurred_at")
    if type(account_id) is not str or type(occurred_at) is not str:
        raise _Unsure
    language = _optional_text(item, "language", *_ITEM["language"])
    if language is not None and not _LANGUAGE.match(language):
        raise _Unsure
    try:
        at = datetime.fromisoformat(occurred_at)
        if at.tzinfo is None or at.utcoffset() is None:
            raise _Unsure
        return WebhookInteraction(
            account_id=uuid.UUID(account_id),
            platform=_choice(item.get("platform"), _PLATFORMS),
            platform_id=_text(item.get("platform_id"), *_ITEM["platform_id"]),
            kind=_choice(item.get("kind"), _KINDS),
            author=Author(
                handle=_text(author.get("handle"), *_AUTHOR["handle"]),
                display_name=_text(author.get("display_name"), *_AUTHOR["display_name"]),
                is_creator=_flag(author, "is_creator"),
            ),
            text=_text(item.get("text"), *_ITEM["text"]),
            occurred_at=require_storable(at, "occurred_at"),
            content=None
            if content is None
            else ContentRef(
                platform_id=_text(content.get("platform_id"), *_CONTENT["platform_id"]),
                title=_optional_text(content, "title", *_CONTENT["title"]),
            ),
            intent=_optional_choice(item, "intent", _INTENTS),
            sentiment=_optional_choice(item, "sentiment", _SENTIMENTS),
            is_demo=_flag(item, "is_demo"),
            in_reply_to=_optional_text(item, "in_reply_to", *_ITEM["in_reply_to"]),
            conversation_id=_optional_text(item, "conversation_id", *_ITEM["conversation_id"]),
            topic=_optional_text(item, "topic", *_ITEM["topic"]),
            language=language,
        )
    except (ValueError, OverflowError, DomainError):
        raise _Unsure from None


def _compiled(payload: Any) -> list[WebhookInteraction] | None:
    """The batch as the schema would load it, or None where the schema must decide."""
    if type(payload) is not dict or payload.get("type") != EventType.INTERACTIONS_CREATED.value:
        return None
    data = payload.get("data")
    if type(data) is not list or not 1 <= len(data) <= MAX_BATCH_ITEMS:
        return None
    try:
        return [_item(item) for item in data]
    except _Unsure:
        return None
