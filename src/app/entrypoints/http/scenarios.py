"""Named scenarios: the shipped ones, a run started against a demo account, its curve beside
what was delivered, and stopping it."""

from typing import Any
from uuid import UUID

from flask import url_for
from flask.views import MethodView

from app.domain.jobs import Job
from app.domain.scenarios import Scenario
from app.entrypoints.http.context import IDEMPOTENCY_HEADER, idempotency, services
from app.entrypoints.http.safety import Blueprint
from app.entrypoints.http.schemas import (
    JobSchema,
    ScenarioRunSchema,
    ScenarioSchema,
    StartScenarioSchema,
    StoppedRunSchema,
)
from app.services.scenarios import ScenarioRun

blp = Blueprint("scenarios", __name__, url_prefix="/api/v1", description="Scenarios")


@blp.route("/scenarios")
class Scenarios(MethodView):
    @blp.response(200, ScenarioSchema(many=True))
    def get(self) -> list[tuple[Scenario, list[str]]]:
        """The shipped scenarios: their curves, and the paths an override may set."""
        return services().scenarios.catalogue()


@blp.route("/accounts/<uuid:account_id>/scenarios")
class AccountScenarios(MethodView):
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @blp.arguments(StartScenarioSchema)
    @blp.response(202, JobSchema, description="started; Location: the job writing the run")
    @blp.alt_response(404, description="demo mode is off for this account")
    @blp.alt_response(422, description="an unknown name, a bad path (the valid ones listed)")
    def post(self, request: dict[str, Any], account_id: UUID) -> tuple[Job, int, Any]:
        """Run a named scenario on the account: its items arrive from `start` (now when left
        out) on the scenario's curve, through the live signed path; runs compose."""
        job = services().scenarios.start(
            account_id, request["name"], request["overrides"], request["start"], idempotency()
        )
        return job, 202, {"Location": url_for("jobs.JobById", job_id=job.id)}

    @blp.response(200, ScenarioRunSchema(many=True))
    def get(self, account_id: UUID) -> list[ScenarioRun]:
        """The account's runs, newest first: the declared curve and what was delivered, per
        5-minute window from the start."""
        return services().scenarios.runs(account_id)


@blp.route("/accounts/<uuid:account_id>/scenarios/<uuid:run_id>")
class AccountScenario(MethodView):
    @blp.response(200, StoppedRunSchema)
    @blp.alt_response(404, description="no such run on this account")
    def delete(self, account_id: UUID, run_id: UUID) -> dict[str, Any]:
        """Stop a run: what it has not delivered yet is withdrawn."""
        return {"withdrawn": services().scenarios.stop(account_id, run_id)}
