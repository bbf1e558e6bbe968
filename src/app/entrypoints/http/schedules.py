"""Schedules: what runs when, pause or re-time one, run one now."""

from typing import Any

from flask.views import MethodView

from app.domain.jobs import Job
from app.domain.schedules import Schedule
from app.entrypoints.http.context import IDEMPOTENCY_HEADER, accepted, idempotency, services
from app.entrypoints.http.safety import Blueprint
from app.entrypoints.http.schemas import (
    JobSchema,
    ScheduleListSchema,
    ScheduleSchema,
    UpdateScheduleSchema,
)

blp = Blueprint("schedules", __name__, url_prefix="/api/v1", description="Recurring schedules")


@blp.route("/schedules")
class Schedules(MethodView):
    @blp.response(200, ScheduleListSchema)
    def get(self) -> dict[str, Any]:
        """Every schedule with its cron (UTC), last run and next run."""
        return {"items": services().schedules.all()}


@blp.route("/schedules/<name>")
class ScheduleByName(MethodView):
    @blp.arguments(UpdateScheduleSchema)
    @blp.response(200, ScheduleSchema)
    @blp.alt_response(404, description="no such schedule")
    def patch(self, body: dict[str, Any], name: str) -> Schedule:
        """Pause, resume or re-time; the running scheduler follows within a pass."""
        return services().schedules.update(name, enabled=body.get("enabled"), cron=body.get("cron"))


@blp.route("/schedules/<name>/trigger")
class TriggerSchedule(MethodView):
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @blp.response(202, JobSchema)
    @blp.alt_response(404, description="no such schedule")
    def post(self, name: str) -> tuple[Job, int, dict[str, str]]:
        """Run now: a manual run, not a slot, so it always runs."""
        return accepted(services().schedules.trigger(name, idempotency()))
