"""POST /webhooks/interactions: the inbox's receiver, for live platforms and demosim alike."""

import json
from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import ValidationError

from app.adapters.webhooks import InvalidSignatureError, verify
from app.domain.inbox import IngestResult
from app.entrypoints.http import container
from app.entrypoints.http.schemas import IngestResultSchema, WebhookPayloadSchema
from app.services.inbox import ingest_interactions

blp = Blueprint("webhooks", __name__, url_prefix="/webhooks", description="Signed webhook receiver")


@blp.route("/interactions")
class Interactions(MethodView):
    @blp.doc(
        security=[],
        requestBody={
            "required": True,
            "content": {"application/json": {"schema": WebhookPayloadSchema}},
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
    def post(self) -> IngestResult:
        """Verify, validate and upsert a batch of up to 500 interactions, all or nothing."""
        c = container()
        body = request.get_data(cache=False)  # over MAX_CONTENT_LENGTH: 413 before any work
        try:
            webhook_id = verify(c.settings.require_webhook_secret(), body, dict(request.headers))
        except InvalidSignatureError as exc:
            abort(401, message=f"webhook rejected: {exc}")
        try:
            payload = json.loads(body)
        except ValueError as exc:
            abort(400, message=f"body is not valid JSON: {exc}")
        try:
            batch = WebhookPayloadSchema().load(payload)
        except ValidationError as exc:
            errors = _stringify_keys(exc.messages)
            abort(
                422,
                message=f"invalid batch, nothing stored: {_first_problem(errors)}",
                errors=errors,
            )
        return ingest_interactions(c.uow, c.clock, webhook_id, batch["data"])


def _stringify_keys(messages: Any) -> Any:
    if isinstance(messages, dict):
        return {str(k): _stringify_keys(v) for k, v in messages.items()}
    return messages


def _first_problem(errors: Any, path: str = "") -> str:
    """'data[3].occurred_at: Not a valid aware datetime.' from marshmallow's nested messages."""
    if isinstance(errors, dict):
        key, value = next(iter(errors.items()))
        step = f"[{key}]" if key.isdigit() else (f".{key}" if path else key)
        return _first_problem(value, path + step)
    if isinstance(errors, list) and errors:
        return (
            f"{path}: {errors[0]}"
            if isinstance(errors[0], str)
            else _first_problem(errors[0], path)
        )
    return f"{path}: {errors}"
