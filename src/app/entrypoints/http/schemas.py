"""Marshmallow schemas: the HTTP edge's shape of requests and responses, and nothing more.

Strings are `Text` and instants `Instant` (the webhook contract's fields, adapters/webhooks/
wire.py), so nothing PostgreSQL cannot hold gets past a schema."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_dump,
    validate,
    validates,
    validates_schema,
)

from app.adapters.webhooks.wire import (
    AuthorSchema,
    Instant,
    InteractionSchema,
    Text,
    compiled_dump,
)
from app.domain.apps import SECRET_LENGTH, Family
from app.domain.delivery import DeliveryStatus
from app.domain.demo import MAX_COMMENTS, MAX_CONTENT, MAX_DMS, Delivery, DmFrequency, Persona
from app.domain.errors import InvalidCursorError
from app.domain.generation import SUPPORTED_LOCALES
from app.domain.inbox import (
    InboxFilter,
    InboxInteraction,
    IngestResult,
    IngestStatus,
    InteractionKind,
    Platform,
)
from app.domain.jobs import Job, JobKind, JobStatus
from app.domain.pagination import Cursor
from app.domain.schedules import Cron, InvalidCronError
from app.services.demo import EnableDemo

MAX_PAGE_SIZE = 200


class IngestedItemSchema(Schema):
    platform_id = Text()
    id = fields.UUID()
    status = fields.Enum(IngestStatus, by_value=True)


class IngestResultSchema(Schema):
    webhook_id = Text()
    replayed = fields.Boolean(metadata={"description": "this webhook-id had been received before"})
    items = fields.List(fields.Nested(IngestedItemSchema))


dump_ingest_result: Callable[[IngestResult], dict[str, Any]] = compiled_dump(IngestResultSchema)


class CursorField(fields.Field[Cursor]):
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Cursor:
        if not isinstance(value, str):
            raise ValidationError("cursor must be a string")
        try:
            return Cursor.decode(value)
        except InvalidCursorError as exc:
            raise ValidationError(str(exc)) from exc


class InboxQuerySchema(Schema):
    kind = fields.Enum(InteractionKind, by_value=True)
    is_demo = fields.Boolean()
    since = Instant(metadata={"description": "inclusive, RFC 3339 with offset"})
    until = Instant(metadata={"description": "exclusive, RFC 3339 with offset"})
    in_reply_to = Text(
        validate=validate.Length(min=1, max=255),
        metadata={"description": "the replies to this comment (its platform_id)"},
    )
    conversation_id = Text(
        validate=validate.Length(min=1, max=255),
        metadata={"description": "the messages of this DM conversation"},
    )
    content = Text(
        validate=validate.Length(min=1, max=255),
        metadata={"description": "the comments on this post or video (its platform_id)"},
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))
    cursor = CursorField(metadata={"description": "next_cursor of the previous page"})


def inbox_filter(account_id: UUID, query: dict[str, Any]) -> InboxFilter:
    """What an InboxQuerySchema-read query string selects, for the API and the dashboard."""
    names = ("kind", "is_demo", "since", "until", "in_reply_to", "conversation_id", "content")
    return InboxFilter(account_id=account_id, **{n: query.get(n) for n in names})


class InboxInteractionSchema(InteractionSchema):
    """An interaction as the inbox holds it: every field the wire carried, its inbox id, and
    when it was received."""

    id = fields.UUID()
    received_at = Instant()

    @pre_dump
    def _flat(self, item: InboxInteraction, **_: Any) -> dict[str, Any]:
        received = {name: getattr(item.data, name) for name in InteractionSchema._declared_fields}
        return {**received, "id": item.id, "received_at": item.received_at}


class InboxPageSchema(Schema):
    items = fields.List(fields.Nested(InboxInteractionSchema))
    next_cursor = Text(allow_none=True)


class ThreadSchema(Schema):
    comment = fields.Nested(InboxInteractionSchema)
    replies = fields.List(
        fields.Nested(InboxInteractionSchema),
        metadata={"description": "every reply under the comment, in time order"},
    )


class ConversationSchema(Schema):
    conversation_id = Text()
    person = fields.Nested(
        AuthorSchema, allow_none=True, metadata={"description": "who writes to the account"}
    )
    messages = fields.Integer()
    last_message = fields.Nested(InboxInteractionSchema)


class ConversationPageSchema(Schema):
    items = fields.List(fields.Nested(ConversationSchema))
    next_cursor = Text(allow_none=True)


class PageQuerySchema(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))
    cursor = CursorField(metadata={"description": "next_cursor of the previous page"})


class InsightsQuerySchema(Schema):
    days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=365))


class DayCountSchema(Schema):
    day = fields.Date(data_key="date")
    comments = fields.Integer()
    dms = fields.Integer()
    total = fields.Integer()


class ContentEngagementSchema(Schema):
    platform_id = Text()
    title = Text(allow_none=True)
    comments = fields.Integer()


class InsightsSchema(Schema):
    account_id = fields.UUID()
    since = Instant()
    until = Instant()
    total = fields.Integer()
    totals = fields.Dict(keys=Text(), values=fields.Integer())
    per_day = fields.List(fields.Nested(DayCountSchema))
    top_content = fields.List(fields.Nested(ContentEngagementSchema))
    intents = fields.Dict(keys=Text(), values=fields.Integer())
    sentiments = fields.Dict(keys=Text(), values=fields.Integer())
    demo = fields.Integer(metadata={"description": "interactions with is_demo set"})
    demo_share = fields.Float(metadata={"description": "demo / total, 0 when there are none"})
    replies = fields.Integer(metadata={"description": "comments that answer a comment"})
    reply_share = fields.Float(metadata={"description": "replies / comments"})
    asked = fields.Integer(
        metadata={"description": "fans' questions in comments and first DMs of conversations"}
    )
    answered = fields.Integer(metadata={"description": "of those, answered by the creator"})
    response_rate = fields.Float(metadata={"description": "answered / asked"})
    median_response_s = fields.Float(
        allow_none=True, metadata={"description": "seconds to the creator's first answer"}
    )
    languages = fields.Dict(keys=Text(), values=fields.Integer())


class ReadinessSchema(Schema):
    status = Text()
    checks = fields.Dict(keys=Text(), values=Text())


class JobSchema(Schema):
    id = fields.UUID()
    kind = fields.Enum(JobKind, by_value=True)
    status = fields.Enum(JobStatus, by_value=True)
    account_id = fields.UUID(allow_none=True)
    params = fields.Dict()
    phase = Text(allow_none=True)
    progress = fields.Method("_progress")
    attempt = fields.Integer()
    error = Text(allow_none=True)
    result = fields.Dict(allow_none=True)
    retry_of = fields.UUID(allow_none=True)
    schedule_slot = Text(allow_none=True)
    parent_id = fields.UUID(allow_none=True)
    cancel_requested_at = Instant(allow_none=True)
    heartbeat_at = Instant(allow_none=True)
    created_at = Instant()
    updated_at = Instant()
    started_at = Instant(allow_none=True)
    finished_at = Instant(allow_none=True)

    def _progress(self, job: Job) -> dict[str, int | None]:
        return {"done": job.progress_done, "total": job.progress_total}


class JobPageSchema(Schema):
    items = fields.List(fields.Nested(JobSchema))
    next_cursor = Text(allow_none=True)


class JobQuerySchema(Schema):
    status = fields.Enum(JobStatus, by_value=True)
    kind = fields.Enum(JobKind, by_value=True)
    account_id = fields.UUID()
    parent_id = fields.UUID(metadata={"description": "the children a job fanned out into"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))
    cursor = CursorField()


class DeliverySchema(Schema):
    id = fields.UUID()
    account_id = fields.UUID(attribute="data.account_id")
    platform = fields.Enum(Platform, by_value=True, attribute="data.platform")
    platform_id = Text(attribute="data.platform_id")
    kind = fields.Enum(InteractionKind, by_value=True, attribute="data.kind")
    occurred_at = Instant(attribute="data.occurred_at")
    status = fields.Enum(DeliveryStatus, by_value=True)
    attempts = fields.Integer()
    next_attempt_at = Instant()
    last_error = Text(allow_none=True)
    sent_at = Instant(allow_none=True)
    event = fields.Method(
        "_event",
        metadata={
            "description": "a native account's lifecycle event (type: edited, remove, hide, "
            "unhide, unsend, react, unreact, read, message_edit; of: the item's platform_id); "
            "null for an item",
            "type": "object",
            "nullable": True,
        },
    )

    def _event(self, row: Any) -> dict[str, str] | None:
        event = row.data.event
        return {"type": event.type.value, "of": event.of} if event is not None else None


class DeliveryPageSchema(Schema):
    items = fields.List(fields.Nested(DeliverySchema))
    next_cursor = Text(allow_none=True)


class DeliveryQuerySchema(Schema):
    status = fields.Enum(DeliveryStatus, by_value=True, load_default=DeliveryStatus.FAILED)
    account_id = fields.UUID()
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))
    cursor = CursorField()


class RedeliverSchema(Schema):
    account_id = fields.UUID(load_default=None, metadata={"description": "only this account"})


class DemoSizesSchema(Schema):
    content = fields.Integer(validate=validate.Range(min=0, max=MAX_CONTENT))
    comments = fields.Integer(validate=validate.Range(min=0, max=MAX_COMMENTS))
    dms = fields.Integer(
        validate=validate.Range(min=0, max=MAX_DMS),
        metadata={"description": "default: by dm_frequency (low 25, medium 100, high 250)"},
    )


class EnableDemoSchema(Schema):
    platform = fields.Enum(Platform, by_value=True, load_default=Platform.YOUTUBE)
    persona = fields.Enum(Persona, by_value=True, load_default=Persona.TECH_REVIEWS)
    dm_frequency = fields.Enum(DmFrequency, by_value=True, load_default=DmFrequency.MEDIUM)
    seed = fields.Integer(
        load_default=None,
        validate=validate.Range(min=0, max=2**31 - 1),
        metadata={"description": "same seed, same demo; default derived from the account"},
    )
    locale = Text(load_default="en_US", validate=validate.OneOf(SUPPORTED_LOCALES))
    sizes = fields.Nested(DemoSizesSchema, load_default=dict)
    delivery = fields.Enum(
        Delivery,
        by_value=True,
        load_default=Delivery.DEMOSIM,
        metadata={
            "description": "native: the platform's own webhooks to its family's app (needs a "
            "verified app: PUT /api/v1/apps/{family})"
        },
    )

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> EnableDemo:
        sizes = data.pop("sizes")
        return EnableDemo(**data, **sizes)


class DemoSizesOutSchema(Schema):
    content = fields.Integer()
    comments = fields.Integer()
    dms = fields.Integer()


class DemoProfileSchema(Schema):
    platform = fields.Enum(Platform, by_value=True)
    persona = fields.Enum(Persona, by_value=True)
    dm_frequency = fields.Enum(DmFrequency, by_value=True)
    seed = fields.Integer()
    locale = Text()
    sizes = fields.Nested(DemoSizesOutSchema)
    delivery = fields.Enum(Delivery, by_value=True)


class NativeAccountSchema(Schema):
    user_id = Text(metadata={"description": "the account's id on its platform: IG user id"})
    access_token = Text(metadata={"description": "what the emulated platform API takes"})


class DemoCountsSchema(Schema):
    content = fields.Integer()
    comments = fields.Integer()
    dms = fields.Integer()
    delivery = fields.Dict(
        keys=Text(),
        values=fields.Integer(),
        metadata={"description": "outbox rows by delivery status: items and lifecycle events"},
    )
    received = fields.Integer(metadata={"description": "is_demo interactions in the inbox"})
    events = fields.Integer(
        metadata={
            "description": "a native account's lifecycle events (edits, removals, unsends, "
            "reactions, reads): delivered among the outbox rows, never inbox items"
        }
    )


class DemoStateSchema(Schema):
    account_id = fields.UUID(attribute="profile.account_id")
    enabled = fields.Boolean(attribute="profile.enabled")
    enabled_at = Instant(attribute="profile.enabled_at", allow_none=True)
    profile = fields.Nested(DemoProfileSchema)
    native = fields.Nested(
        NativeAccountSchema, attribute="profile.native", allow_none=True,
        metadata={"description": "native accounts only"},
    )  # fmt: skip
    counts = fields.Nested(DemoCountsSchema)
    job = fields.Nested(JobSchema, allow_none=True)


class DisableDemoQuerySchema(Schema):
    purge = fields.Boolean(load_default=False)


class BackfillSchema(Schema):
    days = fields.Integer(
        required=True,
        strict=True,
        metadata={"description": "the past days to fill, 1 to RETENTION_DAYS (30 by default)"},
    )


class StartScenarioSchema(Schema):
    name = Text(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "a shipped scenario (GET /api/v1/scenarios)"},
    )
    overrides = fields.Dict(
        keys=Text(validate=validate.Length(min=1, max=200)),
        values=fields.Raw(),
        load_default=dict,
        metadata={"description": "path: value (`dms.share: 0.4`, `comments[*].sentiment`)"},
    )
    start = Instant(
        load_default=None, metadata={"description": "when its items begin; now when left out"}
    )


class ScenarioStageSchema(Schema):
    duration_seconds = fields.Integer()
    rate_per_hour = fields.Float()


class ScenarioSchema(Schema):
    """A shipped scenario: its curve (each stage ramps from the rate before it to its own),
    and the paths an override may set."""

    name = Text()
    description = Text()
    duration_seconds = fields.Integer()
    events = fields.Integer(metadata={"description": "what the curve declares in all"})
    start_rate_per_hour = fields.Float()
    stages = fields.List(fields.Nested(ScenarioStageSchema))
    dms_share = fields.Float()
    paths = fields.List(Text())

    @pre_dump
    def _of(self, given: Any, **_: Any) -> dict[str, Any]:
        scenario, paths = given
        return {
            "name": scenario.name,
            "description": scenario.description,
            "duration_seconds": int(scenario.duration.total_seconds()),
            "events": round(scenario.total),
            "start_rate_per_hour": scenario.start_rate,
            "stages": [
                {"duration_seconds": int(s.duration.total_seconds()), "rate_per_hour": s.rate}
                for s in scenario.stages
            ],
            "dms_share": scenario.dms_share,
            "paths": paths,
        }


class ScenarioRunSchema(Schema):
    id = fields.UUID()
    name = Text(attribute="scenario.name")
    status = Text(
        metadata={"description": "writing, running, stopped, finished (or its job's failure)"}
    )
    start = Instant()
    end = Instant()
    window_seconds = fields.Function(lambda _: 300)
    declared = fields.List(fields.Float(), metadata={"description": "events per window"})
    delivered = fields.List(fields.Integer(), metadata={"description": "sent per window"})
    pending = fields.Integer(metadata={"description": "stored, not delivered yet"})
    job = fields.Nested(lambda: JobSchema())


class StoppedRunSchema(Schema):
    withdrawn = fields.Integer()


class ScheduleSchema(Schema):
    name = Text()
    cron = Text(attribute="cron.expression", metadata={"description": "in UTC"})
    job_kind = fields.Enum(JobKind, by_value=True)
    enabled = fields.Boolean()
    last_run_at = Instant(allow_none=True)
    next_run_at = Instant(allow_none=True)
    last_job_id = fields.UUID(allow_none=True)
    updated_at = Instant()


class ScheduleListSchema(Schema):
    items = fields.List(fields.Nested(ScheduleSchema))


class UpdateScheduleSchema(Schema):
    enabled = fields.Boolean()
    cron = Text(
        metadata={"description": "5 fields (or 6, seconds last), evaluated in UTC"},
        validate=validate.Length(max=255),
    )

    @validates("cron")
    def _valid_cron(self, value: str, **_: Any) -> None:
        try:
            Cron(value)
        except InvalidCronError as exc:
            raise ValidationError(str(exc)) from None

    @validates_schema
    def _something_to_change(self, data: dict[str, Any], **_: Any) -> None:
        if not data:
            raise ValidationError("give enabled, cron or both", field_name="_schema")


class AppBodySchema(Schema):
    """A platform app: where the platform's webhooks go, what signs them, what the handshake
    echoes."""

    callback_url = Text(
        required=True,
        validate=[
            validate.URL(schemes={"http", "https"}, require_tld=False),
            validate.Length(max=2048),
        ],
        metadata={"description": "the host's webhook endpoint for this family"},
    )
    secret = Text(
        required=True,
        validate=validate.Length(min=SECRET_LENGTH[0], max=SECRET_LENGTH[1]),
        metadata={"description": "Meta app secret / X consumer secret / TikTok client secret"},
    )
    verify_token = Text(
        validate=validate.Length(min=1, max=256),
        metadata={"description": "Meta: the token the verification request carries"},
    )
    client_key = Text(
        validate=validate.Length(min=1, max=256),
        metadata={"description": "TikTok: the app's client key, which its webhooks carry"},
    )


class AppSchema(Schema):
    family = fields.Enum(Family, by_value=True)
    callback_url = Text()
    secret = Text(attribute="secret_shown", metadata={"description": "its last 4 characters"})
    verify_token = Text(
        attribute="verify_token_shown", metadata={"description": "its last 4 characters"}
    )
    client_key = Text(metadata={"description": "TikTok's: shown whole (it is no secret)"})
    verified_at = Instant(metadata={"description": "when the callback passed the handshake"})
    invalid_since = Instant(
        metadata={"description": "X's: since when the callback fails the CRC sent every 30 "
                  "minutes (null: it passes); nothing is sent to it until one passes"}
    )  # fmt: skip
    invalid_reason = Text(metadata={"description": "what the callback answered the failed CRC"})
    created_at = Instant()
    updated_at = Instant()


class AppListSchema(Schema):
    items = fields.List(fields.Nested(AppSchema))
