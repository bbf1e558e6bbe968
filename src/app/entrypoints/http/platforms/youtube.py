"""The YouTube Data API v3 under /youtube/v3 (as google-api-python-client calls it with
`client_options={"api_endpoint": <demosim>}`): what a host's live YouTube integration polls
for a native channel, with the channel's access token as its API key or OAuth token. Thin over
the dialect (app.adapters.platforms.youtube.data_api), which the container gives."""

from typing import Any

from flask import Blueprint, current_app, request

from app.entrypoints.http.context import container

bp = Blueprint("youtube_data_api", __name__, url_prefix="/youtube/v3")
hub = Blueprint("youtube_websub", __name__, url_prefix="/websub")


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


@hub.post("/hub")
def websub_hub() -> tuple[Any, int]:
    """YouTube's WebSub hub: a subscription request (form fields `hub.mode`, `hub.topic`,
    `hub.callback`, `hub.lease_seconds`, `hub.secret`), answered 202 Accepted and verified
    after with a GET to the callback; 400 naming the field that is wrong."""
    c = container()
    try:
        asked = c.websub_request(request.form.to_dict())
    except ValueError as exc:
        return current_app.response_class(f"{exc}\n", status=400, mimetype="text/plain"), 400
    c.websub_hub.request(asked)
    return "", 202
