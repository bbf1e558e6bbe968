"""The accounts demo mode was enabled for; enabling and disabling it."""

from typing import Any
from uuid import UUID, uuid4

from flask import flash, redirect, request, url_for
from marshmallow import ValidationError

from app.domain.demo import DmFrequency, Persona
from app.domain.errors import DomainError
from app.domain.generation import SUPPORTED_LOCALES
from app.domain.inbox import Platform
from app.entrypoints.http.context import queries, services
from app.entrypoints.http.dashboard import PAGE, bp, problem_of, read_form, render, unconfirmed
from app.entrypoints.http.schemas import EnableDemoSchema


def _choices() -> dict[str, Any]:
    return {
        "platforms": [p.value for p in Platform],
        "personas": [p.value for p in Persona],
        "dm_frequencies": [f.value for f in DmFrequency],
        "locales": SUPPORTED_LOCALES,
    }


@bp.get("/")
def accounts() -> tuple[str, int]:
    return render(
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
        wanted = read_form(EnableDemoSchema(), {**data, **({"sizes": sizes} if sizes else {})})
        job, started = services().demo.enable(account_id, wanted)
    except ValidationError as exc:
        return _enable_refused(problem_of(exc))
    except DomainError as exc:
        return _enable_refused(str(exc))
    if not started or job is None:
        flash(f"Demo mode was already on for {account_id}; nothing changed.")
        return redirect(url_for("dashboard.accounts"))
    flash(f"Demo mode on for {account_id}: the initial batch runs as job {job.id}.")
    return redirect(url_for("dashboard.job", job_id=job.id))


def _enable_refused(problem: str) -> tuple[str, int]:
    return render(
        "accounts.html",
        422,
        states=queries().demo_states(PAGE),
        new_account=request.form.get("account_id", ""),
        form=request.form,
        error=f"Demo mode was not enabled: {problem}",
        **_choices(),
    )


@bp.post("/accounts/<uuid:account_id>/disable")
def disable(account_id: UUID) -> Any:
    purge = request.form.get("purge") == "true"
    asked = unconfirmed(
        f"{'Purge' if purge else 'Disable'} demo mode for {account_id}?",
        "Demo mode stops and its jobs are cancelled; every demo comment, DM and post of this "
        "account is deleted, here and in the inbox."
        if purge
        else "Demo mode stops and its jobs are cancelled; what it made stays in the inbox.",
        "Purge its demo data" if purge else "Disable demo mode",
        url_for("dashboard.accounts"),
    )
    if asked is not None:
        return asked
    job = services().demo.disable(account_id, purge)
    if job is not None:
        flash(f"Demo mode off for {account_id}; its demo data is deleted by job {job.id}.")
        return redirect(url_for("dashboard.job", job_id=job.id))
    flash(f"Demo mode off for {account_id}; its jobs were cancelled.")
    return redirect(url_for("dashboard.accounts"))
