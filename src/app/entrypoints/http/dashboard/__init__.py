"""The dashboard at /dashboard: server-rendered pages over the same services and views as the
REST API, and the same schemas to read what a form sends (no second copy of any rule).

Signed in with the API token: the session lives in PostgreSQL (services/sessions.py), its
secret in a signed, HttpOnly, SameSite=Strict cookie, so signing out ends it for every copy of
the cookie. Every form carries a CSRF token; the live parts (job progress) poll with htmx.
Every script, style and font is served from ./static.
"""

import hmac
import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import Blueprint, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from app.config import Settings
from app.domain.errors import NotFoundError
from app.entrypoints.http.context import services
from app.entrypoints.http.safety import first_problem

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
csrf = CSRFProtect()
PAGE = 50
_WITHIN = re.compile(r"^/dashboard(?:[/?]|$)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\\]")  # and backslashes, which some browsers read as /


def install(app: Any, token: str, settings: Settings) -> None:
    """The cookie and CSRF configuration, and the blueprint. The cookie's signing key is
    derived from the token and the secret: stable across processes, and a new token signs
    everyone out."""
    secret = settings.require_webhook_secret().encode()
    lifetime = timedelta(hours=settings.dashboard_session_hours)
    app.config.update(
        SECRET_KEY=hmac.digest(secret, b"dashboard:" + token.encode(), "sha256"),
        SESSION_COOKIE_NAME="demosim_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=lifetime,
        WTF_CSRF_CHECK_DEFAULT=False,  # the dashboard's forms only: the API uses a bearer token
        WTF_CSRF_TIME_LIMIT=int(lifetime.total_seconds()),
    )
    csrf.init_app(app)
    app.register_blueprint(bp)


@bp.before_request
def _guard() -> Response | None:
    if request.method == "POST":
        csrf.protect()
    secret = session.get("sid")
    g.signed_in = isinstance(secret, str) and services().sessions.check(secret)
    if request.endpoint == "dashboard.login" or g.signed_in:
        return None
    session.clear()  # a cookie whose session ended opens nothing
    return redirect(url_for("dashboard.login", next=back_to(request.full_path.rstrip("?"), "")))


class _BadNext(Exception):
    """A `next` with a line break or control character: refused, never put in a header."""


@bp.errorhandler(_BadNext)
def _bad_next(_: _BadNext) -> tuple[str, int]:
    message = "The page to go back to has a character no address can hold."
    return render("message.html", 400, title="Bad address", message=message)


def back_to(target: str, default: str) -> str:
    """`target` when it is a page of the dashboard, else `default`; a line break in it is a
    400 page (it would otherwise reach the Location header)."""
    if _CONTROL.search(target):
        raise _BadNext(target)
    return target if _WITHIN.match(target) else default


def render(template: str, code: int = 200, **context: Any) -> tuple[str, int]:
    """A page; after a refused query string (read_query), a 400 naming the field."""
    refused = g.get("refused_query")
    if refused and code == 200:
        code = 400
        context.setdefault("error", refused)
    return render_template(f"dashboard/{template}", **context), code


@bp.errorhandler(CSRFError)
def _stale_form(exc: CSRFError) -> tuple[str, int]:
    message = (
        f"This form was refused ({exc.description}): it is stale or did not come from this "
        "dashboard. Reload the page and send it again."
    )
    return render("message.html", 400, title="Form refused", message=message)


@bp.errorhandler(NotFoundError)
def _missing(exc: NotFoundError) -> tuple[str, int]:
    return render("message.html", 404, title="Not found", message=str(exc))


def error_page(exc: HTTPException) -> tuple[str, int]:
    """An HTTP error under /dashboard as a page (the app's handler hands them here)."""
    code = exc.code or 500
    if code == 404:
        message = f"There is no page at {request.path} (an account or job id must be a UUID)."
        return render("message.html", 404, title="Not found", message=message)
    if code == 405:
        message = f"{request.path} does not take a {request.method}: use the page's own links."
        return render("message.html", 405, title="Not here", message=message)
    return render("message.html", code, title=exc.name, message=exc.description or exc.name)


class BadQuery(Exception):
    """A query string the REST API's schema refuses: a message page naming the field."""

    def __init__(self, title: str, problem: str) -> None:
        super().__init__(problem)
        self.title, self.problem = title, problem


@bp.errorhandler(BadQuery)
def _bad_query(exc: BadQuery) -> tuple[str, int]:
    return render("message.html", 400, title=exc.title, message=exc.problem)


def read_query(schema: Schema, title: str) -> Any:
    """The request's query string, read by the REST API's schema for the same endpoint. One
    it refuses leaves the person on the page: shown unfiltered, with the message naming the
    field, the form still holding what they typed (a 400)."""
    try:
        return read_form(schema, request.args)
    except ValidationError as exc:
        g.refused_query = f"{title}: {problem_of(exc)}"
        return schema.load({})


def read_form(schema: Schema, data: Mapping[str, Any]) -> Any:
    """What a form or query string says, read by the REST API's own schema; blanks are unset."""
    given = {k: v for k, v in data.items() if v != ""}
    return schema.load(given)


# the schema's words where a person needs others
_IN_WORDS = {
    "Not a valid aware datetime.": "give a date and time with its zone, e.g. 2026-05-01T09:00Z.",
}


def problem_of(exc: ValidationError) -> str:
    """Every field the schema refused, each with its problem."""
    messages = exc.messages
    if isinstance(messages, dict):
        said = "; ".join(first_problem({name: problem}) for name, problem in messages.items())
    else:
        said = first_problem(messages)
    for schema_words, words in _IN_WORDS.items():
        said = said.replace(schema_words, words)
    return said


def unconfirmed(title: str, question: str, action: str, back: str) -> tuple[str, int] | None:
    """What a destructive form shows first: a page asking for a second step (a form, so it
    works without JavaScript); None once the person has confirmed."""
    if request.form.get("confirmed") == "yes":
        return None
    fields = {k: v for k, v in request.form.items() if k not in ("csrf_token", "confirmed")}
    return render(
        "confirm.html", title=title, question=question, action=action, fields=fields,
        back=back, danger=True,
    )  # fmt: skip


def redirect_back(default: str) -> Response:
    return redirect(back_to(request.form.get("next", ""), default))


# the pages, each group in its module, register their routes on `bp`
from app.entrypoints.http.dashboard import (  # noqa: E402, F401
    accounts,
    deliveries,
    formats,
    inbox,
    jobs,
    scenarios,
    schedules,
    signing,
)
