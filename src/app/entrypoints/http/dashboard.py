"""The dashboard at /dashboard: server-rendered pages over the same services and views as the
REST API, and the same schemas to read what a form sends (no second copy of any rule).

Signed in with the API token (a signed, HttpOnly, SameSite=Strict session cookie); every
form carries a CSRF token; the live parts (job progress) poll with htmx. Every script, style
and font is served from ./static.
"""

import hmac
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError, CSRFProtect
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from app.domain.delivery import DeliveryFilter, DeliveryStatus
from app.domain.demo import DemoState, DmFrequency, Persona
from app.domain.errors import DomainError, NotFoundError
from app.domain.generation import SUPPORTED_LOCALES
from app.domain.inbox import InboxFilter, InteractionKind, Platform
from app.domain.jobs import Job, JobFilter, JobKind, JobStatus
from app.entrypoints.http.context import container, queries, services, views
from app.entrypoints.http.safety import first_problem
from app.entrypoints.http.schemas import (
    DeliveryQuerySchema,
    EnableDemoSchema,
    InboxQuerySchema,
    InsightsQuerySchema,
    JobQuerySchema,
    PageQuerySchema,
    UpdateScheduleSchema,
    inbox_filter,
)

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


def _page(template: str, code: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(f"dashboard/{template}", **context), code


@bp.errorhandler(CSRFError)
def _stale_form(exc: CSRFError) -> tuple[str, int]:
    message = (
        f"This form was refused ({exc.description}): it is stale or did not come from this "
        "dashboard. Reload the page and send it again."
    )
    return _page("message.html", 400, title="Form refused", message=message)


@bp.errorhandler(NotFoundError)
def _missing(exc: NotFoundError) -> tuple[str, int]:
    return _page("message.html", 404, title="Not found", message=str(exc))


def no_page(_: HTTPException) -> tuple[str, int]:
    """No route matched (the app's 404 hands dashboard paths here)."""
    message = f"There is no page at {request.path} (an account or job id must be a UUID)."
    return _page("message.html", 404, title="Not found", message=message)


class _BadQuery(Exception):
    """A query string the REST API's schema refuses: a message page naming the field."""

    def __init__(self, title: str, problem: str) -> None:
        super().__init__(problem)
        self.title, self.problem = title, problem


@bp.errorhandler(_BadQuery)
def _bad_query(exc: _BadQuery) -> tuple[str, int]:
    return _page("message.html", 400, title=exc.title, message=exc.problem)


def _query(schema: Schema, title: str) -> Any:
    """The request's query string, read by the REST API's schema for the same endpoint."""
    try:
        return _load(schema, request.args)
    except ValidationError as exc:
        raise _BadQuery(title, f"{title}: {_problem(exc)}") from None


def _load(schema: Schema, data: Mapping[str, Any]) -> Any:
    """What a form or query string says, read by the REST API's own schema; blanks are unset."""
    given = {k: v for k, v in data.items() if v != ""}
    return schema.load(given)


def _problem(exc: ValidationError) -> str:
    return first_problem(exc.messages)


def _redirect_back(default: str) -> Response:
    target = request.form.get("next", "")
    if not target.startswith("/dashboard"):  # only back into the dashboard
        target = default
    return redirect(target)


# --- signing in ------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    target = request.values.get("next", "")
    if not target.startswith("/dashboard"):
        target = url_for("dashboard.accounts")
    if request.method == "GET":
        return _page("login.html", next=target)
    given = request.form.get("token", "")
    token = container().settings.require_api_token()
    if not hmac.compare_digest(given.encode(), token.encode()):
        message = (
            "That is not the API token. It is DEMOSIM_API_TOKEN (make serve prints where it is)."
        )
        return _page("login.html", 401, next=target, error=message)
    session.clear()
    session.permanent = True
    session["signed_in"] = True
    return redirect(target)


@bp.post("/logout")
def logout() -> Response:
    session.clear()
    flash("Signed out.")
    return redirect(url_for("dashboard.login"))


# --- accounts and demo mode ---------------------------------------------------------------


def _choices() -> dict[str, Any]:
    return {
        "platforms": [p.value for p in Platform],
        "personas": [p.value for p in Persona],
        "dm_frequencies": [f.value for f in DmFrequency],
        "locales": SUPPORTED_LOCALES,
    }


@bp.get("/")
def accounts() -> tuple[str, int]:
    return _page(
        "accounts.html",
        states=queries().demo_states(PAGE),
        new_account=uuid4(),
        form={},
        **_choices(),
    )


@bp.post("/accounts")
def enable() -> Any:
    form = request.form
    try:
        account_id = UUID(form.get("account_id", "").strip())
    except ValueError:
        return _enable_refused("account_id: not a valid UUID")
    data = {k: form.get(k, "") for k in ("platform", "persona", "dm_frequency", "seed", "locale")}
    sizes = {k: form.get(k, "") for k in ("content", "comments", "dms") if form.get(k, "")}
    try:
        wanted = _load(EnableDemoSchema(), {**data, **({"sizes": sizes} if sizes else {})})
        job, started = services().demo.enable(account_id, wanted)
    except ValidationError as exc:
        return _enable_refused(_problem(exc))
    except DomainError as exc:
        return _enable_refused(str(exc))
    if not started or job is None:
        flash(f"Demo mode was already on for {account_id}; nothing changed.")
        return redirect(url_for("dashboard.accounts"))
    flash(f"Demo mode on for {account_id}: the initial batch runs as job {job.id}.")
    return redirect(url_for("dashboard.job", job_id=job.id))


def _enable_refused(problem: str) -> tuple[str, int]:
    return _page(
        "accounts.html",
        422,
        states=queries().demo_states(PAGE),
        new_account=request.form.get("account_id", ""),
        form=request.form,
        error=f"Demo mode was not enabled: {problem}",
        **_choices(),
    )


@bp.post("/accounts/<uuid:account_id>/disable")
def disable(account_id: UUID) -> Response:
    purge = request.form.get("purge") == "true"
    job = services().demo.disable(account_id, purge)
    if job is not None:
        flash(f"Demo mode off for {account_id}; its demo data is deleted by job {job.id}.")
        return redirect(url_for("dashboard.job", job_id=job.id))
    flash(f"Demo mode off for {account_id}; its jobs were cancelled.")
    return redirect(url_for("dashboard.accounts"))


# --- inbox, conversations, insights -------------------------------------------------------


def _state(account_id: UUID) -> DemoState | None:
    try:
        return views().demo(account_id)
    except NotFoundError:
        return None


@bp.get("/accounts/<uuid:account_id>/inbox")
def inbox(account_id: UUID) -> tuple[str, int]:
    state = _state(account_id)
    try:
        query = _load(InboxQuerySchema(), request.args)
    except ValidationError as exc:
        return _page(
            "inbox.html", 400, account_id=account_id, state=state, page=None,
            args=request.args, error=f"Bad filter: {_problem(exc)}",
        )  # fmt: skip
    where = inbox_filter(account_id, query)
    page = queries().inbox_page(where, query.get("cursor"), min(query["limit"], PAGE))
    return _page(
        "inbox.html",
        account_id=account_id,
        state=state,
        page=page,
        args=request.args,
        kinds=[k.value for k in InteractionKind],
    )


@bp.get("/accounts/<uuid:account_id>/inbox/<uuid:interaction_id>/thread")
def thread(account_id: UUID, interaction_id: UUID) -> tuple[str, int]:
    found = views().thread(account_id, interaction_id)
    return _page("thread.html", account_id=account_id, thread=found, depth=_depths(found))


def _depths(found: Any) -> dict[str, int]:
    """How deep each comment of a thread sits (0: the comment), for indenting."""
    depth = {found.comment.data.platform_id: 0}
    for reply in found.replies:
        depth[reply.data.platform_id] = min(depth.get(reply.data.in_reply_to, 0) + 1, 6)
    return depth


@bp.get("/accounts/<uuid:account_id>/conversations")
def conversations(account_id: UUID) -> tuple[str, int]:
    query = _query(PageQuerySchema(), "Bad page")
    page = queries().conversations(account_id, query.get("cursor"), min(query["limit"], PAGE))
    return _page("conversations.html", account_id=account_id, state=_state(account_id), page=page)


@bp.get("/accounts/<uuid:account_id>/conversations/<conversation_id>")
def conversation(account_id: UUID, conversation_id: str) -> tuple[str, int]:
    where = InboxFilter(account_id=account_id, conversation_id=conversation_id)
    messages = list(reversed(queries().inbox_page(where, None, 200).items))
    if not messages:
        raise NotFoundError(f"no conversation {conversation_id} in the inbox of {account_id}")
    return _page(
        "conversation.html",
        account_id=account_id,
        messages=messages,
        conversation_id=conversation_id,
    )


@bp.get("/accounts/<uuid:account_id>/insights")
def insights(account_id: UUID) -> tuple[str, int]:
    query = _query(InsightsQuerySchema(), "Bad period")
    found = views().insights(account_id, query["days"])
    return _page(
        "insights.html",
        account_id=account_id,
        state=_state(account_id),
        insights=found,
        days=query["days"],
        peak=max((d.comments + d.dms for d in found.per_day), default=0),
    )


# --- jobs, schedules, deliveries ----------------------------------------------------------


@bp.get("/jobs")
def jobs() -> tuple[str, int]:
    query = _query(JobQuerySchema(), "Bad filter")
    where = JobFilter(query.get("status"), query.get("kind"), query.get("account_id"))
    page = queries().jobs_page(where, query.get("cursor"), min(query["limit"], PAGE))
    return _page(
        "jobs.html",
        page=page,
        args=request.args,
        statuses=[s.value for s in JobStatus],
        kinds=[k.value for k in JobKind],
    )


@bp.get("/jobs/<uuid:job_id>")
def job(job_id: UUID) -> tuple[str, int]:
    found = services().jobs.get(job_id)
    children = queries().jobs_page(JobFilter(parent_id=job_id), None, 200).items
    return _page("job.html", job=found, children=children)


@bp.get("/jobs/<uuid:job_id>/card")
def job_card(job_id: UUID) -> tuple[str, int]:
    """The job page's card: polled by htmx until the job has finished."""
    return _page("_job_card.html", job=services().jobs.get(job_id))


@bp.get("/jobs/<uuid:job_id>/progress")
def progress(job_id: UUID) -> tuple[str, int]:
    """The live part of a job's row: polled by htmx until the job has finished."""
    return _page("_progress.html", job=services().jobs.get(job_id))


def _job_action(action: Callable[[UUID], Job], job_id: UUID, done: str) -> Response:
    try:
        result = action(job_id)
        flash(done.format(job=result))
    except DomainError as exc:
        flash(f"Not done: {exc}", "error")
    return _redirect_back(url_for("dashboard.job", job_id=job_id))


@bp.post("/jobs/<uuid:job_id>/cancel")
def cancel(job_id: UUID) -> Response:
    return _job_action(services().jobs.cancel, job_id, "Job {job.id} is {job.status.value}.")


@bp.post("/jobs/<uuid:job_id>/retry")
def retry(job_id: UUID) -> Response:
    try:
        new, _ = services().jobs.retry(job_id)
    except DomainError as exc:
        flash(f"Not retried: {exc}", "error")
        return _redirect_back(url_for("dashboard.job", job_id=job_id))
    flash(f"Retried as job {new.id}.")
    return redirect(url_for("dashboard.job", job_id=new.id))


@bp.get("/schedules")
def schedules() -> tuple[str, int]:
    return _page("schedules.html", schedules=services().schedules.all())


@bp.post("/schedules/<name>")
def update_schedule(name: str) -> Any:
    data = {k: request.form[k] for k in ("enabled", "cron") if k in request.form}
    try:
        change = _load(UpdateScheduleSchema(), data)
        updated = services().schedules.update(
            name, enabled=change.get("enabled"), cron=change.get("cron")
        )
    except ValidationError as exc:
        return _page(
            "schedules.html", 422, schedules=services().schedules.all(),
            error=f"Schedule {name} not changed: {_problem(exc)}", failed=name,
            tried=request.form.get("cron", ""),
        )  # fmt: skip
    state = "resumed" if updated.enabled else "paused"
    flash(f"Schedule {name}: {state}, cron {updated.cron.expression} (UTC).")
    return redirect(url_for("dashboard.schedules"))


@bp.post("/schedules/<name>/trigger")
def trigger(name: str) -> Response:
    started = services().schedules.trigger(name)
    flash(f"Schedule {name} runs now as job {started.id}.")
    return redirect(url_for("dashboard.job", job_id=started.id))


@bp.get("/deliveries")
def deliveries() -> tuple[str, int]:
    query = _query(DeliveryQuerySchema(), "Bad filter")
    status: DeliveryStatus = query["status"]
    where = DeliveryFilter(status, query.get("account_id"))
    page = queries().deliveries_page(where, query.get("cursor"), min(query["limit"], PAGE))
    return _page("deliveries.html", page=page, shown=status, args=request.args)


@bp.post("/deliveries/redeliver")
def redeliver() -> Response:
    raw = request.form.get("account_id", "").strip()
    try:
        account_id = UUID(raw) if raw else None
    except ValueError:
        flash("Not redelivered: account_id is not a valid UUID.", "error")
        return redirect(url_for("dashboard.deliveries"))
    job, _ = services().delivery.redeliver(account_id)
    flash(f"Dead letters back in the queue; job {job.id} delivers them.")
    return redirect(url_for("dashboard.job", job_id=job.id))


@bp.app_template_filter("when")
def _when(at: Any) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if at else "-"


@bp.app_template_global("static_url")
def _static_url(path: str) -> str:
    return url_for("static", filename=path, v=current_app.config.get("ASSET_VERSION", "1"))
