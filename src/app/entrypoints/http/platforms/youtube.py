"""The YouTube Data API v3 under /youtube/v3 (as google-api-python-client calls it with
`client_options={"api_endpoint": <demosim>}`): what a host's live YouTube integration polls
for a native channel, with the channel's access token as its API key or OAuth token. Thin over
the dialect (app.adapters.platforms.youtube.data_api), which the container gives."""

from typing import Any

from flask import Blueprint, current_app, request

from app.entrypoints.http.context import container

bp = Blueprint("youtube_data_api", __name__, url_prefix="/youtube/v3")


@bp.route("/<path:resource>", methods=["GET", "POST", "PUT", "DELETE"])
def data_api(resource: str) -> tuple[Any, int]:
    """Parameters from the query string, a resource as the JSON body; the token as `key` or
    `Authorization: Bearer <token>`."""
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    bearer = given.strip() if scheme.lower() == "bearer" else None
    body = request.get_json(silent=True) if request.data else None
    status, answer = container().youtube_data_api.call(
        request.method, resource, request.args.to_dict(), bearer, body
    )
    if status == 200 and not answer:  # a moderation or a deletion: "204 No Content"
        return "", 204
    return current_app.json.response(answer), status
