"""The X API v2's writes under /x (a client's host `<demosim>/x` in place of
`https://api.x.com`): replies and messages of a native X account, with the account's token as
`Authorization: Bearer …`. Thin over the dialect (app.adapters.platforms.x.api), which the
container gives."""

from typing import Any

from flask import Blueprint, current_app, request

from app.entrypoints.http.context import container

bp = Blueprint("x_api", __name__, url_prefix="/x")


@bp.route("/<path:path>", methods=["POST"])
def x_api(path: str) -> tuple[Any, int]:
    body = request.get_json(silent=True) if request.data else None
    status, answer = container().x_api.call(
        request.method, path, body, request.headers.get("Authorization")
    )
    return current_app.json.response(answer), status
