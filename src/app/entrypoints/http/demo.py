"""Demo mode of an account: turn it on (the initial batch), fill its past, look at it, turn it
off."""

from dataclasses import replace
from typing import Any
from uuid import UUID

from flask import url_for
from flask.views import MethodView

from app.domain.demo import DemoState
from app.domain.jobs import Job
from app.entrypoints.http.context import IDEMPOTENCY_HEADER, idempotency, services, views
from app.entrypoints.http.safety import Blueprint
from app.entrypoints.http.schemas import (
    BackfillSchema,
    DemoStateSchema,
    DisableDemoQuerySchema,
    EnableDemoSchema,
    JobSchema,
)
from app.services.demo import EnableDemo

blp = Blueprint("demo", __name__, url_prefix="/api/v1/accounts", description="Demo mode")


@blp.route("/<uuid:account_id>/demo")
class Demo(MethodView):
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @blp.arguments(EnableDemoSchema, required=False)
    @blp.response(200, DemoStateSchema, description="already enabled: nothing changed")
    @blp.alt_response(202, schema=DemoStateSchema, description="enabled; Location: initial job")
    @blp.alt_response(409, description="native delivery without a verified app of the family")
    def put(self, request: EnableDemo | None, account_id: UUID) -> tuple[DemoState, int, Any]:
        """Enable demo mode: profile, and one initial batch job filling the inbox."""
        job, started = services().demo.enable(account_id, request or EnableDemo(), idempotency())
        state = views().demo(account_id)
        if started and job is not None:
            location = {"Location": url_for("jobs.JobById", job_id=job.id)}
            return replace(state, job=job), 202, location
        return state, 200, {}

    @blp.response(200, DemoStateSchema)
    @blp.alt_response(404, description="demo mode was never enabled for this account")
    def get(self, account_id: UUID) -> DemoState:
        """Demo state: profile, counts by kind and by delivery status, the latest job."""
        return views().demo(account_id)

    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @blp.arguments(DisableDemoQuerySchema, location="query")
    @blp.response(200, DemoStateSchema, description="disabled")
    @blp.alt_response(202, schema=DemoStateSchema, description="disabled; Location: purge job")
    @blp.alt_response(404, description="demo mode was never enabled for this account")
    def delete(self, query: dict[str, Any], account_id: UUID) -> tuple[DemoState, int, Any]:
        """Disable (cancelling the account's jobs); purge=true also deletes its demo data."""
        purge_job = services().demo.disable(account_id, query["purge"], idempotency())
        state = views().demo(account_id)
        if purge_job is not None:
            location = {"Location": url_for("jobs.JobById", job_id=purge_job.id)}
            return replace(state, job=purge_job), 202, location
        return state, 200, {}


@blp.route("/<uuid:account_id>/backfill")
class Backfill(MethodView):
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @blp.arguments(BackfillSchema)
    @blp.response(202, JobSchema, description="started; Location: the backfill's job")
    @blp.alt_response(404, description="demo mode is off for this account")
    @blp.alt_response(422, description="days out of range; the message names the range")
    def post(self, request: dict[str, Any], account_id: UUID) -> tuple[Job, int, Any]:
        """Fill the account's past `days` (up to the ticks' last slot) through the live signed
        path, each item with its original time; the live ticks after it begin where it ends."""
        job = services().demo.backfill(account_id, request["days"], idempotency())
        return job, 202, {"Location": url_for("jobs.JobById", job_id=job.id)}
