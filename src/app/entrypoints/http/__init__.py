"""The Flask app: REST API, webhook receiver, health, OpenAPI docs."""

import hmac
import logging
from typing import Any

from flask import Flask, request
from flask_smorest import Api, abort
from werkzeug.exceptions import HTTPException

from app.adapters.webhooks.wire import unstorable_text
from app.bootstrap import Container
from app.domain.demo import InvalidSizesError
from app.domain.errors import IdempotencyKeyReusedError, NotFoundError
from app.domain.jobs import InvalidTransitionError
from app.entrypoints.http.safety import (
    MAX_JSON_DEPTH,
    first_problem,
    json_too_deep,
)

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
PROTECTED_PREFIX = "/api/v1/"


class DemosimApi(Api):  # type: ignore[misc]
    def handle_http_exception(self, error: HTTPException) -> Any:
        """flask-smorest's error body, with a message naming the first invalid field when
        webargs gave only the errors."""
        payload, code, headers = super().handle_http_exception(error)
        errors = payload.get("errors")
        if "message" not in payload and isinstance(errors, dict) and errors:
            location, problems = next(iter(errors.items()))
            payload["message"] = f"invalid {location}: {first_problem(problems)}"
        return payload, code, headers


def create_app(container: Container) -> Flask:
    from app.entrypoints.http import demo, health, inbox, jobs, receiver, schedules

    app = Flask("demosim")
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        API_TITLE="demosim",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="https://cdn.jsdelivr.net/npm/swagger-ui-dist/",
        API_SPEC_OPTIONS={
            "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
            "security": [{"bearer": []}],
        },
    )
    app.extensions["demosim"] = container
    token = container.settings.require_api_token()
    container.settings.require_webhook_secret()

    transient = container.services.work.policy.is_transient
    api = DemosimApi(app)
    api.spec.components.schema("WebhookPayload", schema=container.webhooks.payload_schema)
    api.register_blueprint(health.blp)
    api.register_blueprint(receiver.blp)
    api.register_blueprint(inbox.blp)
    api.register_blueprint(jobs.blp)
    api.register_blueprint(demo.blp)
    api.register_blueprint(schedules.blp)

    @app.before_request
    def _require_bearer_token() -> None:
        if not request.path.startswith(PROTECTED_PREFIX):
            return
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), token.encode()):
            abort(401, message="missing or wrong bearer token in the Authorization header")

    @app.before_request
    def _refuse_hostile_input() -> None:
        """What no schema sees: the body's nesting (before anything parses it), path strings."""
        for name, value in (request.view_args or {}).items():
            problem = unstorable_text(value) if isinstance(value, str) else None
            if problem is not None:
                abort(
                    422,
                    message=f"path parameter {name} {problem}",
                    errors={"path": {name: [problem]}},
                )
        if request.content_length != 0 and json_too_deep(request.get_data(cache=True)):
            abort(400, message=f"JSON body nested deeper than {MAX_JSON_DEPTH} levels")

    @app.errorhandler(NotFoundError)
    def _not_found(exc: NotFoundError) -> tuple[dict[str, object], int]:
        return _error_body(404, "Not Found", str(exc)), 404

    @app.errorhandler(InvalidSizesError)
    def _bad_sizes(exc: InvalidSizesError) -> tuple[dict[str, object], int]:
        body = _error_body(422, "Unprocessable Entity", str(exc))
        return {**body, "errors": {"json": {"sizes": [str(exc)]}}}, 422

    @app.errorhandler(InvalidTransitionError)
    def _conflict(exc: InvalidTransitionError) -> tuple[dict[str, object], int]:
        return _error_body(409, "Conflict", str(exc)), 409

    @app.errorhandler(IdempotencyKeyReusedError)
    def _key_reused(exc: IdempotencyKeyReusedError) -> tuple[dict[str, object], int]:
        body = _error_body(422, "Unprocessable Entity", str(exc))
        return {**body, "errors": {"headers": {"Idempotency-Key": [str(exc)]}}}, 422

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> tuple[dict[str, object], int] | HTTPException:
        if isinstance(exc, HTTPException):
            return exc
        if transient(exc):  # the database is away (restarting, failing over): not our bug
            log.warning("database unavailable: %s", exc)
            return _error_body(
                503, "Service Unavailable", "the database is unavailable; retry later"
            ), 503
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _error_body(
            500, "Internal Server Error", "unexpected error; it has been logged"
        ), 500

    return app


def _error_body(code: int, status: str, message: str) -> dict[str, object]:
    """flask-smorest's error shape, for errors raised outside its abort()."""
    return {"code": code, "status": status, "message": message}
