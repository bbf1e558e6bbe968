"""POST /webhooks/interactions: the inbox's receiver, for live platforms and demosim alike."""

import json
from collections.abc import Callable
from typing import Any

import orjson
from flask import current_app, request
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import ValidationError
from werkzeug.sansio.response import Response

from app.adapters.webhooks.wire import EventType
from app.domain.inbox import IngestStatus, WebhookInteraction
from app.domain.storable import unstorable_text
from app.entrypoints.http.context import container
from app.entrypoints.http.safety import Blueprint, first_problem
from app.entrypoints.http.schemas import IngestResultSchema, dump_ingest_result
from app.services.ports import InvalidSignatureError

# the webhook contract's payload schema, registered under this name by create_app
PAYLOAD_REF = "#/components/schemas/WebhookPayload"

blp = Blueprint("webhooks", __name__, url_prefix="/webhooks", description="Signed webhook receiver")


@blp.route("/interactions")
class Interactions(MethodView):
    @blp.doc(
        security=[],
        requestBody={
            "required": True,
            "content": {"application/json": {"schema": {"$ref": PAYLOAD_REF}}},
        },
        parameters=[
            {"in": "header", "name": name, "required": True, "schema": {"type": "string"}}
            for name in ("webhook-id", "webhook-timestamp", "webhook-signature")
        ],
    )
    @blp.response(200, IngestResultSchema)
    @blp.alt_response(400, description="body is not JSON")
    @blp.alt_response(401, description="signature missing, wrong, or timestamp outside ±5 min")
    @blp.alt_response(413, description="body over 1 MiB")
    @blp.alt_response(422, description="an item is invalid; the errors name its index and field")
    def post(self) -> Response:
        """Verify, validate and upsert a batch of up to 500 interactions, all or nothing."""
        c = container()
        body = request.get_data(cache=False)  # over MAX_CONTENT_LENGTH: 413 before any work
        try:
            webhook_id = c.webhooks.verify(body, dict(request.headers))
        except InvalidSignatureError as exc:
            abort(401, message=f"webhook rejected: {exc}")
        problem = unstorable_text(webhook_id) or (
            "must be at most 255 characters" if len(webhook_id) > 255 else None
        )
        if problem is not None:
            abort(
                422,
                message=f"webhook-id {problem}",
                errors={"headers": {"webhook-id": [problem]}},
            )
        try:
            payload = _parsed(body)
        except ValueError as exc:
            abort(400, message=f"body is not valid JSON: {exc}")
        try:
            event, items = c.webhooks.read(payload)
        except ValidationError as exc:
            errors = _stringify_keys(exc.messages)
            abort(
                422,
                message=f"invalid batch, nothing stored: {first_problem(errors)}",
                errors=errors,
            )
        return ON_EVENT[event](webhook_id, items)


@blp.route("/meta")
class MetaWebhooks(MethodView):
    """The reference host for Meta: what a host's live Instagram integration does, filing
    native accounts' webhooks into this inbox."""

    @blp.doc(security=[])
    @blp.alt_response(200, description="hub.challenge, as text: the subscription is verified")
    @blp.alt_response(403, description="not a subscription request with this host's token")
    def get(self) -> Response:
        """Meta's verification request: answered with hub.challenge when hub.mode is
        "subscribe" and hub.verify_token is this host's (META_VERIFY_TOKEN)."""
        challenge = container().meta_receiving.challenge(request.args)
        if challenge is None:
            abort(403, message="hub.mode must be 'subscribe' and hub.verify_token this host's")
        return current_app.response_class(challenge, status=200, content_type="text/plain")

    @blp.doc(security=[])
    @blp.response(200, IngestResultSchema)
    @blp.alt_response(400, description="body is not JSON")
    @blp.alt_response(401, description="X-Hub-Signature-256 missing or not this app's")
    @blp.alt_response(422, description="not Meta's webhook payload; nothing stored")
    def post(self) -> Response:
        """Instagram's webhooks signed with this host's app secret (META_APP_SECRET): the
        comments and messages of known native accounts, filed into their inboxes."""
        return _native(container().meta_receiving)


@blp.route("/tiktok")
class TikTokWebhooks(MethodView):
    """The reference host for TikTok: what a host's live TikTok integration does, filing
    native accounts' new comments into this inbox."""

    @blp.doc(security=[])
    @blp.response(200, IngestResultSchema)
    @blp.alt_response(400, description="body is not JSON")
    @blp.alt_response(401, description="TikTok-Signature missing, stale or not this app's")
    @blp.alt_response(422, description="not TikTok's webhook, or another app's; nothing stored")
    def post(self) -> Response:
        """TikTok's webhooks signed with this host's client secret: a new comment on a known
        native account's video filed into its inbox; every other event answered 200 and left
        (TikTok's portal's test event among them)."""
        return _native(container().tiktok_receiving)


@blp.route("/x")
class XWebhooks(MethodView):
    """The reference host for X: what a host's live X integration does, answering X's CRC and
    filing native accounts' replies, mentions and messages into this inbox."""

    @blp.doc(security=[])
    @blp.alt_response(200, description='{"response_token": "sha256=…"}: the CRC passes')
    @blp.alt_response(400, description="no crc_token")
    def get(self) -> Response:
        """X's Challenge-Response Check: crc_token's HMAC-SHA256 with this host's consumer
        secret, base64, as {"response_token": "sha256=…"}."""
        token = request.args.get("crc_token", "")
        if not token:
            abort(400, message="crc_token is required: X's CRC sends one")
        return current_app.json.response(container().x_receiving.crc(token))

    @blp.doc(security=[])
    @blp.response(200, IngestResultSchema)
    @blp.alt_response(400, description="body is not JSON")
    @blp.alt_response(401, description="x-twitter-webhooks-signature missing or not this app's")
    @blp.alt_response(422, description="not X's Account Activity payload; nothing stored")
    def post(self) -> Response:
        """X's Account Activity events signed with this host's consumer secret: the replies
        and messages of known native accounts filed into their inboxes; deletions and other
        events answered 200 and left."""
        return _native(container().x_receiving)


def _native(receiving: Any) -> Response:
    """A platform's webhook as the reference host takes it: its signature checked over the raw
    bytes with this host's own app secret (401), the payload read as the platform documents it
    (422 naming what is not; 400 if not JSON), the known native accounts' items filed."""
    body = request.get_data(cache=False)
    try:
        receiving.verify(body, request.headers.get(receiving.signature_header))
    except InvalidSignatureError as exc:
        abort(401, message=f"webhook rejected: {exc}")
    try:
        webhook_id, items = receiving.read(body)
    except receiving.payload_error as exc:
        abort(422, message=f"nothing stored: {exc}")
    except ValueError as exc:  # orjson's JSONDecodeError is one
        abort(400, message=f"body is not valid JSON: {exc}")
    return _interactions_created(webhook_id, items)


def _interactions_created(webhook_id: str, items: list[WebhookInteraction]) -> Response:
    c = container()
    result = c.services.inbox.ingest(webhook_id, items)
    created = sum(1 for i in result.items if i.status is IngestStatus.CREATED)
    if result.replayed:
        created = 0
    c.metrics.received(created, len(result.items) - created)
    return current_app.json.response(dump_ingest_result(result))  # what the schema gives


# what the receiver does with each event type: a new type is a row here and its handler
ON_EVENT: dict[EventType, Callable[[str, list[WebhookInteraction]], Response]] = {
    EventType.INTERACTIONS_CREATED: _interactions_created,
}


def _parsed(body: bytes) -> Any:
    """The body as json.loads reads it, by orjson for speed (bench/README.md); what orjson
    refuses and json takes (NaN, lone surrogates, which validation then names by field) goes
    to json, as do malformed bodies, so a 400 reads the same. (orjson reads an integer past
    64 bits as a float: no field of the payload is a number.)"""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body)


def _stringify_keys(messages: Any) -> Any:
    if isinstance(messages, dict):
        return {str(k): _stringify_keys(v) for k, v in messages.items()}
    return messages
