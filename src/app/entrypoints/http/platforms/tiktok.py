"""TikTok's API for Business under /tiktok/open_api/v1.3 (a client's base URL
`<demosim>/tiktok/open_api`, as python-tiktok's `base_url`): the comments of a native TikTok
account's videos, with the account's access token in the `Access-Token` header. Thin over
the dialect (app.adapters.platforms.tiktok.business_api), which the container gives."""

from typing import Any

from flask import Blueprint, current_app, request

from app.entrypoints.http.context import container

bp = Blueprint("tiktok_business_api", __name__, url_prefix="/tiktok/open_api/v1.3")


@bp.route("/<path:path>", methods=["GET", "POST"])
def business_api(path: str) -> tuple[Any, int]:
    """Parameters from the query string, and a JSON object body's fields."""
    params: dict[str, Any] = request.args.to_dict()
    body = request.get_json(silent=True) if request.data else None
    if isinstance(body, dict):
        params.update(body)
    status, answer = container().tiktok_business_api.call(
        request.method, path, params, request.headers.get("Access-Token")
    )
    return current_app.json.response(answer), status
