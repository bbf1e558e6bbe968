"""Jobs: the list, a job with its live progress, cancel and retry."""

from uuid import UUID

from flask import flash, redirect, request, url_for
from werkzeug.wrappers import Response

from app.domain.errors import DomainError
from app.domain.jobs import JobFilter, JobKind, JobStatus
from app.entrypoints.http.context import queries, services
from app.entrypoints.http.dashboard import PAGE, bp, read_query, redirect_back, render
from app.entrypoints.http.schemas import JobQuerySchema


@bp.get("/jobs")
def jobs() -> tuple[str, int]:
    query = read_query(JobQuerySchema(), "Bad filter")
    # the sweeps and the reference host's YouTube polls (one a minute each) and X's CRCs are
    # housekeeping: listed only when asked for by kind; a sweep that found something starts a
    # delivery job, which is listed
    hidden = () if query.get("kind") else (JobKind.SWEEP, JobKind.YOUTUBE_POLL, JobKind.X_CRC)
    where = JobFilter(query.get("status"), query.get("kind"), query.get("account_id"), None, hidden)
    page = queries().jobs_page(where, query.get("cursor"), min(query["limit"], PAGE))
    return render(
        "jobs.html",
        page=page,
        sweeps_hidden=bool(hidden),
        args=request.args,
        statuses=[s.value for s in JobStatus],
        kinds=[k.value for k in JobKind],
    )


@bp.get("/jobs/<uuid:job_id>")
def job(job_id: UUID) -> tuple[str, int]:
    found = services().jobs.get(job_id)
    children = queries().jobs_page(JobFilter(parent_id=job_id), None, 200).items
    return render("job.html", job=found, children=children)


@bp.get("/jobs/<uuid:job_id>/card")
def job_card(job_id: UUID) -> tuple[str, int]:
    """The job page's card: polled by htmx until the job has finished."""
    return render("_job_card.html", job=services().jobs.get(job_id))


@bp.get("/jobs/<uuid:job_id>/progress")
def progress(job_id: UUID) -> tuple[str, int]:
    """The live part of a job's row: polled by htmx until the job has finished."""
    return render("_progress.html", job=services().jobs.get(job_id))


@bp.post("/jobs/<uuid:job_id>/cancel")
def cancel(job_id: UUID) -> Response:
    try:
        job = services().jobs.cancel(job_id)
        if job.status.is_final:
            flash(f"Job {job.id} is {job.status.value}.")
        else:  # a running job stops at its next checkpoint
            flash(f"Job {job.id} is cancelled: it stops at its next checkpoint.")
    except DomainError as exc:
        flash(f"Not done: {exc}", "error")
    return redirect_back(url_for("dashboard.job", job_id=job_id))


@bp.post("/jobs/<uuid:job_id>/retry")
def retry(job_id: UUID) -> Response:
    try:
        new, _ = services().jobs.retry(job_id)
    except DomainError as exc:
        flash(f"Not retried: {exc}", "error")
        return redirect_back(url_for("dashboard.job", job_id=job_id))
    flash(f"Retried as job {new.id}.")
    return redirect(url_for("dashboard.job", job_id=new.id))
