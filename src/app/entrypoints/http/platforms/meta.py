"""Meta's Graph API under /graph (a version prefix such as /graph/v21.0 accepted and
ignored): what a host's live Instagram integration calls for a native account, with the
account's access token. Thin over the dialect (app.adapters.platforms.meta.graph), which the
container gives."""

from typing import Any

from flask import Blueprint, current_app, request

from app.entrypoints.http.context import container

bp = Blueprint("meta_graph", __name__, url_prefix="/graph")


@bp.route("/<path:path>", methods=["GET", "POST", "DELETE"])
def graph(path: str) -> tuple[Any, int]:
    """Parameters from the query string, form fields or a JSON object body, as Graph reads
    them; the token as `access_token` or `Authorization: Bearer|OAuth <token>`."""
    params: dict[str, Any] = {**request.args.to_dict(), **request.form.to_dict()}
    if request.is_json:
        body = request.get_json(silent=True)
        if isinstance(body, dict):
            params.update(body)
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    bearer = given.strip() if scheme.lower() in ("bearer", "oauth") else None
    status, body = container().meta_graph.call(
        request.method, path, params, bearer, request.base_url
    )
    return current_app.json.response(body), status
