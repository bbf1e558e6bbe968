"""The X API v2's writes a host's live X integration makes for a native X account, over
services.graph (SPEC.md "Platform emulation"), from docs.x.com and the client the tests drive,
tweepy's `Client`:
- `POST /2/tweets` ("Create Post"): a JSON body `{"text", "reply": {"in_reply_to_tweet_id"}}`,
  answered 201 `{"data": {"id", "text", "edit_history_tweet_ids": [id]}}`; here a reply, to
  one of the account's posts or to a reply under one (a person answered answers back, as a
  person does: conversation model); a post of its own is the demo's content, not the host's;
- `POST /2/dm_conversations/with/{participant_id}/messages` ("Send a new message to a user"):
  `{"text"}` (1 to 10,000 characters), answered 201 `{"data": {"dm_conversation_id",
  "dm_event_id"}}`, a one-to-one conversation's id the two user ids, the lower first; to a
  person who wrote to the account (X has no 24-hour window);
- the user's OAuth 2.0 token as `Authorization: Bearer …`;
- errors as HTTP Problem Details (RFC 7807) with X's types: 401 `{"title": "Unauthorized",
  "type": "about:blank", "status": 401, "detail": "Unauthorized"}`; 400 "Invalid Request"
  (`https://api.twitter.com/2/problems/invalid-request`, `errors[].parameters` naming the
  field, `errors[].message`); 403 "Forbidden" (`about:blank`, `detail` saying why); 404
  "Not Found Error" (`…/problems/resource-not-found`, the `parameter` and `value`)."""

from collections.abc import Mapping
from typing import Any

from app.domain.demo import DemoProfile, native_user_id
from app.domain.graph import GraphError, Media, Posted
from app.domain.inbox import InteractionKind, Platform
from app.services.graph import GraphService, Node

PROBLEMS = "https://api.twitter.com/2/problems/"


def _dm_path(parts: list[str]) -> bool:
    """2/dm_conversations/with/{participant_id}/messages"""
    return (
        len(parts) == 5
        and parts[:3] == ["2", "dm_conversations", "with"]
        and (parts[4] == "messages")
    )


class XError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body.get("detail", ""))
        self.status, self.body = status, body


def _unauthorized() -> XError:
    return XError(
        401, {"title": "Unauthorized", "type": "about:blank", "status": 401,
              "detail": "Unauthorized"},
    )  # fmt: skip


def _invalid(parameter: str, message: str) -> XError:
    return XError(400, {
        "errors": [{"parameters": {parameter: []}, "message": message}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": PROBLEMS + "invalid-request",
    })  # fmt: skip


def _forbidden(detail: str) -> XError:
    return XError(
        403, {"detail": detail, "type": "about:blank", "title": "Forbidden", "status": 403}
    )


def _not_found(parameter: str, value: str, detail: str) -> XError:
    return XError(404, {
        "errors": [{
            "value": value, "detail": detail, "title": "Not Found Error",
            "resource_type": "user" if parameter == "participant_id" else "tweet",
            "parameter": parameter, "resource_id": value, "type": PROBLEMS + "resource-not-found",
        }],
        "title": "Not Found Error",
        "detail": detail,
        "type": PROBLEMS + "resource-not-found",
    })  # fmt: skip


class XApi:
    """One call of the X API v2: (HTTP status, body)."""

    def __init__(self, service: GraphService) -> None:
        self.service = service

    def call(
        self, method: str, path: str, body: Any, authorization: str | None
    ) -> tuple[int, dict[str, Any]]:
        try:
            profile = self._profile(authorization)
            parts = path.strip("/").split("/")
            if method == "POST" and parts == ["2", "tweets"]:
                return 201, self._tweet(profile, _object(body))
            if method == "POST" and _dm_path(parts):
                return 201, self._message(profile, parts[3], _object(body))
            raise XError(404, {"title": "Not Found Error", "type": "about:blank", "status": 404,
                               "detail": f"{method} /{path.strip('/')} is not an X API v2 "
                                         "endpoint here"})  # fmt: skip
        except XError as exc:
            return exc.status, exc.body

    def _profile(self, authorization: str | None) -> DemoProfile:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthorized()
        try:
            profile = self.service.account(token.strip())
        except GraphError:
            raise _unauthorized() from None
        if profile.platform is not Platform.X:
            raise _unauthorized()
        return profile

    def _tweet(self, profile: DemoProfile, body: Mapping[str, Any]) -> dict[str, Any]:
        text = body.get("text")
        reply = body.get("reply")
        if not isinstance(text, str) or not text.strip():
            raise _invalid("text", "$.text: a post's text is required (1 to 280 characters)")
        if reply is None:
            raise _forbidden(
                "A native demo account's posts are the demo's own content: post replies, with "
                "reply.in_reply_to_tweet_id naming one of its posts or a reply under one"
            )
        to = reply.get("in_reply_to_tweet_id") if isinstance(reply, dict) else None
        if not isinstance(to, str) or not to.isdigit():
            raise _invalid(
                "reply.in_reply_to_tweet_id", "$.reply.in_reply_to_tweet_id: must be a post id"
            )
        on = self._node(profile, to)
        if not isinstance(on, Media | Posted) or (
            isinstance(on, Posted) and on.item.kind is not InteractionKind.COMMENT
        ):
            raise _forbidden(
                "You attempted to reply to a Tweet that is deleted or not visible to you."
            )
        try:
            new = self.service.comment(profile, on, text)
        except GraphError as exc:
            raise _invalid("text", f"$.text: {exc}") from None
        return {"data": {"id": new, "text": text, "edit_history_tweet_ids": [new]}}

    def _message(
        self, profile: DemoProfile, participant: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _invalid("text", "$.text: a message's text is required (1 to 10,000 characters)")
        try:
            _, event_id = self.service.message(
                profile, {"id": participant}, {"text": text}, window=None
            )
        except GraphError as exc:
            if exc.code == 100 and exc.subcode == 2534014:  # no such person
                raise _not_found(
                    "participant_id", participant,
                    f"Could not find user with participant_id: [{participant}].",
                ) from None  # fmt: skip
            raise _invalid("text", f"$.text: {exc}") from None
        me = native_user_id(profile.account_id, profile.platform)
        low, high = sorted((me, participant), key=int)
        return {"data": {"dm_conversation_id": f"{low}-{high}", "dm_event_id": event_id}}

    def _node(self, profile: DemoProfile, node_id: str) -> Node | None:
        try:
            return self.service.node(profile, node_id)
        except GraphError:
            return None


def _object(body: Any) -> Mapping[str, Any]:
    if not isinstance(body, dict):
        raise _invalid("body", "the request body must be a JSON object")
    return body
