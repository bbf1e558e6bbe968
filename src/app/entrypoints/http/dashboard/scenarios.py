"""An account's scenario runs: each one's declared curve beside what was delivered, starting a
run (with overrides by path) and stopping one."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for

from app.domain.errors import DomainError
from app.domain.scenarios import typed
from app.entrypoints.http.context import services
from app.entrypoints.http.dashboard import bp, render, unconfirmed
from app.entrypoints.http.dashboard.inbox import _round_up, _state
from app.services.scenarios import WINDOW, ScenarioRun


@dataclass(frozen=True, slots=True)
class _Curve:
    """A run's chart in a box 100 high: delivered bars per window and the declared line."""

    bars: list[dict[str, Any]]
    line: str  # the polyline's points
    ticks: list[int]
    width: int


def _curve(run: ScenarioRun) -> _Curve:
    n = len(run.declared)
    top = _round_up(max(1, round(max(run.declared, default=0)), max(run.delivered, default=0)))
    bars = [
        {
            "h": round(100 * got / top, 2),
            "at": run.start + WINDOW * k,
            "got": got,
            "want": round(want, 1),
        }
        for k, (got, want) in enumerate(zip(run.delivered, run.declared, strict=True))
    ]
    line = " ".join(
        f"{10 * k + 5},{round(100 - 100 * want / top, 2)}" for k, want in enumerate(run.declared)
    )
    return _Curve(bars, line, [top, top // 2, 0], 10 * max(n, 1))


def _page(account_id: UUID, code: int = 200, **extra: Any) -> tuple[str, int]:
    runs = services().scenarios.runs(account_id)
    return render(
        "scenarios.html",
        code,
        account_id=account_id,
        state=_state(account_id),
        catalogue=services().scenarios.catalogue(),
        runs=[(run, _curve(run)) for run in runs],
        **extra,
    )


@bp.get("/accounts/<uuid:account_id>/scenarios")
def scenarios(account_id: UUID) -> tuple[str, int]:
    return _page(account_id, form={})


@bp.post("/accounts/<uuid:account_id>/scenarios")
def start_scenario(account_id: UUID) -> Any:
    form = request.form
    overrides: dict[str, Any] = {}
    for n, line in enumerate(form.get("overrides", "").splitlines(), 1):
        if not line.strip():
            continue
        path, sep, value = line.partition("=")
        if not sep:
            return _page(account_id, 422, form=form,
                         error=f"Overrides, line {n}: write it as path=value")  # fmt: skip
        overrides[path.strip()] = typed(value.strip())
    try:
        job = services().scenarios.start(account_id, form.get("name", ""), overrides)
    except DomainError as exc:
        return _page(account_id, 422, form=form, error=f"The scenario did not start: {exc}")
    flash(f"Scenario {form.get('name')} started: job {job.id} writes its run.")
    return redirect(url_for("dashboard.scenarios", account_id=account_id))


@bp.post("/accounts/<uuid:account_id>/scenarios/<uuid:run_id>/stop")
def stop_scenario(account_id: UUID, run_id: UUID) -> Any:
    back = url_for("dashboard.scenarios", account_id=account_id)
    asked = unconfirmed(
        "Stop this scenario run?",
        "What it has not delivered yet is withdrawn; what was delivered stays in the inbox.",
        "Stop the run",
        back,
    )
    if asked is not None:
        return asked
    withdrawn = services().scenarios.stop(account_id, run_id)
    flash(f"Run {run_id} stopped; {withdrawn:,} items withdrawn.")
    return redirect(back)
