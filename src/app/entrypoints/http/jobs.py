"""Jobs and deliveries: watch background work, cancel it, retry it, redeliver dead letters."""

import hashlib
import json
from typing import Any
from uuid import UUID

from flask import request, url_for
from flask.views import MethodView
from flask_smorest import abort

from app.domain.jobs import Job
from app.entrypoints.http import container
from app.entrypoints.http.safety import Blueprint, unstorable_text
from app.entrypoints.http.schemas import (
    DeliveryPageSchema,
    DeliveryQuerySchema,
    JobPageSchema,
    JobQuerySchema,
    JobSchema,
    RedeliverSchema,
    page_body,
)
from app.services import delivery, jobs
from app.services.jobs import Idempotency

blp = Blueprint("jobs", __name__, url_prefix="/api/v1", description="Background jobs and delivery")

POLL_SECONDS = "2"
IDEMPOTENCY_HEADER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "maxLength": 255},
    "description": "the same key with the same body returns the first job; another body is 422",
}


def idempotency() -> Idempotency | None:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return None
    problem = unstorable_text(key)
    if problem is not None:
        abort(
            422,
            message=f"Idempotency-Key {problem}",
            errors={"headers": {"Idempotency-Key": [problem]}},
        )
    body = request.get_data()
    try:
        canonical = json.dumps(json.loads(body or b"{}"), sort_keys=True).encode()
    except ValueError:
        canonical = body
    query = sorted(request.args.items(multi=True))
    digest = hashlib.sha256(f"{request.method} {request.path} {query}\n".encode() + canonical)
    return Idempotency(key=key[:255], fingerprint=digest.hexdigest())


def accepted(job: Job) -> tuple[Job, int, dict[str, str]]:
    return job, 202, {"Location": url_for("jobs.JobById", job_id=job.id)}


@blp.route("/jobs")
class Jobs(MethodView):
    @blp.arguments(JobQuerySchema, location="query")
    @blp.response(200, JobPageSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Newest first; filters status, kind, account_id; follow next_cursor."""
        page = jobs.list_jobs(
            container().uow,
            query.get("cursor"),
            query["limit"],
            query.get("status"),
            query.get("kind"),
            query.get("account_id"),
        )
        return page_body(page)


@blp.route("/jobs/<uuid:job_id>")
class JobById(MethodView):
    @blp.response(200, JobSchema)
    @blp.alt_response(404, description="no such job")
    def get(self, job_id: UUID) -> tuple[Job, int, dict[str, str]]:
        """One job with its phase and progress; Retry-After says when to look again."""
        job = jobs.get_job(container().uow, job_id)
        return job, 200, {} if job.status.is_final else {"Retry-After": POLL_SECONDS}


@blp.route("/jobs/<uuid:job_id>/cancel")
class CancelJob(MethodView):
    @blp.response(202, JobSchema)
    @blp.alt_response(409, description="the job has finished")
    def post(self, job_id: UUID) -> Job:
        """Queued: cancelled at once. Running: stops at its next checkpoint."""
        c = container()
        return jobs.cancel_job(c.uow, c.queue, c.clock, job_id)


@blp.route("/jobs/<uuid:job_id>/retry")
class RetryJob(MethodView):
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @blp.response(202, JobSchema)
    @blp.alt_response(409, description="only a failed or cancelled job can be retried")
    def post(self, job_id: UUID) -> tuple[Job, int, dict[str, str]]:
        """A new job (retry_of this one) that resumes where this one stopped."""
        c = container()
        job, _ = jobs.retry_job(c.uow, c.queue, c.clock, job_id, idempotency())
        return accepted(job)


@blp.route("/deliveries")
class Deliveries(MethodView):
    @blp.arguments(DeliveryQuerySchema, location="query")
    @blp.response(200, DeliveryPageSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Outbox rows by delivery status (default: failed, the dead letters)."""
        page = delivery.list_deliveries(
            container().uow,
            query["status"],
            query.get("cursor"),
            query["limit"],
            query.get("account_id"),
        )
        return page_body(page)


@blp.route("/deliveries/redeliver")
class Redeliver(MethodView):
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @blp.arguments(RedeliverSchema, required=False)
    @blp.response(202, JobSchema)
    def post(self, body: dict[str, Any]) -> tuple[Job, int, dict[str, str]]:
        """Dead letters back to the queue with fresh attempts, and a job delivering them."""
        c = container()
        job, _ = delivery.redeliver(
            c.uow, c.queue, c.clock, (body or {}).get("account_id"), idempotency()
        )
        return accepted(job)
