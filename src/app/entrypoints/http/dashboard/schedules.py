"""Schedules: pause, resume, re-time, run now."""

from typing import Any

from flask import flash, redirect, request, url_for
from marshmallow import ValidationError

from app.entrypoints.http.context import services
from app.entrypoints.http.dashboard import bp, problem_of, read_form, render, unconfirmed
from app.entrypoints.http.schemas import UpdateScheduleSchema


@bp.get("/schedules")
def schedules() -> tuple[str, int]:
    return render("schedules.html", schedules=services().schedules.all())


@bp.post("/schedules/<name>")
def update_schedule(name: str) -> Any:
    data = {k: request.form[k] for k in ("enabled", "cron") if k in request.form}
    try:
        change = read_form(UpdateScheduleSchema(), data)
        updated = services().schedules.update(
            name, enabled=change.get("enabled"), cron=change.get("cron")
        )
    except ValidationError as exc:
        return render(
            "schedules.html", 422, schedules=services().schedules.all(),
            error=f"Schedule {name} not changed: {problem_of(exc)}", failed=name,
            tried=request.form.get("cron", ""),
        )  # fmt: skip
    state = "resumed" if updated.enabled else "paused"
    flash(f"Schedule {name}: {state}, cron {updated.cron.expression} (UTC).")
    return redirect(url_for("dashboard.schedules"))


@bp.post("/schedules/<name>/trigger")
def trigger(name: str) -> Any:
    asked = unconfirmed(
        f"Run {name} now?",
        f"A {name} job starts at once, besides its planned runs.",
        "Run it now",
        url_for("dashboard.schedules"),
    )
    if asked is not None:
        return asked
    started = services().schedules.trigger(name)
    flash(f"Schedule {name} runs now as job {started.id}.")
    return redirect(url_for("dashboard.job", job_id=started.id))
