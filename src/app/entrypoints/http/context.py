"""What every blueprint needs of the request's context: the container and its services, the
Idempotency-Key, a 202 with the job's Location, a page as a list endpoint answers it."""

import hashlib
import json
from typing import Any

from flask import current_app, request, url_for
from flask_smorest import abort

from app.bootstrap import Container
from app.domain.jobs import Job
from app.domain.pagination import Page
from app.domain.storable import unstorable_text
from app.services import Services
from app.services.ports import Queries
from app.services.views import Views
from app.services.work import Idempotency

IDEMPOTENCY_HEADER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "maxLength": 255},
    "description": "the same key with the same body returns the first job; another body is 422",
}


def container() -> Container:
    found: Container = current_app.extensions["demosim"]
    return found


def services() -> Services:
    return container().services


def views() -> Views:
    return container().views


def queries() -> Queries:
    return container().queries


def idempotency() -> Idempotency | None:
    """The request's Idempotency-Key, with a fingerprint of its method, path, query and body."""
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


def page_body(page: Page[Any]) -> dict[str, Any]:
    """A page as the list endpoints answer it: its items and the cursor of the next one."""
    return {
        "items": page.items,
        "next_cursor": page.next_cursor.encode() if page.next_cursor else None,
    }
