"""Deliveries: the outbox by status (queued, sending, sent, failed), and redelivering dead
letters."""

from uuid import UUID

from flask import flash, redirect, request, url_for
from werkzeug.wrappers import Response

from app.domain.delivery import DeliveryFilter, DeliveryStatus
from app.entrypoints.http.context import queries, services, views
from app.entrypoints.http.dashboard import PAGE, bp, read_query, render
from app.entrypoints.http.schemas import DeliveryQuerySchema

RECENT_ATTEMPTS = 20


@bp.get("/deliveries")
def deliveries() -> tuple[str, int]:
    query = read_query(DeliveryQuerySchema(), "Bad filter")
    status: DeliveryStatus = query["status"]
    where = DeliveryFilter(status, query.get("account_id"))
    page = queries().deliveries_page(where, query.get("cursor"), min(query["limit"], PAGE))
    return render(
        "deliveries.html",
        page=page,
        shown=status,
        counts=views().outbox_rows(),
        attempts=queries().recent_attempts(RECENT_ATTEMPTS),
        statuses=[s.value for s in DeliveryStatus],
        args=request.args,
    )


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
