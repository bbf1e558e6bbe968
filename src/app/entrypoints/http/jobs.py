"""Jobs and deliveries: watch background work, cancel it, retry it, redeliver dead letters."""

from typing import Any
from uuid import UUID

from flask.views import MethodView

from app.domain.delivery import DeliveryFilter
from app.domain.jobs import Job, JobFilter
from app.entrypoints.http.context import (
    IDEMPOTENCY_HEADER,
    accepted,
    idempotency,
    page_body,
    queries,
    services,
)
from app.entrypoints.http.safety import Blueprint
from app.entrypoints.http.schemas import (
    DeliveryPageSchema,
    DeliveryQuerySchema,
    JobPageSchema,
    JobQuerySchema,
    JobSchema,
    RedeliverSchema,
)

blp = Blueprint("jobs", __name__, url_prefix="/api/v1", description="Background jobs and delivery")

POLL_SECONDS = "2"


@blp.route("/jobs")
class Jobs(MethodView):
    @blp.arguments(JobQuerySchema, location="query")
    @blp.response(200, JobPageSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Newest first; filters status, kind, account_id; follow next_cursor."""
        where = JobFilter(
            query.get("status"), query.get("kind"), query.get("account_id"), query.get("parent_id")
        )
        page = queries().jobs_page(where, query.get("cursor"), query["limit"])
        return page_body(page)


@blp.route("/jobs/<uuid:job_id>")
class JobById(MethodView):
    @blp.response(200, JobSchema)
    @blp.alt_response(404, description="no such job")
    def get(self, job_id: UUID) -> tuple[Job, int, dict[str, str]]:
        """One job with its phase and progress; Retry-After says when to look again."""
        job = services().jobs.get(job_id)
        return job, 200, {} if job.status.is_final else {"Retry-After": POLL_SECONDS}


@blp.route("/jobs/<uuid:job_id>/cancel")
class CancelJob(MethodView):
    @blp.response(202, JobSchema)
    @blp.alt_response(409, description="the job has finished")
    def post(self, job_id: UUID) -> Job:
        """Queued: cancelled at once. Running: stops at its next checkpoint."""
        return services().jobs.cancel(job_id)


@blp.route("/jobs/<uuid:job_id>/retry")
class RetryJob(MethodView):
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @blp.response(202, JobSchema)
    @blp.alt_response(409, description="only a failed or cancelled job can be retried")
    def post(self, job_id: UUID) -> tuple[Job, int, dict[str, str]]:
        """A new job (retry_of this one) that resumes where this one stopped."""
        job, _ = services().jobs.retry(job_id, idempotency())
        return accepted(job)


@blp.route("/deliveries")
class Deliveries(MethodView):
    @blp.arguments(DeliveryQuerySchema, location="query")
    @blp.response(200, DeliveryPageSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Outbox rows by delivery status (default: failed, the dead letters)."""
        where = DeliveryFilter(query["status"], query.get("account_id"))
        page = queries().deliveries_page(where, query.get("cursor"), query["limit"])
        return page_body(page)


@blp.route("/deliveries/redeliver")
class Redeliver(MethodView):
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @blp.arguments(RedeliverSchema, required=False)
    @blp.response(202, JobSchema)
    def post(self, body: dict[str, Any]) -> tuple[Job, int, dict[str, str]]:
        """Dead letters back to the queue with fresh attempts, and a job delivering them."""
        job, _ = services().delivery.redeliver((body or {}).get("account_id"), idempotency())
        return accepted(job)
