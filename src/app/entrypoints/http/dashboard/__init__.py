"""The dashboard at /dashboard: server-rendered pages over the same services and views as the
REST API, and the same schemas to read what a form sends (no second copy of any rule).

Signed in with the API token (a signed, HttpOnly, SameSite=Strict session cookie); every
form carries a CSRF token; the live parts (job progress) poll with htmx. Every script, style
and font is served from ./static.
"""

import hmac
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from app.domain.errors import NotFoundError
from app.entrypoints.http.safety import first_problem

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
csrf = CSRFProtect()
PAGE = 50
SESSION_HOURS = 12


def install(app: Any, token: str, webhook_secret: str) -> None:
    """The session and CSRF configuration, and the blueprint. The session key is derived from
    the token and the secret: stable across processes, and a new token signs everyone out."""
    app.config.update(
        SECRET_KEY=hmac.digest(webhook_secret.encode(), b"dashboard:" + token.encode(), "sha256"),
        SESSION_COOKIE_NAME="demosim_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        WTF_CSRF_CHECK_DEFAULT=False,  # the dashboard's forms only: the API uses a bearer token
        WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
    )
    csrf.init_app(app)
    app.register_blueprint(bp)


@bp.before_request
def _guard() -> Response | None:
    if request.method == "POST":
        csrf.protect()
    if request.endpoint != "dashboard.login" and not session.get("signed_in"):
        return redirect(url_for("dashboard.login", next=request.full_path.rstrip("?")))
    return None


def render(template: str, code: int = 200, **context: Any) -> tuple[str, int]:
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


def no_page(_: HTTPException) -> tuple[str, int]:
    """No route matched (the app's 404 hands dashboard paths here)."""
    message = f"There is no page at {request.path} (an account or job id must be a UUID)."
    return render("message.html", 404, title="Not found", message=message)


class _BadQuery(Exception):
    """A query string the REST API's schema refuses: a message page naming the field."""

    def __init__(self, title: str, problem: str) -> None:
        super().__init__(problem)
        self.title, self.problem = title, problem


@bp.errorhandler(_BadQuery)
def _bad_query(exc: _BadQuery) -> tuple[str, int]:
    return render("message.html", 400, title=exc.title, message=exc.problem)


def read_query(schema: Schema, title: str) -> Any:
    """The request's query string, read by the REST API's schema for the same endpoint."""
    try:
        return read_form(schema, request.args)
    except ValidationError as exc:
        raise _BadQuery(title, f"{title}: {problem_of(exc)}") from None


def read_form(schema: Schema, data: Mapping[str, Any]) -> Any:
    """What a form or query string says, read by the REST API's own schema; blanks are unset."""
    given = {k: v for k, v in data.items() if v != ""}
    return schema.load(given)


def problem_of(exc: ValidationError) -> str:
    return first_problem(exc.messages)


def redirect_back(default: str) -> Response:
    target = request.form.get("next", "")
    if not target.startswith("/dashboard"):  # only back into the dashboard
        target = default
    return redirect(target)


# the pages, each group in its module, register their routes on `bp`
from app.entrypoints.http.dashboard import (  # noqa: E402, F401
    accounts,
    deliveries,
    inbox,
    jobs,
    schedules,
    signing,
)
