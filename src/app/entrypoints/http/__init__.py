"""The Flask app: REST API, webhook receiver, health, metrics, OpenAPI docs, dashboard."""

import hmac
import logging
import os
import re
import time
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

from flask import Flask, Response, g, redirect, request
from flask_limiter import Limiter
from flask_smorest import Api, abort
from werkzeug.exceptions import HTTPException

from app.bootstrap import Container
from app.domain.apps import HandshakeFailedError, InvalidAppError, NoAppError
from app.domain.demo import InvalidHistoryError, InvalidSizesError
from app.domain.errors import IdempotencyKeyReusedError, NotFoundError
from app.domain.jobs import InvalidTransitionError
from app.domain.scenarios import ScenarioError, UnknownScenarioError
from app.domain.storable import unstorable_text
from app.entrypoints.http import protection
from app.entrypoints.http.safety import (
    MAX_JSON_DEPTH,
    first_problem,
    json_too_deep,
)
from app.entrypoints.logs import request_id

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
PROTECTED_PREFIX = "/api/v1/"
REQUEST_ID = "X-Request-ID"
GIVEN_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")  # one a proxy set is kept


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


# domain errors as responses: status, reason, and where the body names the field (if it does)
DOMAIN_ERRORS: dict[type[Exception], tuple[int, str, tuple[str, str] | None]] = {
    NotFoundError: (404, "Not Found", None),
    InvalidSizesError: (422, "Unprocessable Entity", ("json", "sizes")),
    InvalidHistoryError: (422, "Unprocessable Entity", ("json", "days")),
    InvalidTransitionError: (409, "Conflict", None),
    IdempotencyKeyReusedError: (422, "Unprocessable Entity", ("headers", "Idempotency-Key")),
    InvalidAppError: (422, "Unprocessable Entity", ("json", "")),  # the field the error names
    HandshakeFailedError: (422, "Unprocessable Entity", ("json", "callback_url")),
    NoAppError: (409, "Conflict", None),
    ScenarioError: (422, "Unprocessable Entity", ("json", "")),  # overrides, start
    UnknownScenarioError: (422, "Unprocessable Entity", ("json", "name")),
}


def create_app(container: Container) -> Flask:
    from app.entrypoints.http import dashboard

    app = Flask("demosim", root_path=os.path.dirname(__file__))
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        API_TITLE="demosim",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="/static/vendor/swagger-ui/",  # served here: works offline
        API_SPEC_OPTIONS={
            "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
            "security": [{"bearer": []}],
        },
    )
    app.extensions["demosim"] = container
    token = container.settings.require_api_token()
    limiter = protection.install(app, container)  # first: its limit is checked before any token
    dashboard.install(app, token, container.settings)
    api = _install_api(app, container)
    _install_request_log(app, container)
    _install_guards(app, token)
    _install_routes(app, container)
    _install_platforms(app)
    _install_errors(app, api, container.services.engine.policy.is_transient, limiter)
    return app


def _install_api(app: Flask, container: Container) -> DemosimApi:
    """The REST API's blueprints and the webhook receiver, documented by OpenAPI."""
    from app.entrypoints.http import (
        apps,
        demo,
        health,
        inbox,
        jobs,
        receiver,
        scenarios,
        schedules,
    )

    api = DemosimApi(app)
    api.spec.components.schema("WebhookPayload", schema=container.webhooks.payload_schema)
    for blueprint in (health, receiver, inbox, jobs, demo, scenarios, schedules, apps):
        api.register_blueprint(blueprint.blp)
    return api


def _install_request_log(app: Flask, container: Container) -> None:
    """Every request has an id (its log lines carry it, the response names it), a log line
    and its metrics."""

    @app.before_request
    def _identify() -> None:
        given = request.headers.get(REQUEST_ID, "")
        g.request_id = given if GIVEN_REQUEST_ID.match(given) else uuid.uuid4().hex
        g.started = time.perf_counter()
        g.request_id_token = request_id.set(g.request_id)

    @app.after_request
    def _observe(response: Response) -> Response:
        response.headers[REQUEST_ID] = g.get("request_id", "")
        route = request.url_rule.rule if request.url_rule is not None else "unmatched"
        took = time.perf_counter() - g.get("started", time.perf_counter())
        container.metrics.request_served(request.method, route, response.status_code, took)
        log.info("%s %s %s %.1f ms", request.method, request.path, response.status_code, took * 1e3)
        return response

    @app.teardown_request
    def _forget(_: BaseException | None) -> None:
        token_ = g.pop("request_id_token", None)
        if token_ is not None:
            request_id.reset(token_)


def _install_guards(app: Flask, token: str) -> None:
    """The bearer token on the API and metrics; what no schema sees refused."""

    @app.before_request
    def _require_bearer_token() -> None:
        if not (request.path.startswith(PROTECTED_PREFIX) or request.path == "/metrics"):
            return
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), token.encode()):
            abort(401, message="missing or wrong bearer token in the Authorization header")

    @app.before_request
    def _refuse_hostile_input() -> None:
        """The body's nesting (before anything parses it), path strings."""
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


def _install_routes(app: Flask, container: Container) -> None:
    """The few routes outside the API: metrics, the home page, no favicon."""

    @app.get("/metrics")
    def _metrics() -> Response:
        body, content_type = container.metrics_text()
        return Response(body, content_type=content_type)

    @app.get("/")
    def _home() -> Any:
        return redirect("/dashboard/")

    @app.get("/favicon.ico")
    def _no_icon() -> tuple[str, int]:
        return "", 204


def _install_platforms(app: Flask) -> None:
    """The platforms' own APIs, as their hosts call them (SPEC.md "Platform emulation")."""
    from app.entrypoints.http.platforms import meta, tiktok, x, youtube

    app.register_blueprint(meta.bp)
    app.register_blueprint(youtube.bp)
    app.register_blueprint(youtube.hub)
    app.register_blueprint(tiktok.bp)
    app.register_blueprint(x.bp)


def _install_errors(
    app: Flask, api: DemosimApi, transient: Callable[[BaseException], bool], limiter: Limiter
) -> None:
    """Domain errors by the table; an HTTP error a page under /dashboard (flask-smorest's
    JSON elsewhere); the database away a 503; anything else a 500 that is logged."""
    from app.entrypoints.http import dashboard

    for error, (code, status, field) in DOMAIN_ERRORS.items():
        app.register_error_handler(error, partial(_domain_error, code, status, field))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        if request.path.startswith("/dashboard"):  # a page, not JSON
            return dashboard.error_page(exc)
        return api.handle_http_exception(exc)

    @app.errorhandler(429)
    def _too_many(exc: HTTPException) -> Any:
        message = "too many wrong tokens from this address: wait a minute and try again"
        wait = {"Retry-After": str(protection.retry_after(limiter))}
        if request.path.startswith("/dashboard"):
            page, code = dashboard.render(
                "message.html", 429, title="Too many tries", message=message
            )
            return page, code, wait
        return _error_body(429, "Too Many Requests", message), 429, wait

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


def _domain_error(
    code: int, status: str, field: tuple[str, str] | None, exc: Exception
) -> tuple[dict[str, object], int]:
    body = _error_body(code, status, str(exc))
    if field is not None:
        location, name = field
        if not name:  # the error names its field: a path parameter or the body's
            name = getattr(exc, "field", "")
            location = "path" if name == "family" else location
        body["errors"] = {location: {name: [str(exc)]}}
    return body, code


def _error_body(code: int, status: str, message: str) -> dict[str, object]:
    """flask-smorest's error shape, for errors raised outside its abort()."""
    return {"code": code, "status": status, "message": message}
